-- Per-town settings (issue 17): what was one value for the whole deployment in the environment, each town may set
-- for itself; a null column is "not set here": the environment's value (TOWN_CONTACT, RETENTION_DAYS,
-- SMS_SENDER_NAME, MARKING_OPENS_MINUTES, PERSONAL_LINK_DAYS) stays that town's default, and the name's default is
-- town.name. One row per town at most, a tenant table like the others (its town's admin reads and writes only it).
create table town_setting (
    town_id                bigint primary key default current_town(),
    name                   text check (length(trim(name)) between 1 and 200),
    contact                text check (length(contact) <= 500),
    retention_days         integer check (retention_days between 1 and 3650),
    sms_sender_name        text check (sms_sender_name ~ '^[A-Za-z0-9]{1,11}$' and sms_sender_name !~ '^[0-9]+$'),
    marking_opens_minutes  integer check (marking_opens_minutes between 0 and 1440),
    personal_link_days     integer check (personal_link_days between 1 and 90),
    updated_at             timestamptz not null default now()
);
alter table town_setting enable row level security;
alter table town_setting force row level security;
create policy town_isolation on town_setting using (town_id = current_town()) with check (town_id = current_town());
