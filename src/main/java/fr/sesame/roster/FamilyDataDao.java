package fr.sesame.roster;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * Everything held about one family (its export), its erasure, and the families the retention rule
 * lets go.
 */
interface FamilyDataDao {
    /** One JSON document with all the rows that concern the family, built by PostgreSQL. */
    @SqlQuery(
            """
            select jsonb_build_object(
              'family', (select to_jsonb(f) from family f where f.id = :id),
              'guardians', coalesce((select jsonb_agg(to_jsonb(g) order by g.id) from guardian g where g.family_id = :id), '[]'),
              'children', coalesce((select jsonb_agg(to_jsonb(c) order by c.id) from child c where c.family_id = :id), '[]'),
              'devices', coalesce((select jsonb_agg(to_jsonb(d) order by d.id) from device d
                                   where d.child_id in (select id from child where family_id = :id)), '[]'),
              'bookings', coalesce((select jsonb_agg(to_jsonb(b) order by b.id) from booking b where b.family_id = :id), '[]'),
              'waitingList', coalesce((select jsonb_agg(to_jsonb(w) order by w.id) from waiting_entry w where w.family_id = :id), '[]'),
              'attendance', coalesce((select jsonb_agg(to_jsonb(a) order by a.id) from attendance a
                                      where a.guardian_id in (select id from guardian where family_id = :id)), '[]'),
              'entIdentities', coalesce((select jsonb_agg(jsonb_build_object('issuer', e.issuer, 'subject', e.subject, 'linkedAt', e.linked_at, 'evidence', e.evidence))
                                         from ent_identity e where e.guardian_id in (select id from guardian where family_id = :id)), '[]'),
              'entLinkRequests', coalesce((select jsonb_agg(jsonb_build_object('issuer', r.issuer, 'subject', r.subject, 'name', r.ent_name, 'requestedAt', r.requested_at))
                                         from ent_link_request r where r.guardian_id in (select id from guardian where family_id = :id)), '[]'),
              'auditLog', coalesce((select jsonb_agg(to_jsonb(l) order by l.id) from audit_log l
                                    where (l.entity = 'family' and l.entity_id = :id)
                                       or (l.entity = 'guardian' and l.entity_id in (select id from guardian where family_id = :id))
                                       or (l.entity = 'child' and l.entity_id in (select id from child where family_id = :id))), '[]')
            )::text""")
    String export(@Bind("id") long familyId);

    @SqlQuery(
            """
            select first_name || ' ' || last_name || coalesce(' · ' || email, '') || coalesce(' · ' || phone, '')
                   || ' · ' || language from guardian where family_id = :id order by id""")
    List<String> guardianLines(@Bind("id") long familyId);

    @SqlQuery(
            """
            select c.first_name || ' ' || c.last_name || ' · ' || s.name || ' · ' || c.class_level
                   || case when c.class_name <> '' then ' (' || c.class_name || ')' else '' end
                   || coalesce(' · ' || (select string_agg(d.asset_tag || ' ' || d.state, ', ') from device d where d.child_id = c.id), '')
            from child c join school s on s.id = c.school_id where c.family_id = :id order by c.first_name""")
    List<String> childLines(@Bind("id") long familyId);

    @SqlQuery("select letter_code from family where id = :id")
    Optional<String> letterCode(@Bind("id") long familyId);

    @SqlQuery("select reference from family where id = :id")
    Optional<String> reference(@Bind("id") long familyId);

    /**
     * The retention purge's lock, held by the connection for the pass (7007 is the roster
     * import's).
     */
    @SqlQuery("select pg_try_advisory_lock(7008)")
    boolean tryPurgeLock();

    @SqlQuery("select pg_advisory_unlock(7008)")
    boolean purgeUnlock();

    /**
     * The sessions still to come of the family's active bookings, locked in id order (after the
     * family's lock).
     */
    @SqlQuery(
            """
            select id from workshop_session
            where id in (select session_id from booking where family_id = :id and status = 'active')
              and status = 'scheduled' and starts_at > now()
            order by id for no key update""")
    List<Long> lockBookedSessions(@Bind("id") long familyId);

    /** Gives back the seats the family's active bookings hold on sessions still to come. */
    @SqlUpdate(
            """
            update workshop_session ws set booked = ws.booked - b.n, updated_at = now()
            from (select session_id, count(*) as n from booking where family_id = :id and status = 'active'
                  group by session_id) b
            where ws.id = b.session_id and ws.status = 'scheduled' and ws.starts_at > now() and ws.booked >= b.n""")
    int freeSeats(@Bind("id") long familyId);

    @SqlUpdate(
            """
            delete from web_session where principal_kind = 'parent'
              and principal_id in (select id from guardian where family_id = :id)""")
    int deleteSessions(@Bind("id") long familyId);

    @SqlUpdate(
            "delete from ent_identity where guardian_id in (select id from guardian where family_id = :id)")
    int deleteEntIdentities(@Bind("id") long familyId);

    /**
     * What the attendance and calendar features hold about the family (the device history stays,
     * anonymous).
     */
    @SqlQuery(
            """
            with g as (select id from guardian where family_id = :id),
                 b as (select id from booking where family_id = :id),
                 a as (select id from attendance where guardian_id in (select id from g) or booking_id in (select id from b)),
                 events as (update device_event set attendance_id = null,
                                   child_id = case when child_id in (select id from child where family_id = :id)
                                                   then null else child_id end
                            where attendance_id in (select id from a)
                               or child_id in (select id from child where family_id = :id) returning 1),
                 sig as (delete from charter_signature where guardian_id in (select id from g) returning 1),
                 marks as (delete from attendance_mark where guardian_id in (select id from g) returning 1),
                 override as (delete from home_use_override where family_id = :id returning 1),
                 invitations as (delete from calendar_invitation where booking_id in (select id from b)
                                     or superseded_by in (select id from b) returning 1),
                 outbox as (delete from calendar_outbox where guardian_id in (select id from g)
                                or booking_id in (select id from b) returning 1),
                 feeds as (delete from calendar_feed_token where owner_kind = 'guardian'
                               and owner_id in (select id from g) returning 1)
            select (select count(*) from events) + (select count(*) from sig) + (select count(*) from marks)
                 + (select count(*) from override) + (select count(*) from invitations) + (select count(*) from outbox)
                 + (select count(*) from feeds)""")
    int deleteActivityTraces(@Bind("id") long familyId);

    @SqlUpdate(
            """
            delete from attendance where guardian_id in (select id from guardian where family_id = :id)
               or booking_id in (select id from booking where family_id = :id)""")
    int deleteAttendance(@Bind("id") long familyId);

    @SqlUpdate("delete from waiting_entry where family_id = :id")
    int deleteWaiting(@Bind("id") long familyId);

    @SqlUpdate("delete from booking where family_id = :id")
    int deleteBookings(@Bind("id") long familyId);

    /**
     * The register keeps its devices, without the child: a device still lent comes back (returned).
     */
    @SqlUpdate(
            """
            update device set child_id = null,
                   state = case when state in ('school_only', 'home_use') then 'returned' else state end,
                   state_changed_at = case when state in ('school_only', 'home_use') then now() else state_changed_at end
            where child_id in (select id from child where family_id = :id)""")
    int detachDevices(@Bind("id") long familyId);

    @SqlUpdate("delete from child where family_id = :id")
    int deleteChildren(@Bind("id") long familyId);

    @SqlUpdate("delete from guardian where family_id = :id")
    int deleteGuardians(@Bind("id") long familyId);

    @SqlUpdate("delete from family where id = :id")
    int deleteFamily(@Bind("id") long familyId);

    /**
     * Families whose devices were all returned more than {@code days} days ago: at least one
     * returned device, none still lent, the last return older than the retention period.
     */
    @SqlQuery(
            """
            select c.family_id from child c join device d on d.child_id = c.id
            group by c.family_id
            having count(*) filter (where d.state = 'returned') > 0
               and count(*) filter (where d.state in ('school_only', 'home_use')) = 0
               and max(d.state_changed_at) filter (where d.state = 'returned') < now() - make_interval(days => :days)""")
    List<Long> returnedBefore(@Bind("days") int days);

    @SqlQuery(
            """
            select exists (select 1 from child c join device d on d.child_id = c.id where c.family_id = :id
                           having count(*) filter (where d.state = 'returned') > 0
                              and count(*) filter (where d.state in ('school_only', 'home_use')) = 0
                              and max(d.state_changed_at) filter (where d.state = 'returned') < now() - make_interval(days => :days))""")
    boolean stillExpired(@Bind("id") long familyId, @Bind("days") int days);

    @SqlQuery("select count(*) from guardian where family_id = :id")
    int guardianCount(@Bind("id") long familyId);

    @SqlQuery("select count(*) from child where family_id = :id")
    int childCount(@Bind("id") long familyId);
}
