-- Each family's progress, as the dashboard shows it, kept up to date by the database itself so that the
-- dashboard does not work out the whole town's attendance and bookings at each view (issue 7).
--   trained_since: the start of the first session of a workshop that unlocks home use at which one of the
--                  family's guardians was marked present (null: not trained);
--   booked:        the family holds an active booking on such a session that is not cancelled.
-- A family without a row has neither. The row is worked out again, from scratch, at the commit of any
-- transaction that changed what it is made of: attendance, bookings, a guardian's family, a session's start,
-- status or workshop, a workshop's qualifies_for_home_use.

create table family_progress (
    family_id       bigint primary key references family(id) on delete cascade,
    trained_since   timestamptz,
    booked          boolean not null default false
);

create function refresh_family_progress(families bigint[]) returns void language plpgsql as $$
declare
    fid bigint;
    guardians bigint[];
begin
    -- In the order of their ids, so that two transactions changing the same families wait rather than deadlock.
    for fid in select distinct id from unnest(families) as id where id is not null order by id loop
        insert into family_progress (family_id) select id from family where id = fid
        on conflict (family_id) do nothing;
        -- One transaction at a time per family: the one that waited here then reads what the other committed
        -- (each statement of this function sees the latest commits, in read committed).
        perform 1 from family_progress where family_id = fid for update;
        -- The family's guardians first, then their attendance: each lookup goes through the family's own index
        -- entries whatever the statistics say (a bulk insert in the same transaction leaves them far behind).
        guardians := array(select id from guardian where family_id = fid);
        update family_progress
        set trained_since = (select min(s.starts_at) from attendance a
                             join workshop_session s on s.id = a.session_id
                             join workshop_type w on w.id = s.workshop_type_id
                             where a.guardian_id = any(guardians) and a.mark = 'present' and w.qualifies_for_home_use),
            booked = exists (select 1 from booking b
                             join workshop_session s on s.id = b.session_id
                             join workshop_type w on w.id = s.workshop_type_id
                             where b.family_id = fid and b.status = 'active' and s.status <> 'cancelled'
                               and w.qualifies_for_home_use)
        where family_id = fid;
    end loop;
end $$;

create function attendance_family_progress() returns trigger language plpgsql as $$
begin
    perform refresh_family_progress(array(select family_id from guardian
                                          where id in (old.guardian_id, new.guardian_id)));
    return null;
end $$;

create function booking_family_progress() returns trigger language plpgsql as $$
begin
    perform refresh_family_progress(array[old.family_id, new.family_id]);
    return null;
end $$;

create function guardian_family_progress() returns trigger language plpgsql as $$
begin
    perform refresh_family_progress(array[old.family_id, new.family_id]);
    return null;
end $$;

create function session_family_progress() returns trigger language plpgsql as $$
begin
    perform refresh_family_progress(array(
        select g.family_id from attendance a join guardian g on g.id = a.guardian_id where a.session_id = new.id
        union
        select b.family_id from booking b where b.session_id = new.id));
    return null;
end $$;

create function workshop_type_family_progress() returns trigger language plpgsql as $$
begin
    perform refresh_family_progress(array(
        select g.family_id from workshop_session s join attendance a on a.session_id = s.id
        join guardian g on g.id = a.guardian_id where s.workshop_type_id = new.id
        union
        select b.family_id from workshop_session s join booking b on b.session_id = s.id
        where s.workshop_type_id = new.id));
    return null;
end $$;

-- At commit (deferred), after every other lock the transaction takes: a family's row is locked last and briefly.
create constraint trigger attendance_family_progress after insert or update of guardian_id, session_id, mark or delete
    on attendance deferrable initially deferred for each row execute function attendance_family_progress();
create constraint trigger booking_family_progress after insert or update of family_id, session_id, status or delete
    on booking deferrable initially deferred for each row execute function booking_family_progress();
create constraint trigger guardian_family_progress_moved after update of family_id on guardian
    deferrable initially deferred for each row when (old.family_id is distinct from new.family_id)
    execute function guardian_family_progress();
create constraint trigger guardian_family_progress_deleted after delete on guardian
    deferrable initially deferred for each row execute function guardian_family_progress();
create constraint trigger session_family_progress after update of starts_at, status, workshop_type_id on workshop_session
    deferrable initially deferred for each row
    when (old.starts_at is distinct from new.starts_at or old.workshop_type_id is distinct from new.workshop_type_id
          or (old.status = 'cancelled') is distinct from (new.status = 'cancelled'))
    execute function session_family_progress();
create constraint trigger workshop_type_family_progress after update of qualifies_for_home_use on workshop_type
    deferrable initially deferred for each row
    when (old.qualifies_for_home_use is distinct from new.qualifies_for_home_use)
    execute function workshop_type_family_progress();

-- The families that already have some progress.
select refresh_family_progress(array(
    select g.family_id from attendance a join guardian g on g.id = a.guardian_id where a.mark = 'present'
    union
    select family_id from booking where status = 'active'));
-- Statistics at once: the dashboard's plans depend on them, and autovacuum may take a while to come.
analyze family_progress;
