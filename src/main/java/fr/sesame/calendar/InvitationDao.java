package fr.sesame.calendar;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.mapper.reflect.ColumnName;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * The SQL of invitations and of the outbox they are sent through, written inside the booking
 * transactions. Jdbi prepares every method of a DAO each time one is attached to a handle, so those
 * transactions attach this one rather than {@link CalendarDao} (which extends it with the feeds); a
 * new booking's invitation, the busiest, runs its statements from {@link Invitations} without
 * attaching anything.
 */
public interface InvitationDao extends org.jdbi.v3.sqlobject.SqlObject {

    /** A booking with everything its invitation says. */
    record BookingRow(
            @ColumnName("booking_id") long bookingId,
            @ColumnName("family_id") long familyId,
            @ColumnName("booking_status") String bookingStatus,
            @ColumnName("calendar_uid") UUID calendarUid,
            @ColumnName("guardian_id") long guardianId,
            @ColumnName("first_name") String firstName,
            @ColumnName("last_name") String lastName,
            String email,
            String language,
            @ColumnName("session_id") long sessionId,
            @ColumnName("session_status") String sessionStatus,
            @ColumnName("starts_at") Instant startsAt,
            @ColumnName("ends_at") Instant endsAt,
            @ColumnName("title_fr") String titleFr,
            @ColumnName("title_en") String titleEn,
            @ColumnName("school_name") String schoolName,
            String address,
            String postcode,
            String city,
            @ColumnName("room_name") String roomName) {
        String title(String lang) {
            return "en".equals(lang) ? titleEn : titleFr;
        }

        String guardianName() {
            return (firstName + " " + lastName).trim();
        }
    }

    /** The invitation a booking's guardian holds. */
    record Invitation(
            @ColumnName("booking_id") long bookingId, UUID uid, int sequence, String state) {}

    String BOOKING_SELECT =
            """
            select b.id as booking_id, b.family_id, b.status as booking_status, b.calendar_uid,
                   g.id as guardian_id, g.first_name, g.last_name, g.email, g.language,
                   ws.id as session_id, ws.status as session_status, ws.starts_at, ws.ends_at,
                   wt.title_fr, wt.title_en, s.name as school_name, s.address, s.postcode, s.city, r.name as room_name
            from booking b
            join guardian g on g.id = b.guardian_id
            join workshop_session ws on ws.id = b.session_id
            join workshop_type wt on wt.id = ws.workshop_type_id
            join school s on s.id = ws.school_id
            join room r on r.id = ws.room_id
            """;

    default Optional<BookingRow> booking(long bookingId) {
        return Invitations.booking(getHandle(), bookingId);
    }

    // --- invitations

    @SqlQuery(
            "select booking_id, uid, sequence, state from calendar_invitation where booking_id = :id for update")
    Optional<Invitation> invitationForUpdate(@Bind("id") long bookingId);

    @SqlQuery(
            "select booking_id, uid, sequence, state from calendar_invitation where booking_id = :id")
    Optional<Invitation> invitation(@Bind("id") long bookingId);

    default int insertInvitation(long bookingId, UUID uid, int sequence) {
        return Invitations.insertInvitation(getHandle(), bookingId, uid, sequence);
    }

    @SqlUpdate(
            """
            update calendar_invitation set sequence = sequence + 1, state = :state, updated_at = now()
            where booking_id = :booking""")
    void raiseInvitation(@Bind("booking") long bookingId, @Bind("state") String state);

    @SqlUpdate(
            """
            update calendar_invitation set state = 'moved', superseded_by = :next, updated_at = now()
            where booking_id = :booking""")
    void supersede(@Bind("booking") long bookingId, @Bind("next") long nextBookingId);

    /**
     * The live invitations of a session, locked: the bookings whose calendars must hear of a
     * change.
     */
    @SqlQuery(
            """
            select ci.booking_id, ci.uid, ci.sequence, ci.state from calendar_invitation ci
            join booking b on b.id = ci.booking_id
            where b.session_id = :session and ci.state = 'active'
            order by ci.booking_id
            for update of ci""")
    List<Invitation> activeInvitationsOfSession(@Bind("session") long sessionId);

    @SqlUpdate(
            "update workshop_session set calendar_sequence = calendar_sequence + 1, updated_at = now() where id = :id")
    void raiseSessionSequence(@Bind("id") long sessionId);

    // --- outbox

    /**
     * The e-mail to send about this event; its text and iCalendar part are composed when it is sent
     * (OutboxMails), which keeps that work out of the booking transaction.
     */
    default int enqueue(
            String key,
            long bookingId,
            long guardianId,
            String recipient,
            String language,
            String kind,
            String subject,
            UUID uid,
            int sequence,
            String method) {
        return Invitations.enqueue(
                getHandle(),
                key,
                bookingId,
                guardianId,
                recipient,
                language,
                kind,
                subject,
                uid,
                sequence,
                method);
    }
}
