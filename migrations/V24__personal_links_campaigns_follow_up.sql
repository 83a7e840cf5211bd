-- Reaching families (issue 16): personal links, campaigns (invitations to book) and the no-show follow-up.

-- A link that signs one guardian in (like a letter-code sign-in) once, until it expires. Only the token's hash is
-- kept. family_id is the family the link was made for: it opens nothing if the guardian has since moved family.
create table personal_link (
    id            bigint generated always as identity primary key,
    token_hash    text not null unique check (token_hash ~ '^[0-9a-f]{64}$'),
    guardian_id   bigint not null references guardian(id) on delete cascade,
    family_id     bigint not null references family(id) on delete cascade,
    purpose       text not null check (purpose in ('campaign', 'follow_up')),
    created_at    timestamptz not null,
    expires_at    timestamptz not null,
    used_at       timestamptz,
    check (expires_at > created_at)
);
create index personal_link_guardian on personal_link (guardian_id);

-- An invitation to book sent by the education service to the families to reach that its filters chose. campaign_key
-- comes with the preview: a second POST of the same preview finds this row and sends nothing more.
create table campaign (
    id            bigint generated always as identity primary key,
    campaign_key  uuid not null unique,
    channel       text not null check (channel in ('sms', 'email', 'both')),
    school_id     bigint references school(id),
    class_name    text not null default '',
    status_filter text not null default '',
    language      text not null default '',
    families      integer not null,
    sent_by       bigint not null references staff_account(id),
    sent_at       timestamptz not null
);

-- One row per guardian the campaign chose, with what it got (sms / email: the outbox row's idempotency key, null
-- when nothing was written; why, when nothing was).
create table campaign_recipient (
    campaign_id   bigint not null references campaign(id) on delete cascade,
    guardian_id   bigint not null references guardian(id) on delete cascade,
    family_id     bigint not null references family(id) on delete cascade,
    sms_key       text,
    mail_key      text,
    outcome       text not null check (outcome in ('sms', 'email', 'both', 'no_contact', 'opted_out')),
    primary key (campaign_id, guardian_id)
);
create index campaign_recipient_family on campaign_recipient (family_id);

-- The no-show follow-up: one per booking of a closed session, written in the close's transaction. The primary key
-- is the idempotency key: a second close or a retry writes nothing.
create table follow_up (
    booking_id    bigint primary key references booking(id) on delete cascade,
    guardian_id   bigint not null references guardian(id) on delete cascade,
    session_id    bigint not null references workshop_session(id),
    sms_key       text,
    mail_key      text,
    created_at    timestamptz not null default now()
);

-- The e-mail outbox carries plain messages too (campaigns, follow-ups): no calendar part, no booking. The checks on
-- kind and on what a row must hold are widened, whatever other kinds earlier migrations allowed.
alter table calendar_outbox alter column ics_method drop not null;
do $$
declare
    c record;
begin
    for c in select conname, pg_get_constraintdef(oid) as def from pg_constraint
             where conrelid = 'calendar_outbox'::regclass and contype = 'c'
               and (pg_get_constraintdef(oid) ~ '\mkind\M' or conname = 'calendar_outbox_composable') loop
        execute format('alter table calendar_outbox drop constraint %I', c.conname);
        execute format('alter table calendar_outbox add constraint %I check ((%s) or (kind in (''campaign'', ''follow_up'') and body is not null and ics is null))',
                       c.conname, substring(c.def from '^CHECK \((.*)\)$'));
    end loop;
end $$;
