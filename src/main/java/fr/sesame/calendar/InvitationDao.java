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
 * The SQL of invitations and of the outbox they are sent through, written inside the booking transactions. Jdbi
 * prepares every method of a DAO each time one is attached to a handle, so those transactions attach this one
 * rather than {@link CalendarDao} (which extends it with the feeds).
 */
public interface InvitationDao {

    /** A booking with everything its invitation says. */
    record BookingRow(@ColumnName("booking_id") long bookingId, @ColumnName("family_id") long familyId,
                      @ColumnName("booking_status") String bookingStatus, @ColumnName("calendar_uid") UUID calendarUid,
                      @ColumnName("guardian_id") long guardianId, @ColumnName("first_name") String firstName,
                      @ColumnName("last_name") String lastName, String email, String language,
                      @ColumnName("session_id") long sessionId, @ColumnName("session_status") String sessionStatus,
                      @ColumnName("starts_at") Instant startsAt, @ColumnName("ends_at") Instant endsAt,
                      @ColumnName("title_fr") String titleFr, @ColumnName("title_en") String titleEn,
                      @ColumnName("school_name") String schoolName, String address, String postcode, String city,
                      @ColumnName("room_name") String roomName) {
        String title(String lang) {
            return "en".equals(lang) ? titleEn : titleFr;
        }

        String guardianName() {
            return (firstName + " " + lastName).trim();
        }
    }

    /** The invitation a booking's guardian holds. */
    record Invitation(@ColumnName("booking_id") long bookingId, UUID uid, int sequence, String state) {
    }

    String BOOKING_SELECT = """
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

    @SqlQuery(BOOKING_SELECT + " where b.id = :id")
    Optional<BookingRow> booking(@Bind("id") long bookingId);

    // --- invitations

    @SqlQuery("select booking_id, uid, sequence, state from calendar_invitation where booking_id = :id for update")
    Optional<Invitation> invitationForUpdate(@Bind("id") long bookingId);

    @SqlQuery("select booking_id, uid, sequence, state from calendar_invitation where booking_id = :id")
    Optional<Invitation> invitation(@Bind("id") long bookingId);

    @SqlUpdate("""
            insert into calendar_invitation (booking_id, uid, sequence, state) values (:booking, :uid, :sequence, 'active')
            on conflict (booking_id) do nothing""")
    int insertInvitation(@Bind("booking") long bookingId, @Bind("uid") UUID uid, @Bind("sequence") int sequence);

    @SqlUpdate("""
            update calendar_invitation set sequence = sequence + 1, state = :state, updated_at = now()
            where booking_id = :booking""")
    void raiseInvitation(@Bind("booking") long bookingId, @Bind("state") String state);

    @SqlUpdate("""
            update calendar_invitation set state = 'moved', superseded_by = :next, updated_at = now()
            where booking_id = :booking""")
    void supersede(@Bind("booking") long bookingId, @Bind("next") long nextBookingId);

    /** The live invitations of a session, locked: the bookings whose calendars must hear of a change. */
    @SqlQuery("""
            select ci.booking_id, ci.uid, ci.sequence, ci.state from calendar_invitation ci
            join booking b on b.id = ci.booking_id
            where b.session_id = :session and ci.state = 'active'
            order by ci.booking_id
            for update of ci""")
    List<Invitation> activeInvitationsOfSession(@Bind("session") long sessionId);

    @SqlUpdate("update workshop_session set calendar_sequence = calendar_sequence + 1, updated_at = now() where id = :id")
    void raiseSessionSequence(@Bind("id") long sessionId);

    // --- outbox

    /**
     * The e-mail to send about this event; its text and iCalendar part are composed when it is sent (OutboxMails),
     * which keeps that work out of the booking transaction.
     */
    @SqlUpdate("""
            insert into calendar_outbox (idempotency_key, booking_id, guardian_id, recipient, language, kind, subject,
                                         event_uid, event_sequence, ics_method, status)
            values (:key, :booking, :guardian, :recipient, :language, :kind, :subject, :uid, :sequence, :method,
                    case when cast(:recipient as text) is null then 'no_address' else 'pending' end)
            on conflict (idempotency_key) do nothing""")
    int enqueue(@Bind("key") String key, @Bind("booking") long bookingId, @Bind("guardian") long guardianId,
                @Bind("recipient") String recipient, @Bind("language") String language, @Bind("kind") String kind,
                @Bind("subject") String subject, @Bind("uid") UUID uid, @Bind("sequence") int sequence,
                @Bind("method") String method);
}
