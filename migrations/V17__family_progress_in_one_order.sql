-- The family_progress rows a transaction refreshes at its commit are locked in the order of the families' ids, all
-- at once (issue 18). V8 refreshed them row event by row event, in the order the rows were changed: a transaction
-- that changed family B's booking and then A's locked B then A, another (a session cancelled, which does not lock
-- the families booked on it) locked A then B, and the two deadlocked (FamilyProgressLockOrderTest).
--
-- Now each change only notes its families in a setting local to the transaction (free, and undone with a rolled
-- back savepoint), and the first of V8's deferred events to fire at commit refreshes them all, in id order, with the
-- families whose family_school rows wait for the same commit (V9), so that V9's refresh, whichever of the two fires
-- first, finds its rows locked in the same order. The later events find nothing left to do.

create function family_progress_note(families bigint[]) returns void language plpgsql as $$
begin
    if cardinality(families) > 0 then
        perform set_config('sesame.progress_families',
                           coalesce(current_setting('sesame.progress_families', true), '')
                           || array_to_string(families, ',') || ',', true);
    end if;
end $$;

create function family_progress_apply_noted() returns void language plpgsql as $$
declare
    noted constant text := current_setting('sesame.progress_families', true);
    families bigint[];
    locked bigint[];
begin
    if noted is null or noted = '' then
        return;
    end if;
    perform set_config('sesame.progress_families', '', true);
    families := array(select distinct cast(x as bigint) from unnest(string_to_array(noted, ',')) x where x <> '');
    locked := array(select unnest(families) union
                    select family_id from family_school_pending where xact = pg_current_xact_id() order by 1);
    if cardinality(locked) > cardinality(families) then
        insert into family_progress (family_id) select id from family where id = any(locked) order by id
        on conflict (family_id) do nothing;
        perform 1 from family_progress where family_id = any(locked) order by family_id for update;
    end if;
    -- in id order too (V8, V10), under locks taken in that order
    perform refresh_family_progress(families);
end $$;

-- What each change notes, as V8 and V10's deferred functions worked it out.
create function attendance_family_progress_note() returns trigger language plpgsql as $$
begin
    perform family_progress_note(array(select family_id from guardian where id in (old.guardian_id, new.guardian_id)));
    return null;
end $$;

create function booking_family_progress_note() returns trigger language plpgsql as $$
begin
    perform family_progress_note(array_remove(array[old.family_id, new.family_id], null));
    return null;
end $$;

create function guardian_family_progress_note() returns trigger language plpgsql as $$
begin
    perform family_progress_note(array_remove(array[old.family_id, new.family_id], null));
    return null;
end $$;

create function session_family_progress_note() returns trigger language plpgsql as $$
begin
    perform family_progress_note(array(
        select g.family_id from attendance a join guardian g on g.id = a.guardian_id where a.session_id = new.id
        union
        select b.family_id from booking b where b.session_id = new.id));
    return null;
end $$;

create function workshop_type_family_progress_note() returns trigger language plpgsql as $$
begin
    perform family_progress_note(array(
        select g.family_id from workshop_session s join attendance a on a.session_id = s.id
        join guardian g on g.id = a.guardian_id where s.workshop_type_id = new.id
        union
        select b.family_id from workshop_session s join booking b on b.session_id = s.id
        where s.workshop_type_id = new.id));
    return null;
end $$;

-- The notes, as each row changes (the same events as the deferred triggers').
create trigger attendance_family_progress_note after insert or update of guardian_id, session_id, mark or delete
    on attendance for each row execute function attendance_family_progress_note();
create trigger booking_family_progress_note after insert or update of family_id, session_id, status or delete
    on booking for each row execute function booking_family_progress_note();
create trigger guardian_family_progress_note_moved after update of family_id on guardian
    for each row when (old.family_id is distinct from new.family_id) execute function guardian_family_progress_note();
create trigger guardian_family_progress_note_deleted after delete on guardian
    for each row execute function guardian_family_progress_note();
create trigger session_family_progress_note after update of starts_at, status, workshop_type_id on workshop_session
    for each row
    when (old.starts_at is distinct from new.starts_at or old.workshop_type_id is distinct from new.workshop_type_id
          or (old.status = 'cancelled') is distinct from (new.status = 'cancelled'))
    execute function session_family_progress_note();
create trigger workshop_type_family_progress_note after update of qualifies_for_home_use, requires_charter on workshop_type
    for each row
    when (old.qualifies_for_home_use is distinct from new.qualifies_for_home_use
          or old.requires_charter is distinct from new.requires_charter)
    execute function workshop_type_family_progress_note();
create trigger charter_family_progress_note after insert or update of guardian_id or delete
    on charter_signature for each row execute function attendance_family_progress_note();

-- The deferred triggers (V8, V10) keep their events; their functions now apply what was noted.
create or replace function attendance_family_progress() returns trigger language plpgsql as $$
begin
    perform family_progress_apply_noted();
    return null;
end $$;

create or replace function booking_family_progress() returns trigger language plpgsql as $$
begin
    perform family_progress_apply_noted();
    return null;
end $$;

create or replace function guardian_family_progress() returns trigger language plpgsql as $$
begin
    perform family_progress_apply_noted();
    return null;
end $$;

create or replace function session_family_progress() returns trigger language plpgsql as $$
begin
    perform family_progress_apply_noted();
    return null;
end $$;

create or replace function workshop_type_family_progress() returns trigger language plpgsql as $$
begin
    perform family_progress_apply_noted();
    return null;
end $$;

create or replace function charter_family_progress() returns trigger language plpgsql as $$
begin
    perform family_progress_apply_noted();
    return null;
end $$;

-- V9's refresh at commit: the families noted for family_progress first, with its own, in one id order.
create or replace function family_school_pending_apply() returns trigger language plpgsql as $$
declare
    families bigint[];
begin
    perform family_progress_apply_noted();
    delete from family_school_pending_xact where xact = pg_current_xact_id();
    with done as (delete from family_school_pending where xact = pg_current_xact_id() returning family_id)
    select array_agg(family_id) into families from done;
    if families is not null then
        perform refresh_family_school(families);
    end if;
    return null;
end $$;
