package fr.sesame.booking;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.reflect.ColumnName;

/**
 * The statements of the busiest requests: a parent's session page and the booking transaction,
 * written once in {@link Seats} on Jdbi's fluent API, which those requests call directly on their
 * handle; attaching a SqlObject prepares every method of it each time (the booking storm's profile
 * put that above the cost of the statements). Other paths reach the same statements through these
 * methods of {@link BookingDao}, which extends this.
 */
public interface SeatDao extends org.jdbi.v3.sqlobject.SqlObject {

    /** The columns of {@link SessionView}; :family is the family the page is about (0 for none). */
    /** The columns of a {@link SessionView}; {@link #SESSION_FROM} names their tables. */
    String SESSION_COLUMNS =
            """
            select ws.id, ws.workshop_type_id, wt.code as workshop_code, wt.title_fr, wt.title_en,
                   wt.description_fr, wt.description_en, wt.qualifies_for_home_use as unlocks_home_use,
                   wt.requires_charter, ws.school_id, s.uai as school_uai, s.name as school_name,
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
            """;

    String SESSION_FROM =
            """
            from workshop_session ws
            join workshop_type wt on wt.id = ws.workshop_type_id
            join school s on s.id = ws.school_id
            join room r on r.id = ws.room_id
            """;

    String SESSION_VIEW = SESSION_COLUMNS + SESSION_FROM;

    default Optional<SessionView> session(long id, long familyId) {
        return Seats.session(getHandle(), id, familyId);
    }

    /**
     * A session with a seat left that may be booked now. Staff may book before the window opens and
     * after it closes, not after the start.
     */
    String SEAT_OPEN =
            " (booked < capacity and status = 'scheduled' and starts_at > now()"
                    + " and (:staff or ((booking_opens_at is null or booking_opens_at <= now())"
                    + " and starts_at - make_interval(hours => booking_closes_hours) > now()))) ";

    /**
     * Takes a seat if {@link #SEAT_OPEN}; the database decides, so two requests never take the last
     * seat twice.
     */
    default Optional<Long> takeSeat(long sessionId, boolean byStaff) {
        return Seats.takeSeat(getHandle(), sessionId, byStaff);
    }

    /** What a booking must check, read in one statement once the family is locked. */
    record BookingCheck(
            @ColumnName("workshop_type_id") Long workshopTypeId,
            @ColumnName("max_active_per_family") int maxActivePerFamily,
            @ColumnName("same_form_booking") Long sameFormBooking,
            @ColumnName("same_form_family") Long sameFormFamily,
            @ColumnName("guardian_of_family") boolean guardianOfFamily,
            @ColumnName("already_booked") boolean alreadyBooked,
            @ColumnName("active_of_type") int activeOfType,
            @ColumnName("seat_likely") boolean seatLikely) {}

    /**
     * The booking form sent before with this token (if any), whether the guardian belongs to the
     * family, the session's workshop type and its limit per family, whether the family already
     * holds this session or how many of its type, and whether a seat looks free ({@link #SEAT_OPEN}
     * without taking it or a lock).
     */
    default BookingCheck check(
            long familyId, long guardianId, long sessionId, String formToken, boolean byStaff) {
        return Seats.check(getHandle(), familyId, guardianId, sessionId, formToken, byStaff);
    }

    default long insertBooking(
            long sessionId, long familyId, long guardianId, String formToken, Long staffId) {
        return Seats.insertBooking(
                getHandle(), sessionId, familyId, guardianId, formToken, staffId);
    }

    /**
     * After a booking: when the family has reached its limit for the workshop, it leaves every
     * waiting list of that workshop; otherwise only the list of the session it booked.
     */
    default int leaveWaitingLists(
            long familyId, long sessionId, long workshopTypeId, boolean limitReached) {
        return Seats.leaveWaitingLists(
                getHandle(), familyId, sessionId, workshopTypeId, limitReached);
    }

    record MyBooking(
            long id,
            @ColumnName("session_id") long sessionId,
            @ColumnName("workshop_type_id") long workshopTypeId,
            @ColumnName("title_fr") String titleFr,
            @ColumnName("title_en") String titleEn,
            @ColumnName("school_name") String schoolName,
            @ColumnName("room_name") String roomName,
            @ColumnName("starts_at") Instant startsAt,
            @ColumnName("ends_at") Instant endsAt,
            @ColumnName("guardian_name") String guardianName,
            @ColumnName("by_staff") boolean byStaff,
            @ColumnName("can_change") boolean canChange) {
        public String title(String lang) {
            return "en".equals(lang) ? titleEn : titleFr;
        }
    }

    /**
     * A family's active bookings of sessions not ended yet; can_change when the session has not
     * started and the booking is not history (attended, or its session closed: migrations/V10's
     * booking_is_history).
     */
    default List<MyBooking> activeBookings(long familyId) {
        return Seats.activeBookings(getHandle(), familyId);
    }
}
