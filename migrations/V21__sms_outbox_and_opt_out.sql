-- SMS (issue 16): an outbox like the e-mails', written in the transaction that causes a message and sent by a
-- worker; the delivery reports the provider calls back with; and each guardian's opt-out of reminders, follow-ups
-- and campaigns (the booking's own confirmation e-mail still goes).

-- Opt-out: set by the guardian from the link in every message or by the education service on the family's page.
alter table guardian
    add column opt_out        boolean not null default false,
    add column opt_out_at     timestamptz,
    add column opt_out_by     text,
    add constraint guardian_opt_out_when check (opt_out = (opt_out_at is not null));

-- The guardian's opt-out link (the same in every message), made the first time a message needs it. A table of its
-- own rather than a guardian column: writing it takes no lock on the guardian row, which imports and bookings update.
create table opt_out_link (
    guardian_id  bigint primary key references guardian(id) on delete cascade,
    token        text not null unique check (token ~ '^[A-Za-z0-9]{10,32}$'),
    created_at   timestamptz not null default now()
);

-- One row per SMS. recipient is the French mobile in E.164 (+336..., +337...), null when the guardian has none
-- (status no_number). body is the final text, opt-out link included; parts and encoding are computed from it.
-- A row whose previous attempt may have reached the provider (a timeout, a 5xx, a lease that expired during the
-- request) is in_doubt: before sending it again the worker asks the provider whether it already has it.
create table sms_outbox (
    id                bigint generated always as identity primary key,
    idempotency_key   text not null unique,
    guardian_id       bigint not null references guardian(id) on delete cascade,
    booking_id        bigint references booking(id) on delete cascade,
    recipient         text check (recipient ~ '^\+33[67][0-9]{8}$'),
    language          text not null,
    kind              text not null check (kind in ('reminder_before', 'reminder_morning', 'follow_up', 'campaign')),
    body              text not null check (length(body) > 0),
    parts             integer not null check (parts >= 1),
    encoding          text not null check (encoding in ('GSM-7', 'UCS-2')),
    status            text not null default 'pending'
                      check (status in ('pending', 'sending', 'sent', 'failed', 'no_number', 'opted_out', 'skipped')),
    attempts          integer not null default 0,
    next_attempt_at   timestamptz not null,
    lease_until       timestamptz,
    in_doubt          boolean not null default false,
    first_attempt_at  timestamptz,
    last_error        text,
    provider          text,
    provider_id       text,
    created_at        timestamptz not null,
    sent_at           timestamptz,
    delivery_status   text,
    delivered_at      timestamptz,
    delivery_updated_at timestamptz,
    check ((status = 'no_number') = (recipient is null)),
    check ((status = 'sent') = (sent_at is not null))
);
create index sms_outbox_due on sms_outbox (next_attempt_at) where status in ('pending', 'sending');
create index sms_outbox_guardian on sms_outbox (guardian_id);
create index sms_outbox_booking on sms_outbox (booking_id) where booking_id is not null;
create index sms_outbox_provider_id on sms_outbox (provider, provider_id) where provider_id is not null;

-- Every delivery report the provider sent, as received (the latest is also copied onto the message).
create table sms_delivery_report (
    id            bigint generated always as identity primary key,
    sms_id        bigint references sms_outbox(id) on delete cascade,
    provider      text not null,
    provider_id   text,
    message_ref   text,
    status        text not null,
    status_code   integer,
    reported_at   timestamptz,
    received_at   timestamptz not null default now(),
    payload       text not null
);
create index sms_delivery_report_sms on sms_delivery_report (sms_id);
