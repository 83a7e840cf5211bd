-- An invitation's e-mail text and iCalendar part are composed when the mail is sent, not inside the booking
-- transaction (issue 18: the booking's hot path). A row now holds what to compose them from: the event's UID and
-- SEQUENCE (its booking, kind and method were already there). Rows written before keep their text, sent as it is.
alter table calendar_outbox
    alter column body drop not null,
    alter column ics drop not null,
    add column event_uid uuid,
    add column event_sequence integer;

alter table calendar_outbox add constraint calendar_outbox_composable
    check ((body is not null and ics is not null)
           or (booking_id is not null and event_uid is not null and event_sequence is not null));
