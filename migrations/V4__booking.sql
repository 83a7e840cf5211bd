-- Booking: idempotent admin forms, the promoted booking of a waiting entry, a move's new booking,
-- and the messages for parents that the calendar issue will send (written in the same transaction
-- as the change they announce; sent_at stays null until something sends them).

alter table workshop_session add column form_token text unique;
alter table session_series add column form_token text unique;

alter table booking add column moved_to bigint references booking(id);
create index booking_session_active on booking (session_id) where status = 'active';

alter table waiting_entry add column booking_id bigint references booking(id);
create index waiting_family on waiting_entry (family_id) where status = 'waiting';

create table notification (
    id          bigint generated always as identity primary key,
    kind        text not null check (kind in ('promoted', 'session_cancelled', 'session_changed',
                                              'booked_by_staff', 'cancelled_by_staff', 'moved_by_staff')),
    guardian_id bigint not null references guardian(id),
    session_id  bigint not null references workshop_session(id),
    booking_id  bigint references booking(id),
    created_at  timestamptz not null default now(),
    sent_at     timestamptz
);
create index notification_unsent on notification (id) where sent_at is null;
