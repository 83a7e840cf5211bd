-- booking_is_history (V10) as plpgsql, same body: PostgreSQL 17 plans a non-inlinable SQL function again at every
-- call (about 0.9 ms per booking row on /me), while plpgsql keeps the plan for the connection's life.
create or replace function booking_is_history(bid bigint) returns boolean language plpgsql stable as $$
begin
    return (select exists (select 1 from attendance a where a.session_id = b.session_id and a.guardian_id = b.guardian_id
                           and a.mark in ('present', 'late'))
                   or ws.status = 'closed'
                   or exists (select 1 from session_closure sc where sc.session_id = b.session_id)
            from booking b join workshop_session ws on ws.id = b.session_id
            where b.id = bid);
end
$$;
