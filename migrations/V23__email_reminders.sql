-- E-mail reminders (issue 16): the session reminders also go by e-mail, through the mail outbox and its worker.
-- A reminder row names its booking and kind; the worker composes its text when it sends it (as it does an
-- invitation's), with no calendar part. Its idempotency key is '<kind>:<booking id>', unique like every other.
-- A reminder for a guardian who opted out is kept as 'opted_out', one whose booking was cancelled or moved or
-- whose session started before it went as 'skipped': neither is sent.
alter table calendar_outbox drop constraint calendar_outbox_kind_check;
alter table calendar_outbox add constraint calendar_outbox_kind_check
    check (kind in ('confirmed', 'updated', 'cancelled', 'reminder_before', 'reminder_morning'));

alter table calendar_outbox drop constraint calendar_outbox_status_check;
alter table calendar_outbox add constraint calendar_outbox_status_check
    check (status in ('pending', 'sending', 'sent', 'no_address', 'opted_out', 'skipped'));

-- a reminder carries no invitation
alter table calendar_outbox alter column ics_method drop not null;
alter table calendar_outbox add constraint calendar_outbox_ics_method
    check ((ics_method is null) = (kind in ('reminder_before', 'reminder_morning')));

alter table calendar_outbox drop constraint calendar_outbox_composable;
alter table calendar_outbox add constraint calendar_outbox_composable
    check ((body is not null and ics is not null)
           or (booking_id is not null and event_uid is not null and event_sequence is not null)
           or (booking_id is not null and kind in ('reminder_before', 'reminder_morning')));
