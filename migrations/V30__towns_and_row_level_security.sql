-- Several towns in one deployment (issue 17): every row belongs to one town, and PostgreSQL itself keeps each town's
-- rows to that town (row-level security), whatever a query forgets.
--
-- The current town is the setting sesame.town of the connection, set by the app for each Jdbi handle (db/Towns) and
-- read by current_town(); a connection without it sees no tenant row and can write none.
-- Every tenant table gets town_id, filled with the first town for the rows already there, then defaulting to the
-- current town: every insert, the app's and the triggers' (device_change, webhook_delivery, family_progress,
-- family_school, device_event...), lands in the town it runs for without any DAO naming it, and the policy's
-- WITH CHECK refuses any other.
--
-- Global tables (no town_id, no policy): town itself, and Flyway's history. db/TownSchemaTest fails for any other
-- table without town_id and a policy.

create table town (
    id          bigint generated always as identity primary key,
    slug        text not null unique check (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    name        text not null check (length(trim(name)) > 0),
    -- the host name the town is reached by (lower case, no port); null: only in a single-town deployment, where
    -- every host reaches the one town
    host        text unique check (host = lower(host) and host !~ '[/:\s]'),
    contact     text not null default '',
    created_at  timestamptz not null default now()
);

-- The data already there belongs to the first town, named from the environment when the migration runs
-- (TOWN_NAME, TOWN_CONTACT, BASE_URL's host: Flyway placeholders set by db/Migrations).
insert into town (slug, name, host, contact)
values ('${town_slug}', '${town_name}', nullif('${town_host}', ''), '${town_contact}');

do $$
begin
    if (select id from town) <> 1 then
        raise exception 'the first town must have id 1';
    end if;
end $$;

-- The current town of the connection, or null when none is set (never set, or reset to '').
create function current_town() returns bigint language sql stable parallel safe as $$
    select nullif(current_setting('sesame.town', true), '')::bigint
$$;

-- A town is never deleted nor renumbered (a town that stops keeps its row; its data goes by the retention rules), so
-- town_id needs no foreign key to town: such a key would make every insert of every town lock its town's one row
-- (FOR KEY SHARE), and at the booking storm's rate the concurrent lockers of that row turned every insert into a
-- new multixact: PostgreSQL's CPU per booking went from 3.1 to 12.2 ms. A row's town is the current town
-- (default and policy below), which db/Towns only ever sets from this table.
create function town_is_kept() returns trigger language plpgsql as $$
begin
    raise exception 'a town is never deleted nor renumbered (%)', tg_op;
end $$;
create trigger town_is_kept before delete or update of id on town for each row execute function town_is_kept();
create trigger town_is_kept_truncate before truncate on town execute function town_is_kept();

-- Every table but the global ones: town_id (the existing rows get 1 without a rewrite: a constant default), then
-- the current town as default, the row-level security forced on the owner too, one policy.
do $$
declare
    t record;
begin
    for t in select c.relname from pg_class c
             where c.relnamespace = current_schema()::regnamespace and c.relkind in ('r', 'p')
               and c.relname not in ('town', 'flyway_schema_history')
             order by c.relname loop
        execute format('alter table %I add column town_id bigint not null default 1', t.relname);
        execute format('alter table %I alter column town_id set default current_town()', t.relname);
        execute format('alter table %I enable row level security', t.relname);
        execute format('alter table %I force row level security', t.relname);
        execute format('create policy town_isolation on %I using (town_id = current_town()) '
                       || 'with check (town_id = current_town())', t.relname);
    end loop;
end $$;

-- Foreign keys through the town: PostgreSQL checks a foreign key without row-level security, so a row of town A
-- could name a row of town B. Each foreign key between tenant tables becomes (town_id, its columns), referencing
-- (town_id, the referenced columns), with the same actions (a SET NULL sets only the key's own columns).
do $$
declare
    fk record;
    cols text;
    refcols text;
    setnull text;
    ref_attnums int2[];
    town_attnum int2;
    action text;
begin
    for fk in select con.conname, con.conrelid, con.confrelid, con.conkey, con.confkey, con.confdeltype,
                     con.confupdtype, con.condeferrable, con.condeferred
              from pg_constraint con
              where con.contype = 'f' and con.connamespace = current_schema()::regnamespace
                and con.confrelid <> 'town'::regclass
              order by con.conrelid::regclass::text, con.conname loop
        select string_agg(quote_ident(a.attname), ', ' order by k.ord) into cols
        from unnest(fk.conkey) with ordinality k(attnum, ord)
        join pg_attribute a on a.attrelid = fk.conrelid and a.attnum = k.attnum;
        select string_agg(quote_ident(a.attname), ', ' order by k.ord) into refcols
        from unnest(fk.confkey) with ordinality k(attnum, ord)
        join pg_attribute a on a.attrelid = fk.confrelid and a.attnum = k.attnum;
        select attnum into town_attnum from pg_attribute where attrelid = fk.confrelid and attname = 'town_id';
        ref_attnums := array[town_attnum] || fk.confkey;
        if not exists (select 1 from pg_constraint u where u.conrelid = fk.confrelid and u.contype in ('u', 'p')
                       and u.conkey = ref_attnums) then
            execute format('alter table %s add unique (town_id, %s)', fk.confrelid::regclass, refcols);
        end if;
        action := case fk.confdeltype
            when 'c' then 'on delete cascade'
            when 'n' then 'on delete set null (' || cols || ')'
            when 'd' then 'on delete set default (' || cols || ')'
            when 'r' then 'on delete restrict'
            else '' end;
        action := action || case fk.confupdtype when 'c' then ' on update cascade' when 'r' then ' on update restrict'
                                                else '' end;
        if fk.condeferrable then
            action := action || ' deferrable' || case when fk.condeferred then ' initially deferred' else '' end;
        end if;
        execute format('alter table %s drop constraint %I', fk.conrelid::regclass, fk.conname);
        execute format('alter table %s add constraint %I foreign key (town_id, %s) references %s (town_id, %s) %s',
                       fk.conrelid::regclass, fk.conname, cols, fk.confrelid::regclass, refcols, action);
    end loop;
end $$;

-- What is unique only within a town: a school's UAI, a workshop's code, a family's reference and letter code, the
-- ENT's and the roster's ids, a device's tag and serial number, a charter's version, a staff member's e-mail, an ENT
-- identity, a throttle key. Random tokens (sessions, API and feed tokens, form tokens, calendar UIDs) stay unique
-- across towns.
alter table school drop constraint school_uai_key, add unique (town_id, uai);
alter table workshop_type drop constraint workshop_type_code_key, add unique (town_id, code);
alter table family drop constraint family_reference_key, add unique (town_id, reference);
alter table family drop constraint family_letter_code_key, add unique (town_id, letter_code);
alter table guardian drop constraint guardian_ent_id_key, add unique (town_id, ent_id);
alter table guardian drop constraint guardian_external_id_key, add unique (town_id, external_id);
alter table child drop constraint child_ent_id_key, add unique (town_id, ent_id);
alter table child drop constraint child_external_id_key, add unique (town_id, external_id);
alter table device drop constraint device_asset_tag_key, add unique (town_id, asset_tag);
alter table device drop constraint device_serial_number_key, add unique (town_id, serial_number);
alter table charter_version drop constraint charter_version_version_key, add unique (town_id, version);
drop index staff_account_email;
create unique index staff_account_email on staff_account (town_id, lower(email));
alter table ent_identity drop constraint ent_identity_pkey, add primary key (town_id, issuer, subject);
alter table sign_in_throttle drop constraint sign_in_throttle_pkey, add primary key (town_id, key);

-- Views read with the rights and the row-level security of whoever queries them (PostgreSQL 15 and later), not of
-- their owner, who would see every town.
do $$
declare
    v record;
begin
    for v in select c.relname from pg_class c
             where c.relnamespace = current_schema()::regnamespace and c.relkind = 'v' loop
        execute format('alter view %I set (security_invoker = true)', v.relname);
    end loop;
    if exists (select 1 from pg_proc where pronamespace = current_schema()::regnamespace and prosecdef) then
        raise exception 'a security definer function would read past the row-level security';
    end if;
end $$;

-- What a town reads whole (its dashboard's figures and export, its audit log's latest entries) is found through its
-- town first: else each town's page reads every town's rows (RosterTownsBenchmark). The other tables a town reads
-- whole already have an index that starts with town_id (the foreign keys' (town_id, id)).
create index family_school_town on family_school (town_id, school_id);
create index family_progress_town on family_progress (town_id);
create index audit_log_town on audit_log (town_id, id);

analyze;
