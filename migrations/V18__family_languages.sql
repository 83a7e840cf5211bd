-- Families read Sésame in French, English, Arabic, Turkish, Portuguese or Ukrainian
-- (web.Messages.FAMILY_LANGUAGES): a guardian's language, the language of the e-mails and
-- invitations sent to them and of their calendar feed.
alter table guardian drop constraint guardian_language_check;
alter table guardian add constraint guardian_language_check
    check (language in ('fr', 'en', 'ar', 'tr', 'pt', 'uk'));

alter table calendar_outbox drop constraint calendar_outbox_language_check;
alter table calendar_outbox add constraint calendar_outbox_language_check
    check (language in ('fr', 'en', 'ar', 'tr', 'pt', 'uk'));

alter table calendar_feed_token drop constraint calendar_feed_token_language_check;
alter table calendar_feed_token add constraint calendar_feed_token_language_check
    check (language in ('fr', 'en', 'ar', 'tr', 'pt', 'uk'));
