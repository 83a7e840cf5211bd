-- The home-use rule (DOMAIN.md, rule 1), written once, here (issue 12). Every path asks it: a mark, a signature,
-- a lending, an admin's decision, the roster import (through apply_home_use), the dashboard (family_progress),
-- the school page and the parent page (home_use_attendance).

-- The attendances at which a guardian came to a workshop that unlocks home use: marked present or late, at a
-- session not cancelled, of a workshop type that qualifies. "qualifying" is false while the type asks for the
-- charter and that guardian has not signed it yet (the charter is then what is missing).
create view home_use_attendance as
select a.id as attendance_id, a.guardian_id, g.family_id, a.session_id, s.starts_at, a.marked_at,
       not w.requires_charter
           or exists (select 1 from charter_signature cs where cs.guardian_id = a.guardian_id) as qualifying
from attendance a
join guardian g on g.id = a.guardian_id
join workshop_session s on s.id = a.session_id
join workshop_type w on w.id = s.workshop_type_id
where a.mark in ('present', 'late') and w.qualifies_for_home_use and s.status <> 'cancelled';

-- What the family's lent devices should be, and why: an admin's decision outranks the rule until it is cleared
-- (admin_grant, admin_revoke); otherwise the family's first qualifying attendance (by the time it was marked) lets
-- them go home (attendance); without one they stay at school: charter_missing when a guardian came but has not
-- signed the charter yet, no_qualifying_attendance otherwise.
create function home_use_decision(fid bigint, out home_use boolean, out reason text, out attendance_id bigint)
language sql stable as $$
    select coalesce(o.allowed, q.attendance_id is not null),
           case when o.allowed then 'admin_grant'
                when not o.allowed then 'admin_revoke'
                when q.attendance_id is not null then 'attendance'
                when exists (select 1 from home_use_attendance h where h.family_id = fid and not h.qualifying)
                    then 'charter_missing'
                else 'no_qualifying_attendance' end,
           case when o.family_id is null then q.attendance_id end
    from (select 1) one
    left join home_use_override o on o.family_id = fid
    left join lateral (select h.attendance_id from home_use_attendance h
                       where h.family_id = fid and h.qualifying
                       order by h.marked_at, h.attendance_id limit 1) q on true
$$;

-- Moves the family's lent devices to what the rule decides, with one device_event per device that changed (the
-- only place that writes home-use events). Locks the family's row first: every decision about one family is
-- serialized on it, before any of its devices (the documented lock order: family, then its devices).
--   p_triggering: the attendance whose change led here, kept with a revocation (may be null);
--   p_note:       the admin's reason (may be null).
create function apply_home_use(fid bigint, p_actor text, p_triggering bigint, p_note text,
                               out home_use boolean, out reason text, out devices_changed integer)
language plpgsql as $$
declare
    decision record;
    target text;
begin
    perform 1 from family where id = fid for no key update;
    select * into decision from home_use_decision(fid);
    target := case when decision.home_use then 'home_use' else 'school_only' end;
    with changed as (
        update device d set state = target, state_changed_at = clock_timestamp()
        from child c
        where c.id = d.child_id and c.family_id = fid
          and d.state in ('school_only', 'home_use') and d.state <> target
        returning d.id, d.child_id)
    insert into device_event (device_id, actor, change, from_state, to_state, reason, note, attendance_id, child_id)
    select changed.id, p_actor, case when decision.home_use then 'unlock' else 'revoke' end,
           case when decision.home_use then 'school_only' else 'home_use' end, target, decision.reason, p_note,
           coalesce(decision.attendance_id,
                    case when not decision.home_use and decision.reason in ('no_qualifying_attendance', 'charter_missing')
                         then p_triggering end),
           changed.child_id
    from changed;
    get diagnostics devices_changed = row_count;
    home_use := decision.home_use;
    reason := decision.reason;
end $$;

-- The rule for many families at once (the roster import), in the order of their ids; returns the devices changed.
create function apply_home_use_to(families bigint[], p_actor text) returns integer language plpgsql as $$
declare
    fid bigint;
    total integer := 0;
begin
    for fid in select distinct id from unnest(families) as id where id is not null order by id loop
        total := total + (select devices_changed from apply_home_use(fid, p_actor, null, null));
    end loop;
    return total;
end $$;

-- The dashboard's progress follows the same definition (V8 counted 'present' only, without the charter).
create or replace function refresh_family_progress(families bigint[]) returns void language plpgsql as $$
declare
    fid bigint;
    guardians bigint[];
begin
    -- In the order of their ids, so that two transactions changing the same families wait rather than deadlock.
    for fid in select distinct id from unnest(families) as id where id is not null order by id loop
        insert into family_progress (family_id) select id from family where id = fid
        on conflict (family_id) do nothing;
        perform 1 from family_progress where family_id = fid for update;
        -- The family's guardians first, then their attendance, through the family's own index entries (V8).
        guardians := array(select id from guardian where family_id = fid);
        update family_progress
        set trained_since = (select min(h.starts_at) from home_use_attendance h
                             where h.guardian_id = any(guardians) and h.qualifying),
            booked = exists (select 1 from booking b
                             join workshop_session s on s.id = b.session_id
                             join workshop_type w on w.id = s.workshop_type_id
                             where b.family_id = fid and b.status = 'active' and s.status <> 'cancelled'
                               and w.qualifies_for_home_use)
        where family_id = fid;
    end loop;
end $$;

-- A signature can make a family trained, and so can a workshop type that stops asking for the charter.
create function charter_family_progress() returns trigger language plpgsql as $$
begin
    perform refresh_family_progress(array(select family_id from guardian
                                          where id in (old.guardian_id, new.guardian_id)));
    return null;
end $$;

create constraint trigger charter_family_progress after insert or update of guardian_id or delete
    on charter_signature deferrable initially deferred for each row execute function charter_family_progress();

drop trigger workshop_type_family_progress on workshop_type;
create constraint trigger workshop_type_family_progress after update of qualifies_for_home_use, requires_charter
    on workshop_type deferrable initially deferred for each row
    when (old.qualifies_for_home_use is distinct from new.qualifies_for_home_use
          or old.requires_charter is distinct from new.requires_charter)
    execute function workshop_type_family_progress();

-- A booking is history once its guardian was marked as having come (present or late) or its session was closed:
-- the parent can no longer cancel or move it (BookingService; the parent's pages do not offer it).
create function booking_is_history(bid bigint) returns boolean language sql stable as $$
    select exists (select 1 from attendance a where a.session_id = b.session_id and a.guardian_id = b.guardian_id
                   and a.mark in ('present', 'late'))
           or ws.status = 'closed'
           or exists (select 1 from session_closure sc where sc.session_id = b.session_id)
    from booking b join workshop_session ws on ws.id = b.session_id
    where b.id = bid
$$;

-- Every family worked out again with the one definition ('late' now counts; the charter is asked where needed).
select refresh_family_progress(array(select id from family));
analyze family_progress;
