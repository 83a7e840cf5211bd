-- What the dashboard counts, one row per family and school where the family has a child, kept up to date by
-- the database so that the town's figures are one pass over narrow rows rather than a join of every pupil,
-- device and family at each view (issue 7).
--   first_school:  the family's school with the lowest id: the town counts each family once, on this row;
--   trained, booked: copied from family_progress;
--   devices_lent, devices_home: the devices lent to the family's children at this school, and those of them
--                  allowed home.
-- Like family_progress, a family's rows are worked out again from scratch at the commit of any transaction that
-- changed its children or their devices, under the lock of the family's family_progress row, so that two
-- transactions changing one family wait for each other; a change of its progress is copied to them as it is made.

create table family_school (
    school_id       bigint not null references school(id) on delete cascade,
    family_id       bigint not null references family(id) on delete cascade,
    first_school    boolean not null,
    trained         boolean not null,
    booked          boolean not null,
    devices_lent    integer not null,
    devices_home    integer not null,
    primary key (school_id, family_id)
);
create index family_school_family on family_school (family_id);

-- The progress family_school copies follows family_progress, whoever changes it (V8's refresh at a mark or a
-- booking, or refresh_family_school below).
create function family_progress_to_school() returns trigger language plpgsql as $$
begin
    update family_school set trained = new.trained_since is not null, booked = new.booked
    where family_id = new.family_id;
    return null;
end $$;

create trigger family_progress_to_school after update of trained_since, booked on family_progress
    for each row
    when ((old.trained_since is null) is distinct from (new.trained_since is null) or old.booked is distinct from new.booked)
    execute function family_progress_to_school();

-- The families whose children or devices changed in a transaction, waiting for its commit. A roster import
-- changes thousands of rows in a few statements: each statement adds its families here at once, and marks its
-- transaction in family_school_pending_xact, whose one row fires one trigger at commit for them all.
create table family_school_pending (
    xact            xid8 not null default pg_current_xact_id(),
    family_id       bigint not null,
    primary key (xact, family_id)
);
create table family_school_pending_xact (
    xact            xid8 primary key default pg_current_xact_id()
);

-- What family_school should hold, worked out from scratch (a family's rows are read through its own index entries
-- when the view is asked for one family: the condition on family_id reaches the tables).
create view family_school_now as
select c.school_id, c.family_id, c.school_id = min(c.school_id) over (partition by c.family_id) as first_school,
       coalesce(p.trained_since is not null, false) as trained, coalesce(p.booked, false) as booked,
       count(d.id) as devices_lent, count(d.id) filter (where d.state = 'home_use') as devices_home
from child c
left join device d on d.child_id = c.id and d.state in ('school_only', 'home_use')
left join family_progress p on p.family_id = c.family_id
group by c.family_id, c.school_id, p.trained_since, p.booked;

-- The given families' family_school rows. Called once per transaction, at its commit, for all the families it
-- changed. family_progress is kept by its own triggers (V8): a family without a row there has no progress yet,
-- and gets an empty one, whose lock is the family's.
create function refresh_family_school(families bigint[]) returns void language plpgsql as $$
declare
    fid bigint;
    plans constant text := current_setting('plan_cache_mode');
begin
    insert into family_progress (family_id) select id from family where id = any(families) order by id
    on conflict (family_id) do nothing;
    -- The families' rows locked in the order of their ids, as refresh_family_progress does.
    perform 1 from family_progress where family_id = any(families) order by family_id for update;
    if cardinality(families) <= 50 then
        -- Most transactions change one family (a device allowed home): one at a time, with the plans cached.
        foreach fid in array families loop
            delete from family_school where family_id = fid;
            insert into family_school select * from family_school_now where family_id = fid;
        end loop;
    else
        -- A roster import changes thousands, and the statistics do not know yet what it inserted: all at once,
        -- planned for the families given (a plan cached for one family would walk every child for each).
        perform set_config('plan_cache_mode', 'force_custom_plan', true);
        delete from family_school where family_id = any(families);
        insert into family_school select * from family_school_now where family_id = any(families);
        perform set_config('plan_cache_mode', plans, true);
    end if;
end $$;

create function family_school_pending_apply() returns trigger language plpgsql as $$
declare
    families bigint[];
begin
    delete from family_school_pending_xact where xact = pg_current_xact_id();
    with done as (delete from family_school_pending where xact = pg_current_xact_id() returning family_id)
    select array_agg(family_id) into families from done;
    if families is not null then
        perform refresh_family_school(families);
    end if;
    return null;
end $$;

create constraint trigger family_school_pending_apply after insert on family_school_pending_xact
    deferrable initially deferred for each row execute function family_school_pending_apply();

-- Statement triggers: the families a statement touched (in the rows before and after it) wait for the commit.
create function family_school_pending_add(families bigint[]) returns void language plpgsql as $$
begin
    insert into family_school_pending (family_id) select distinct id from unnest(families) as id where id is not null
    on conflict do nothing;
    if found then
        insert into family_school_pending_xact default values on conflict do nothing;
    end if;
end $$;

create function child_family_school() returns trigger language plpgsql as $$
begin
    if tg_op = 'UPDATE' then
        -- Only the children who changed family or school (not a name corrected).
        perform family_school_pending_add(array(
            select unnest(array[o.family_id, n.family_id]) from old_rows o join new_rows n on n.id = o.id
            where (o.family_id, o.school_id) is distinct from (n.family_id, n.school_id)));
    elsif tg_op = 'DELETE' then
        perform family_school_pending_add(array(select family_id from old_rows));
    else
        perform family_school_pending_add(array(select family_id from new_rows));
    end if;
    return null;
end $$;

create function device_family_school() returns trigger language plpgsql as $$
begin
    if tg_op = 'UPDATE' then
        -- Only the devices lent to another child, or whose state changed (not a serial number corrected).
        perform family_school_pending_add(array(
            select c.family_id from old_rows o join new_rows n on n.id = o.id
            join child c on c.id in (o.child_id, n.child_id)
            where (o.child_id, o.state) is distinct from (n.child_id, n.state)));
    elsif tg_op = 'DELETE' then
        perform family_school_pending_add(array(select c.family_id from old_rows d join child c on c.id = d.child_id));
    else
        perform family_school_pending_add(array(select c.family_id from new_rows d join child c on c.id = d.child_id));
    end if;
    return null;
end $$;

create trigger child_family_school_inserted after insert on child
    referencing new table as new_rows for each statement execute function child_family_school();
create trigger child_family_school_updated after update on child
    referencing old table as old_rows new table as new_rows for each statement execute function child_family_school();
create trigger child_family_school_deleted after delete on child
    referencing old table as old_rows for each statement execute function child_family_school();
create trigger device_family_school_inserted after insert on device
    referencing new table as new_rows for each statement execute function device_family_school();
create trigger device_family_school_updated after update on device
    referencing old table as old_rows new table as new_rows for each statement execute function device_family_school();
create trigger device_family_school_deleted after delete on device
    referencing old table as old_rows for each statement execute function device_family_school();

-- The families there are.
select refresh_family_school(array(select distinct family_id from child));
analyze family_progress;
analyze family_school;
