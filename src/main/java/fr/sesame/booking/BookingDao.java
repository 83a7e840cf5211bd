package fr.sesame.booking;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.reflect.ColumnName;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Sessions as families see them, bookings, the waiting list and the audit log. */
public interface BookingDao extends org.jdbi.v3.sqlobject.SqlObject {

    /** The columns of {@link SessionView}; :family is the family the page is about (0 for none). */
    String SESSION_VIEW = """
            select ws.id, ws.workshop_type_id, wt.code as workshop_code, wt.title_fr, wt.title_en,
                   ws.school_id, s.uai as school_uai, s.name as school_name,
                   trim(both ', ' from s.address || ', ' || s.postcode || ' ' || s.city) as school_address,
                   ws.room_id, r.name as room_name, ws.starts_at, ws.ends_at, ws.capacity, ws.booked, ws.language,
                   ws.status, ws.booking_opens_at, ws.booking_closes_hours,
                   (select count(*) from waiting_entry w where w.session_id = ws.id and w.status = 'waiting') as waiting_count,
                   exists (select 1 from child c where c.family_id = :family and c.school_id = ws.school_id) as at_child_school,
                   (select b.id from booking b where b.session_id = ws.id and b.family_id = :family and b.status = 'active'
                     order by b.id limit 1) as my_booking_id,
                   (select w.id from waiting_entry w where w.session_id = ws.id and w.family_id = :family
                     and w.status = 'waiting') as my_waiting_id,
                   (select count(*) from waiting_entry w2 where w2.session_id = ws.id and w2.status = 'waiting'
                     and w2.id <= (select w.id from waiting_entry w where w.session_id = ws.id and w.family_id = :family
                                   and w.status = 'waiting')) as my_waiting_position
            from workshop_session ws
            join workshop_type wt on wt.id = ws.workshop_type_id
            join school s on s.id = ws.school_id
            join room r on r.id = ws.room_id
            """;

    @SqlQuery(SESSION_VIEW + " where ws.id = :id")
    Optional<SessionView> session(@Bind("id") long id, @Bind("family") long familyId);

    /**
     * Sessions a family may still book or wait for: the children's schools first, then the schools of the
     * same town, then the others; each group by date.
     */
    @SqlQuery(SESSION_VIEW + """
            where ws.status = 'scheduled'
              and ws.starts_at - make_interval(hours => ws.booking_closes_hours) > now()
            order by exists (select 1 from child c where c.family_id = :family and c.school_id = ws.school_id) desc,
                     exists (select 1 from child c join school cs on cs.id = c.school_id
                             where c.family_id = :family and cs.city = s.city) desc,
                     ws.starts_at, ws.id
            limit 300""")
    List<SessionView> bookable(@Bind("family") long familyId);

    /** The other sessions of the same workshop type a booking could move to. */
    @SqlQuery(SESSION_VIEW + """
            where ws.workshop_type_id = :type and ws.id <> :from and ws.status = 'scheduled'
              and ws.starts_at - make_interval(hours => ws.booking_closes_hours) > now()
              and (ws.booking_opens_at is null or ws.booking_opens_at <= now())
            order by exists (select 1 from child c where c.family_id = :family and c.school_id = ws.school_id) desc,
                     ws.starts_at, ws.id
            limit 200""")
    List<SessionView> moveTargets(@Bind("type") long workshopTypeId, @Bind("from") long fromSessionId,
                                  @Bind("family") long familyId);

    /** Sessions for the API and the admin list, filtered by school (null: all) and start between from and to. */
    @SqlQuery(SESSION_VIEW + """
            where (cast(:school as text) is null or s.uai = :school)
              and ws.starts_at >= :from and ws.starts_at < :to
            order by ws.starts_at, ws.id
            limit 1000""")
    List<SessionView> sessionsBetween(@Bind("school") String schoolUai, @Bind("from") Instant from,
                                      @Bind("to") Instant to, @Bind("family") long familyId);

    // --- the booking transaction ---

    /** Serializes the changes of one family (its limits are checked under this lock). */
    @SqlQuery("select id from family where id = :id for update")
    Optional<Long> lockFamily(@Bind("id") long familyId);

    @SqlQuery("select exists (select 1 from guardian where id = :guardian and family_id = :family)")
    boolean guardianOf(@Bind("guardian") long guardianId, @Bind("family") long familyId);

    record BookingRow(long id, @ColumnName("session_id") long sessionId, @ColumnName("family_id") long familyId,
                      @ColumnName("guardian_id") long guardianId, String status,
                      @ColumnName("moved_to") Long movedTo) {
    }

    @SqlQuery("select id, session_id, family_id, guardian_id, status, moved_to from booking where form_token = :token")
    Optional<BookingRow> bookingByToken(@Bind("token") String formToken);

    @SqlQuery("select id, session_id, family_id, guardian_id, status, moved_to from booking where id = :id")
    Optional<BookingRow> booking(@Bind("id") long bookingId);

    @SqlQuery("select workshop_type_id from workshop_session where id = :id")
    Optional<Long> workshopTypeOf(@Bind("id") long sessionId);

    @SqlQuery("select max_active_per_family from workshop_type where id = :type")
    int maxActivePerFamily(@Bind("type") long workshopTypeId);

    /** Active bookings of a family for sessions of this type that have not ended yet. */
    @SqlQuery("""
            select count(*) from booking b join workshop_session ws on ws.id = b.session_id
            where b.family_id = :family and b.status = 'active' and ws.workshop_type_id = :type and ws.ends_at > now()""")
    int activeBookingsOfType(@Bind("family") long familyId, @Bind("type") long workshopTypeId);

    /**
     * A session with a seat left that may be booked now. Staff may book before the window opens and after it
     * closes, not after the start.
     */
    String SEAT_OPEN = " (booked < capacity and status = 'scheduled' and starts_at > now()"
            + " and (:staff or ((booking_opens_at is null or booking_opens_at <= now())"
            + " and starts_at - make_interval(hours => booking_closes_hours) > now()))) ";

    /** Takes a seat if {@link #SEAT_OPEN}; the database decides, so two requests never take the last seat twice. */
    @SqlQuery("update workshop_session set booked = booked + 1, updated_at = now() where id = :id and "
            + SEAT_OPEN + " returning id")
    Optional<Long> takeSeat(@Bind("id") long sessionId, @Bind("staff") boolean byStaff);

    /** What a booking must check, read in one statement once the family is locked. */
    record BookingCheck(@ColumnName("workshop_type_id") Long workshopTypeId,
                        @ColumnName("max_active_per_family") int maxActivePerFamily,
                        @ColumnName("same_form_booking") Long sameFormBooking,
                        @ColumnName("same_form_family") Long sameFormFamily,
                        @ColumnName("guardian_of_family") boolean guardianOfFamily,
                        @ColumnName("already_booked") boolean alreadyBooked,
                        @ColumnName("active_of_type") int activeOfType,
                        @ColumnName("seat_likely") boolean seatLikely) {
    }

    /**
     * The booking form sent before with this token (if any), whether the guardian belongs to the family, the
     * session's workshop type and its limit per family, whether the family already holds this session or how many
     * of its type, and whether a seat looks free ({@link #SEAT_OPEN} without taking it or a lock).
     */
    @SqlQuery("""
            select ws.workshop_type_id, coalesce(wt.max_active_per_family, 0) as max_active_per_family,
                   prev.id as same_form_booking, prev.family_id as same_form_family,
                   exists (select 1 from guardian g where g.id = :guardian and g.family_id = :family) as guardian_of_family,
                   exists (select 1 from booking b where b.session_id = :session and b.family_id = :family
                           and b.status = 'active') as already_booked,
                   (select count(*) from booking b join workshop_session s on s.id = b.session_id
                    where b.family_id = :family and b.status = 'active' and s.workshop_type_id = ws.workshop_type_id
                      and s.ends_at > now()) as active_of_type,
                   coalesce((select true from workshop_session where id = :session and """ + SEAT_OPEN + """
                            ), false) as seat_likely
            from (select 1) one
            left join workshop_session ws on ws.id = :session
            left join workshop_type wt on wt.id = ws.workshop_type_id
            left join booking prev on prev.form_token = :token""")
    BookingCheck check(@Bind("family") long familyId, @Bind("guardian") long guardianId, @Bind("session") long sessionId,
                       @Bind("token") String formToken, @Bind("staff") boolean byStaff);

    @SqlQuery("select booked >= capacity from workshop_session where id = :id")
    boolean full(@Bind("id") long sessionId);


    @SqlUpdate("update workshop_session set booked = booked - 1, updated_at = now() where id = :id and booked > 0")
    int freeSeat(@Bind("id") long sessionId);

    @SqlUpdate("""
            insert into booking (session_id, family_id, guardian_id, form_token, booked_by_staff)
            values (:session, :family, :guardian, :token, :staff)""")
    @GetGeneratedKeys("id")
    long insertBooking(@Bind("session") long sessionId, @Bind("family") long familyId, @Bind("guardian") long guardianId,
                       @Bind("token") String formToken, @Bind("staff") Long staffId);

    /** Ends an active booking of this family; returns its session, or nothing when it was not active. */
    @SqlQuery("""
            update booking set status = :status, ended_at = now(), moved_to = :movedTo
            where id = :id and family_id = :family and status = 'active'
            returning session_id""")
    Optional<Long> endBooking(@Bind("id") long bookingId, @Bind("family") long familyId, @Bind("status") String status,
                              @Bind("movedTo") Long movedTo);

    // --- the waiting list ---

    @SqlUpdate("insert into waiting_entry (session_id, family_id, guardian_id) values (:session, :family, :guardian)")
    @GetGeneratedKeys("id")
    long insertWaiting(@Bind("session") long sessionId, @Bind("family") long familyId, @Bind("guardian") long guardianId);

    @SqlQuery("select id from waiting_entry where session_id = :session and family_id = :family and status = 'waiting'")
    Optional<Long> waitingEntry(@Bind("session") long sessionId, @Bind("family") long familyId);


    @SqlQuery("""
            update waiting_entry set status = 'withdrawn', ended_at = now()
            where id = :id and family_id = :family and status = 'waiting'
            returning session_id""")
    Optional<Long> withdrawWaiting(@Bind("id") long entryId, @Bind("family") long familyId);

    /**
     * After a booking: when the family has reached its limit for the workshop, it leaves every waiting list of that
     * workshop; otherwise only the list of the session it booked.
     */
    @SqlUpdate("""
            update waiting_entry w set status = 'withdrawn', ended_at = now()
            from workshop_session ws
            where ws.id = w.session_id and w.family_id = :family and w.status = 'waiting'
              and (w.session_id = :session or (:limitReached and ws.workshop_type_id = :type))""")
    int leaveWaitingLists(@Bind("family") long familyId, @Bind("session") long sessionId, @Bind("type") long workshopTypeId,
                          @Bind("limitReached") boolean limitReached);

    record Waiter(long id, @ColumnName("family_id") long familyId, @ColumnName("guardian_id") long guardianId) {
    }

    /** The first in line of a session. */
    @SqlQuery("""
            select id, family_id, guardian_id from waiting_entry
            where session_id = :session and status = 'waiting' order by id limit 1""")
    Optional<Waiter> firstWaiting(@Bind("session") long sessionId);

    @SqlQuery("select id, family_id, guardian_id from waiting_entry where id = :id and status = 'waiting' for update")
    Optional<Waiter> lockWaiting(@Bind("id") long entryId);

    @SqlUpdate("update waiting_entry set status = 'promoted', ended_at = now(), booking_id = :booking where id = :id")
    void markPromoted(@Bind("id") long entryId, @Bind("booking") long bookingId);

    // --- a family's own lists ---

    record MyBooking(long id, @ColumnName("session_id") long sessionId,
                     @ColumnName("workshop_type_id") long workshopTypeId, @ColumnName("title_fr") String titleFr,
                     @ColumnName("title_en") String titleEn, @ColumnName("school_name") String schoolName,
                     @ColumnName("room_name") String roomName, @ColumnName("starts_at") Instant startsAt,
                     @ColumnName("ends_at") Instant endsAt, @ColumnName("guardian_name") String guardianName,
                     @ColumnName("by_staff") boolean byStaff, @ColumnName("can_change") boolean canChange) {
        public String title(String lang) {
            return "en".equals(lang) ? titleEn : titleFr;
        }
    }

    /** A family's active bookings of sessions not ended yet; can_change when the session has not started. */
    @SqlQuery("""
            select b.id, b.session_id, ws.workshop_type_id, wt.title_fr, wt.title_en, s.name as school_name,
                   r.name as room_name,
                   ws.starts_at, ws.ends_at, g.first_name || ' ' || g.last_name as guardian_name,
                   b.booked_by_staff is not null as by_staff, ws.starts_at > now() as can_change
            from booking b
            join workshop_session ws on ws.id = b.session_id
            join workshop_type wt on wt.id = ws.workshop_type_id
            join school s on s.id = ws.school_id
            join room r on r.id = ws.room_id
            join guardian g on g.id = b.guardian_id
            where b.family_id = :family and b.status = 'active' and ws.ends_at > now()
            order by ws.starts_at, b.id""")
    List<MyBooking> activeBookings(@Bind("family") long familyId);

    record MyWaiting(long id, @ColumnName("session_id") long sessionId, @ColumnName("title_fr") String titleFr,
                     @ColumnName("title_en") String titleEn, @ColumnName("school_name") String schoolName,
                     @ColumnName("starts_at") Instant startsAt, int position) {
        public String title(String lang) {
            return "en".equals(lang) ? titleEn : titleFr;
        }
    }

    @SqlQuery("""
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

    record GuardianChoice(long id, @ColumnName("first_name") String firstName, @ColumnName("last_name") String lastName) {
        public String name() {
            return firstName + " " + lastName;
        }
    }

    @SqlQuery("select id, first_name, last_name from guardian where family_id = :family order by id")
    List<GuardianChoice> guardians(@Bind("family") long familyId);

    record FamilyCard(long id, String reference, @ColumnName("letter_code") String letterCode, String guardians,
                      String children) {
    }

    @SqlQuery("""
            select f.id, f.reference, f.letter_code,
                   coalesce((select string_agg(g.first_name || ' ' || g.last_name, ', ' order by g.id) from guardian g
                     where g.family_id = f.id), '') as guardians,
                   coalesce((select string_agg(c.first_name || ' ' || c.last_name || ' (' || c.class_level || ', '
                     || sc.name || ')', ', ' order by c.first_name) from child c join school sc on sc.id = c.school_id
                     where c.family_id = f.id), '') as children
            from family f where f.id = :id""")
    Optional<FamilyCard> family(@Bind("id") long familyId);

    // --- audit ---

    @SqlUpdate("insert into audit_log (actor, action, entity, entity_id, details) "
            + "values (:actor, :action, :entity, :entityId, cast(:details as jsonb))")
    void audit(@Bind("actor") String actor, @Bind("action") String action, @Bind("entity") String entity,
               @Bind("entityId") Long entityId, @Bind("details") String detailsJson);
}
