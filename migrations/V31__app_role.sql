-- The role the app's pooled connections run as (issue 17): not a superuser, without BYPASSRLS, owning nothing, so
-- that the row-level security of V30 holds for every query the app sends. db/Database sets it on each pooled
-- connection ("set role sesame_app"); migrations keep running as the owner that connects.
--
-- Roles belong to the whole PostgreSQL server: the role is made once (a deployment whose owner may not create roles
-- makes it beforehand, see the README's "Several towns"), and each database grants it its rights.
do $$
begin
    if not exists (select 1 from pg_roles where rolname = 'sesame_app') then
        begin
            create role sesame_app nologin nosuperuser nobypassrls nocreatedb nocreaterole noinherit;
        exception when duplicate_object then
            null; -- made meanwhile by a migration of another database on the same server
        end;
    end if;
    if exists (select 1 from pg_roles where rolname = 'sesame_app' and (rolsuper or rolbypassrls)) then
        raise exception 'the role sesame_app must be neither a superuser nor BYPASSRLS';
    end if;
    -- The user that connects must be able to "set role sesame_app" (a superuser always can).
    if not (select rolsuper from pg_roles where rolname = current_user)
       and not pg_has_role(current_user, 'sesame_app', 'member') then
        execute format('grant sesame_app to %I', current_user);
    end if;
end $$;

-- What the app does: read and write rows (never truncate: row-level security does not apply to it), use the
-- sequences and call the functions. The towns are read, never written, by the app.
do $$
begin
    execute format('grant usage on schema %I to sesame_app', current_schema());
    execute format('grant select, insert, update, delete on all tables in schema %I to sesame_app', current_schema());
    execute format('grant usage, select, update on all sequences in schema %I to sesame_app', current_schema());
    execute format('grant execute on all functions in schema %I to sesame_app', current_schema());
    -- and the same on what later migrations create (they run as this owner)
    execute format('alter default privileges in schema %I grant select, insert, update, delete on tables to sesame_app',
                   current_schema());
    execute format('alter default privileges in schema %I grant usage, select, update on sequences to sesame_app',
                   current_schema());
end $$;
revoke insert, update, delete on town from sesame_app;
revoke insert, update, delete on flyway_schema_history from sesame_app;
