package fr.sesame.booking;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * The SQL of {@link SeatDao}, on Jdbi's fluent API: the session page and the booking transaction
 * run these on their handle, without attaching a SqlObject (which builds a handler for every method
 * of the interface at each attach).
 */
final class Seats {
    static final String SESSION = SeatDao.SESSION_VIEW + " where ws.id = :id";

    /**
     * A session's page in one statement: the session and, beside it, the family's first active
     * booking of the same workshop at another session ({@code sw_} columns, null when none), as
     * {@link #ACTIVE_BOOKINGS} would list it.
     */
    static final String SESSION_CHOICE =
            SeatDao.SESSION_COLUMNS
                    + """
                    , sw.*
                    """
                    + SeatDao.SESSION_FROM
                    + """
                    left join lateral (
                        select b.id as sw_id, b.session_id as sw_session_id,
                               ows.workshop_type_id as sw_workshop_type_id, owt.title_fr as sw_title_fr,
                               owt.title_en as sw_title_en, os.name as sw_school_name, orm.name as sw_room_name,
                               ows.starts_at as sw_starts_at, ows.ends_at as sw_ends_at,
                               g.first_name || ' ' || g.last_name as sw_guardian_name,
                               b.booked_by_staff is not null as sw_by_staff,
                               ows.starts_at > now() and not booking_is_history(b.id) as sw_can_change
                        from booking b
                        join workshop_session ows on ows.id = b.session_id
                        join workshop_type owt on owt.id = ows.workshop_type_id
                        join school os on os.id = ows.school_id
                        join room orm on orm.id = ows.room_id
                        join guardian g on g.id = b.guardian_id
                        where b.family_id = :family and b.status = 'active' and ows.ends_at > now()
                          and ows.workshop_type_id = ws.workshop_type_id and b.session_id <> ws.id
                        order by ows.starts_at, b.id
                        limit 1) sw on true
                    where ws.id = :id""";

    static final String TAKE_SEAT =
            "update workshop_session set booked = booked + 1, updated_at = now() where id = :id and "
                    + SeatDao.SEAT_OPEN
                    + " returning id";

    static final String CHECK =
            """
            select ws.workshop_type_id, coalesce(wt.max_active_per_family, 0) as max_active_per_family,
                   prev.id as same_form_booking, prev.family_id as same_form_family,
                   exists (select 1 from guardian g where g.id = :guardian and g.family_id = :family) as guardian_of_family,
                   exists (select 1 from booking b where b.session_id = :session and b.family_id = :family
                           and b.status = 'active') as already_booked,
                   (select count(*) from booking b join workshop_session s on s.id = b.session_id
                    where b.family_id = :family and b.status = 'active' and s.workshop_type_id = ws.workshop_type_id
                      and s.ends_at > now()) as active_of_type,
                   coalesce((select true from workshop_session where id = :session and """
                    + SeatDao.SEAT_OPEN
                    + """
                            ), false) as seat_likely
            from (select 1) one
            left join workshop_session ws on ws.id = :session
            left join workshop_type wt on wt.id = ws.workshop_type_id
            left join booking prev on prev.form_token = :token""";

    static final String INSERT_BOOKING =
            """
            insert into booking (session_id, family_id, guardian_id, form_token, booked_by_staff)
            values (:session, :family, :guardian, :token, :staff)""";

    static final String LEAVE_WAITING_LISTS =
            """
            update waiting_entry w set status = 'withdrawn', ended_at = now()
            from workshop_session ws
            where ws.id = w.session_id and w.family_id = :family and w.status = 'waiting'
              and (w.session_id = :session or (:limitReached and ws.workshop_type_id = :type))""";

    static final String ACTIVE_BOOKINGS =
            """
            select b.id, b.session_id, ws.workshop_type_id, wt.title_fr, wt.title_en, s.name as school_name,
                   r.name as room_name,
                   ws.starts_at, ws.ends_at, g.first_name || ' ' || g.last_name as guardian_name,
                   b.booked_by_staff is not null as by_staff,
                   ws.starts_at > now() and not booking_is_history(b.id) as can_change
            from booking b
            join workshop_session ws on ws.id = b.session_id
            join workshop_type wt on wt.id = ws.workshop_type_id
            join school s on s.id = ws.school_id
            join room r on r.id = ws.room_id
            join guardian g on g.id = b.guardian_id
            where b.family_id = :family and b.status = 'active' and ws.ends_at > now()
            order by ws.starts_at, b.id""";

    private Seats() {}

    static Optional<SessionView> session(Handle h, long id, long familyId) {
        return h.createQuery(SESSION)
                .bind("id", id)
                .bind("family", familyId)
                .mapTo(SessionView.class)
                .findOne();
    }

    static Optional<BookingService.SessionChoice> sessionChoice(Handle h, long id, long familyId) {
        return h.createQuery(SESSION_CHOICE)
                .bind("id", id)
                .bind("family", familyId)
                .map(
                        (rs, ctx) ->
                                new BookingService.SessionChoice(
                                        ctx.findRowMapperFor(SessionView.class)
                                                .orElseThrow()
                                                .map(rs, ctx),
                                        sameWorkshop(rs)))
                .findOne();
    }

    private static SeatDao.MyBooking sameWorkshop(ResultSet rs) throws SQLException {
        long id = rs.getLong("sw_id");
        if (rs.wasNull()) return null;
        return new SeatDao.MyBooking(
                id,
                rs.getLong("sw_session_id"),
                rs.getLong("sw_workshop_type_id"),
                rs.getString("sw_title_fr"),
                rs.getString("sw_title_en"),
                rs.getString("sw_school_name"),
                rs.getString("sw_room_name"),
                rs.getTimestamp("sw_starts_at").toInstant(),
                rs.getTimestamp("sw_ends_at").toInstant(),
                rs.getString("sw_guardian_name"),
                rs.getBoolean("sw_by_staff"),
                rs.getBoolean("sw_can_change"));
    }

    static Optional<Long> takeSeat(Handle h, long sessionId, boolean byStaff) {
        return h.createQuery(TAKE_SEAT)
                .bind("id", sessionId)
                .bind("staff", byStaff)
                .mapTo(Long.class)
                .findOne();
    }

    static SeatDao.BookingCheck check(
            Handle h,
            long familyId,
            long guardianId,
            long sessionId,
            String formToken,
            boolean byStaff) {
        return h.createQuery(CHECK)
                .bind("family", familyId)
                .bind("guardian", guardianId)
                .bind("session", sessionId)
                .bind("token", formToken)
                .bind("staff", byStaff)
                .mapTo(SeatDao.BookingCheck.class)
                .one();
    }

    static long insertBooking(
            Handle h,
            long sessionId,
            long familyId,
            long guardianId,
            String formToken,
            Long staffId) {
        return h.createUpdate(INSERT_BOOKING)
                .bind("session", sessionId)
                .bind("family", familyId)
                .bind("guardian", guardianId)
                .bind("token", formToken)
                .bind("staff", staffId)
                .executeAndReturnGeneratedKeys("id")
                .mapTo(Long.class)
                .one();
    }

    static int leaveWaitingLists(
            Handle h, long familyId, long sessionId, long workshopTypeId, boolean limitReached) {
        return h.createUpdate(LEAVE_WAITING_LISTS)
                .bind("family", familyId)
                .bind("session", sessionId)
                .bind("type", workshopTypeId)
                .bind("limitReached", limitReached)
                .execute();
    }

    static List<SeatDao.MyBooking> activeBookings(Handle h, long familyId) {
        return h.createQuery(ACTIVE_BOOKINGS)
                .bind("family", familyId)
                .mapTo(SeatDao.MyBooking.class)
                .list();
    }
}
