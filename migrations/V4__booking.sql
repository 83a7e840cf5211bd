-- Booking: idempotent admin forms, the promoted booking of a waiting entry, a move's new booking.
-- (What parents are told of each change goes to calendar_outbox, V7, in the same transaction.)

alter table workshop_session add column form_token text unique;
alter table session_series add column form_token text unique;

alter table booking add column moved_to bigint references booking(id);
create index booking_session_active on booking (session_id) where status = 'active';

alter table waiting_entry add column booking_id bigint references booking(id);
create index waiting_family on waiting_entry (family_id) where status = 'waiting';

