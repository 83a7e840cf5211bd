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
 * The SQL of feed tokens, feeds and the calendar pages; with that of invitations, in {@link
 * InvitationDao}.
 */
public interface CalendarDao extends InvitationDao {

    /** A school an admin may choose. */
    record SchoolOption(long id, String name) {}

    @SqlQuery("select id, name from school order by name")
    List<SchoolOption> schools();

    /** A session as feeds show it; for a guardian's feed, with the booking's invitation. */
    record SessionRow(
            long id,
            @ColumnName("starts_at") Instant startsAt,
            @ColumnName("ends_at") Instant endsAt,
            String status,
            @ColumnName("calendar_sequence") int calendarSequence,
            @ColumnName("updated_at") Instant updatedAt,
            int capacity,
            int booked,
            @ColumnName("title_fr") String titleFr,
            @ColumnName("title_en") String titleEn,
            @ColumnName("school_name") String schoolName,
            String address,
            String postcode,
            String city,
            @ColumnName("room_name") String roomName,
            @ColumnName("booking_id") Long bookingId,
            UUID uid,
            @ColumnName("booking_cancelled") boolean bookingCancelled) {
        String title(String lang) {
            return "en".equals(lang) ? titleEn : titleFr;
        }
    }

    /**
     * Whose feed a token opens (none for a disabled staff account's), and the change counter read
     * with it.
     */
    record FeedOwner(
            @ColumnName("owner_kind") String kind,
            @ColumnName("owner_id") long ownerId,
            String language,
            long version) {}

    /** A live feed token, without its secret. */
    record LiveToken(@ColumnName("created_at") Instant createdAt) {}

    @SqlQuery(BOOKING_SELECT + " where b.id = :id and b.family_id = :family")
    Optional<BookingRow> bookingOfFamily(@Bind("id") long bookingId, @Bind("family") long familyId);

    @SqlQuery(
            BOOKING_SELECT
                    + """
             where b.family_id = :family and b.status = 'active' and ws.ends_at > now() - interval '1 day'
             order by ws.starts_at""")
    List<BookingRow> upcomingBookingsOfFamily(@Bind("family") long familyId);

    // --- feed tokens

    @SqlUpdate(
            """
            update calendar_feed_token set revoked_at = now()
            where owner_kind = :kind and owner_id = :owner and revoked_at is null""")
    int revokeTokens(@Bind("kind") String kind, @Bind("owner") long ownerId);

    @SqlUpdate(
            "insert into calendar_feed_token (owner_kind, owner_id, token_hash, language) values (:kind, :owner, :hash, :lang)")
    void insertToken(
            @Bind("kind") String kind,
            @Bind("owner") long ownerId,
            @Bind("hash") String hash,
            @Bind("lang") String language);

    @SqlQuery(
            """
            select created_at from calendar_feed_token
            where owner_kind = :kind and owner_id = :owner and revoked_at is null""")
    Optional<LiveToken> liveToken(@Bind("kind") String kind, @Bind("owner") long ownerId);

    @SqlQuery(
            """
            select t.owner_kind, t.owner_id, t.language, (select last_value from calendar_change_seq) as version
            from calendar_feed_token t where t.token_hash = :hash and t.revoked_at is null
              and (t.owner_kind not in ('trainer', 'admin')
                   or exists (select 1 from staff_account a where a.id = t.owner_id and a.active))""")
    Optional<FeedOwner> feedOwner(@Bind("hash") String tokenHash);

    @SqlQuery("select last_value from calendar_change_seq")
    long changeVersion();

    // --- feeds

    String SESSION_SELECT =
            """
            select ws.id, ws.starts_at, ws.ends_at, ws.status, ws.calendar_sequence, ws.updated_at, ws.capacity, ws.booked,
                   wt.title_fr, wt.title_en, s.name as school_name, s.address, s.postcode, s.city, r.name as room_name
            """;
    String SESSION_JOINS =
            """
            join workshop_type wt on wt.id = ws.workshop_type_id
            join school s on s.id = ws.school_id
            join room r on r.id = ws.room_id
            """;

    /**
     * Sessions of the last 90 days and to come; a cancelled one for 30 days after its cancellation.
     */
    String SESSION_WINDOW =
            """
            ((ws.status <> 'cancelled' and ws.ends_at > now() - interval '90 days')
             or (ws.status = 'cancelled' and ws.updated_at > now() - interval '30 days'))
            """;

    @SqlQuery(
            SESSION_SELECT
                    + ", null::bigint as booking_id, null::uuid as uid, false as booking_cancelled"
                    + " from workshop_session ws "
                    + SESSION_JOINS
                    + " where "
                    + SESSION_WINDOW
                    + " and ws.school_id = :school order by ws.starts_at, ws.id")
    List<SessionRow> schoolSessions(@Bind("school") long schoolId);

    @SqlQuery(
            SESSION_SELECT
                    + ", null::bigint as booking_id, null::uuid as uid, false as booking_cancelled"
                    + " from workshop_session ws "
                    + SESSION_JOINS
                    + " where "
                    + SESSION_WINDOW
                    + " and exists (select 1 from session_trainer st where st.session_id = ws.id and st.staff_id = :staff)"
                    + " order by ws.starts_at, ws.id")
    List<SessionRow> trainerSessions(@Bind("staff") long staffId);

    @SqlQuery(
            SESSION_SELECT
                    + ", null::bigint as booking_id, null::uuid as uid, false as booking_cancelled"
                    + " from workshop_session ws "
                    + SESSION_JOINS
                    + " where "
                    + SESSION_WINDOW
                    + " order by ws.starts_at, ws.id")
    List<SessionRow> allSessions();

    /**
     * A guardian's bookings: live ones, and cancelled ones for 30 days. The sequence and UID are
     * the invitation's when one was sent (a moved booking's event lives on under the new booking).
     */
    @SqlQuery(
            """
            select ws.id, ws.starts_at, ws.ends_at, ws.status, coalesce(ci.sequence, ws.calendar_sequence) as calendar_sequence,
                   ws.updated_at, ws.capacity, ws.booked,
                   wt.title_fr, wt.title_en, s.name as school_name, s.address, s.postcode, s.city, r.name as room_name
            , b.id as booking_id, coalesce(ci.uid, b.calendar_uid) as uid, (b.status = 'cancelled') as booking_cancelled
            from booking b
            join workshop_session ws on ws.id = b.session_id
            """
                    + SESSION_JOINS
                    + """
            left join calendar_invitation ci on ci.booking_id = b.id
            where b.guardian_id = :guardian and b.status <> 'moved'
              and ((b.status = 'active' and """
                    + SESSION_WINDOW
                    + """
                   ) or (b.status = 'cancelled' and b.ended_at > now() - interval '30 days'))
            order by ws.starts_at, b.id""")
    List<SessionRow> guardianBookings(@Bind("guardian") long guardianId);

    @SqlQuery("select name from school where id = :id")
    Optional<String> schoolName(@Bind("id") long schoolId);

    @SqlQuery("select display_name from staff_account where id = :id")
    Optional<String> staffName(@Bind("id") long staffId);

    @SqlQuery("select first_name || ' ' || last_name from guardian where id = :id")
    Optional<String> guardianName(@Bind("id") long guardianId);
}
