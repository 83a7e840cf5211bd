package fr.sesame.booking;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.reflect.ColumnName;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * Sessions as families see them, bookings, the waiting list and the audit log: the statements of a
 * booking itself are in {@link SeatDao}, which this extends.
 */
public interface BookingDao extends SeatDao {

    /**
     * Sessions a family may still book or wait for: the children's schools first, then the schools
     * of the same town, then the others; each group by date.
     */
    @SqlQuery(
            SESSION_VIEW
                    + """
            where ws.status = 'scheduled'
              and ws.starts_at - make_interval(hours => ws.booking_closes_hours) > now()
            order by exists (select 1 from child c where c.family_id = :family and c.school_id = ws.school_id) desc,
                     exists (select 1 from child c join school cs on cs.id = c.school_id
                             where c.family_id = :family and cs.city = s.city) desc,
                     ws.starts_at, ws.id
            limit 300""")
    List<SessionView> bookable(@Bind("family") long familyId);

    /** The other sessions of the same workshop type a booking could move to. */
    @SqlQuery(
            SESSION_VIEW
                    + """
            where ws.workshop_type_id = :type and ws.id <> :from and ws.status = 'scheduled'
              and ws.starts_at - make_interval(hours => ws.booking_closes_hours) > now()
              and (ws.booking_opens_at is null or ws.booking_opens_at <= now())
            order by exists (select 1 from child c where c.family_id = :family and c.school_id = ws.school_id) desc,
                     ws.starts_at, ws.id
            limit 200""")
    List<SessionView> moveTargets(
            @Bind("type") long workshopTypeId,
            @Bind("from") long fromSessionId,
            @Bind("family") long familyId);

    /**
     * Sessions for the API and the admin list, filtered by school (null: all) and start between
     * from and to.
     */
    @SqlQuery(
            SESSION_VIEW
                    + """
            where (cast(:school as text) is null or s.uai = :school)
              and ws.starts_at >= :from and ws.starts_at < :to
            order by ws.starts_at, ws.id
            limit 1000""")
    List<SessionView> sessionsBetween(
            @Bind("school") String schoolUai,
            @Bind("from") Instant from,
            @Bind("to") Instant to,
            @Bind("family") long familyId);

    // --- the booking transaction ---

    @SqlQuery("select exists (select 1 from guardian where id = :guardian and family_id = :family)")
    boolean guardianOf(@Bind("guardian") long guardianId, @Bind("family") long familyId);

    record BookingRow(
            long id,
            @ColumnName("session_id") long sessionId,
            @ColumnName("family_id") long familyId,
            @ColumnName("guardian_id") long guardianId,
            String status,
            @ColumnName("moved_to") Long movedTo) {}

    @SqlQuery(
            "select id, session_id, family_id, guardian_id, status, moved_to from booking where form_token = :token")
    Optional<BookingRow> bookingByToken(@Bind("token") String formToken);

    @SqlQuery(
            "select id, session_id, family_id, guardian_id, status, moved_to from booking where id = :id")
    Optional<BookingRow> booking(@Bind("id") long bookingId);

    @SqlQuery("select workshop_type_id from workshop_session where id = :id")
    Optional<Long> workshopTypeOf(@Bind("id") long sessionId);

    /**
     * The booking is history: its guardian was marked as having come, or its session is closed
     * (migrations/V10).
     */
    @SqlQuery("select coalesce(booking_is_history(:id), false)")
    boolean isHistory(@Bind("id") long bookingId);

    @SqlQuery("select max_active_per_family from workshop_type where id = :type")
    int maxActivePerFamily(@Bind("type") long workshopTypeId);

    /** Active bookings of a family for sessions of this type that have not ended yet. */
    @SqlQuery(
            """
            select count(*) from booking b join workshop_session ws on ws.id = b.session_id
            where b.family_id = :family and b.status = 'active' and ws.workshop_type_id = :type and ws.ends_at > now()""")
    int activeBookingsOfType(@Bind("family") long familyId, @Bind("type") long workshopTypeId);

    @SqlQuery("select booked >= capacity from workshop_session where id = :id")
    boolean full(@Bind("id") long sessionId);

    @SqlUpdate(
            "update workshop_session set booked = booked - 1, updated_at = now() where id = :id and booked > 0")
    int freeSeat(@Bind("id") long sessionId);

    /**
     * Ends an active booking of this family; returns its session, or nothing when it was not
     * active.
     */
    @SqlQuery(
            """
            update booking set status = :status, ended_at = now(), moved_to = :movedTo
            where id = :id and family_id = :family and status = 'active'
            returning session_id""")
    Optional<Long> endBooking(
            @Bind("id") long bookingId,
            @Bind("family") long familyId,
            @Bind("status") String status,
            @Bind("movedTo") Long movedTo);

    // --- the waiting list ---

    @SqlUpdate(
            "insert into waiting_entry (session_id, family_id, guardian_id) values (:session, :family, :guardian)")
    @GetGeneratedKeys("id")
    long insertWaiting(
            @Bind("session") long sessionId,
            @Bind("family") long familyId,
            @Bind("guardian") long guardianId);

    @SqlQuery(
            "select id from waiting_entry where session_id = :session and family_id = :family and status = 'waiting'")
    Optional<Long> waitingEntry(@Bind("session") long sessionId, @Bind("family") long familyId);

    @SqlQuery(
            """
            update waiting_entry set status = 'withdrawn', ended_at = now()
            where id = :id and family_id = :family and status = 'waiting'
            returning session_id""")
    Optional<Long> withdrawWaiting(@Bind("id") long entryId, @Bind("family") long familyId);

    record Waiter(
            long id,
            @ColumnName("family_id") long familyId,
            @ColumnName("guardian_id") long guardianId) {}

    /** The first in line of a session. */
    @SqlQuery(
            """
            select id, family_id, guardian_id from waiting_entry
            where session_id = :session and status = 'waiting' order by id limit 1""")
    Optional<Waiter> firstWaiting(@Bind("session") long sessionId);

    @SqlQuery(
            "select id, family_id, guardian_id from waiting_entry where id = :id and status = 'waiting' for update")
    Optional<Waiter> lockWaiting(@Bind("id") long entryId);

    @SqlUpdate(
            "update waiting_entry set status = 'promoted', ended_at = now(), booking_id = :booking where id = :id")
    void markPromoted(@Bind("id") long entryId, @Bind("booking") long bookingId);

    // --- a family's own lists ---

    record MyWaiting(
            long id,
            @ColumnName("session_id") long sessionId,
            @ColumnName("title_fr") String titleFr,
            @ColumnName("title_en") String titleEn,
            @ColumnName("school_name") String schoolName,
            @ColumnName("starts_at") Instant startsAt,
            int position) {
        public String title(String lang) {
            return "en".equals(lang) ? titleEn : titleFr;
        }
    }

    @SqlQuery(
            """
            select w.id, w.session_id, wt.title_fr, wt.title_en, s.name as school_name, ws.starts_at,
                   (select count(*) from waiting_entry w2 where w2.session_id = w.session_id and w2.status = 'waiting'
                     and w2.id <= w.id) as position
            from waiting_entry w
            join workshop_session ws on ws.id = w.session_id
            join workshop_type wt on wt.id = ws.workshop_type_id
            join school s on s.id = ws.school_id
            where w.family_id = :family and w.status = 'waiting'
            order by ws.starts_at, w.id""")
    List<MyWaiting> waitingEntries(@Bind("family") long familyId);

    record GuardianChoice(
            long id,
            @ColumnName("first_name") String firstName,
            @ColumnName("last_name") String lastName) {
        public String name() {
            return firstName + " " + lastName;
        }
    }

    @SqlQuery(
            "select id, first_name, last_name from guardian where family_id = :family order by id")
    List<GuardianChoice> guardians(@Bind("family") long familyId);

    record FamilyCard(
            long id,
            String reference,
            @ColumnName("letter_code") String letterCode,
            String guardians,
            String children) {}

    @SqlQuery(
            """
            select f.id, f.reference, f.letter_code,
                   coalesce((select string_agg(g.first_name || ' ' || g.last_name, ', ' order by g.id) from guardian g
                     where g.family_id = f.id), '') as guardians,
                   coalesce((select string_agg(c.first_name || ' ' || c.last_name || ' (' || c.class_level || ', '
                     || sc.name || ')', ', ' order by c.first_name) from child c join school sc on sc.id = c.school_id
                     where c.family_id = f.id), '') as children
            from family f where f.id = :id""")
    Optional<FamilyCard> family(@Bind("id") long familyId);
}
