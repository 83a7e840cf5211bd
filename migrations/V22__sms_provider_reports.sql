-- SMS provider (issue 16): why a message failed or waits, as a message key the admin reads in their own language
-- (last_error keeps the provider's own words beside it), and each delivery report stored once however many
-- times the provider calls back with it.

alter table sms_outbox add column last_error_key text;

-- The same report (same message, same status, same date) sent twice is one report.
create unique index sms_delivery_report_once on sms_delivery_report
    (provider, coalesce(provider_id, ''), coalesce(message_ref, ''), status,
     coalesce(reported_at, timestamptz '1970-01-01 00:00:00+00'));
