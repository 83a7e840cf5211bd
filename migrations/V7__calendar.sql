-- Calendar: invitations sent per booking, the e-mail outbox, secret feed tokens, and the change counter
-- that tells the feed cache when to rebuild.

-- The invitation a guardian's calendar holds for a booking. A move keeps the event: the new booking's
-- invitation takes over the UID of the old one (superseded_by) with a higher sequence.
create table calendar_invitation (
    booking_id      bigint primary key references booking(id),
    uid             uuid not null,
    sequence        integer not null check (sequence >= 0),
    state           text not null check (state in ('active', 'cancelled', 'moved')),
    superseded_by   bigint references booking(id),
    updated_at      timestamptz not null default now(),
    check ((state = 'moved') = (superseded_by is not null))
);
-- one live holder of an event at a time
create unique index calendar_invitation_live_uid on calendar_invitation (uid) where state <> 'moved';

-- E-mails to send, written in the same transaction as the change they announce.
create table calendar_outbox (
    id                bigint generated always as identity primary key,
    idempotency_key   text not null unique,
    booking_id        bigint references booking(id),
    guardian_id       bigint references guardian(id),
    recipient         text,
    language          text not null check (language in ('fr', 'en')),
    kind              text not null check (kind in ('confirmed', 'updated', 'cancelled')),
    subject           text not null,
    body              text not null,
    ics               text not null,
    ics_method        text not null check (ics_method in ('REQUEST', 'CANCEL')),
    status            text not null default 'pending' check (status in ('pending', 'sending', 'sent', 'no_address')),
    attempts          integer not null default 0,
    next_attempt_at   timestamptz not null default now(),
    lease_until       timestamptz,
    last_error        text,
    created_at        timestamptz not null default now(),
    sent_at           timestamptz,
    check ((status = 'no_address') = (recipient is null)),
    check ((status = 'sent') = (sent_at is not null))
);
create index calendar_outbox_due on calendar_outbox (next_attempt_at) where status in ('pending', 'sending');

-- Secret feed URLs: only the hash of the token is kept; one live token per owner.
create table calendar_feed_token (
    id          bigint generated always as identity primary key,
    owner_kind  text not null check (owner_kind in ('guardian', 'trainer', 'school', 'admin')),
    owner_id    bigint not null,
    token_hash  text not null unique,
    language    text not null default 'fr' check (language in ('fr', 'en')),
    created_at  timestamptz not null default now(),
    revoked_at  timestamptz
);
create unique index calendar_feed_token_live on calendar_feed_token (owner_kind, owner_id) where revoked_at is null;

-- Every change that a feed may show advances this counter (at commit time, without taking any lock);
-- the feed cache rebuilds a feed when the counter has moved since it was built.
create sequence calendar_change_seq;

create function calendar_changed() returns trigger language plpgsql as $$
begin
    perform nextval('calendar_change_seq');
    return null;
end $$;

create constraint trigger workshop_session_calendar after insert or update or delete on workshop_session
    deferrable initially deferred for each row execute function calendar_changed();
create constraint trigger booking_calendar after insert or update or delete on booking
    deferrable initially deferred for each row execute function calendar_changed();
create constraint trigger session_trainer_calendar after insert or update or delete on session_trainer
    deferrable initially deferred for each row execute function calendar_changed();
create constraint trigger school_calendar after insert or update or delete on school
    deferrable initially deferred for each row execute function calendar_changed();
create constraint trigger room_calendar after insert or update or delete on room
    deferrable initially deferred for each row execute function calendar_changed();
create constraint trigger workshop_type_calendar after insert or update or delete on workshop_type
    deferrable initially deferred for each row execute function calendar_changed();
create constraint trigger calendar_invitation_calendar after insert or update or delete on calendar_invitation
    deferrable initially deferred for each row execute function calendar_changed();
