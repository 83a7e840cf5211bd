package fr.sesame.attendance;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.mapper.reflect.ColumnName;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * Sessions as the trainer sees them, their attendance sheets, marks, closures and charter
 * signatures.
 */
public interface AttendanceDao {
    record Session(
            long id,
            @ColumnName("title_fr") String titleFr,
            @ColumnName("title_en") String titleEn,
            @ColumnName("school_name") String schoolName,
            @ColumnName("room_name") String roomName,
            @ColumnName("starts_at") Instant startsAt,
            @ColumnName("ends_at") Instant endsAt,
            String status,
            @ColumnName("requires_charter") boolean requiresCharter,
            @ColumnName("qualifies") boolean qualifies,
            @ColumnName("closed_at") Instant closedAt,
            @ColumnName("is_trainer") boolean isTrainer) {
        public String title(String lang) {
            return "en".equals(lang) ? titleEn : titleFr;
        }

        public boolean closed() {
            return closedAt != null || "closed".equals(status);
        }
    }

    /** The session, and whether this staff member is one of its trainers. */
    String SESSION =
            """
            select ws.id, wt.title_fr, wt.title_en, s.name as school_name, r.name as room_name, ws.starts_at, ws.ends_at,
                   ws.status, wt.requires_charter, wt.qualifies_for_home_use as qualifies, sc.closed_at,
                   exists (select 1 from session_trainer st where st.session_id = ws.id and st.staff_id = :staff) as is_trainer
            from workshop_session ws
            join workshop_type wt on wt.id = ws.workshop_type_id
            join school s on s.id = ws.school_id
            join room r on r.id = ws.room_id
            left join session_closure sc on sc.session_id = ws.id
            where ws.id = :id
            """;

    @SqlQuery(SESSION)
    Optional<Session> session(@Bind("id") long sessionId, @Bind("staff") long staffId);

    /**
     * The same, with the session row locked in share mode: a close waits for the marks in flight.
     */
    @SqlQuery(SESSION + " for share of ws")
    Optional<Session> sessionShared(@Bind("id") long sessionId, @Bind("staff") long staffId);

    @SqlQuery("select id from workshop_session where id = :id for share")
    Optional<Long> lockSessionShared(@Bind("id") long sessionId);

    /**
     * For the close: the marks in flight hold the row in share mode, and the close waits for them.
     */
    @SqlQuery("select id from workshop_session where id = :id for no key update")
    Optional<Long> lockSession(@Bind("id") long sessionId);

    record SheetLine(
            @ColumnName("guardian_id") long guardianId,
            @ColumnName("first_name") String firstName,
            @ColumnName("last_name") String lastName,
            String children,
            String mark,
            @ColumnName("walk_in") boolean walkIn,
            @ColumnName("booked") boolean booked,
            @ColumnName("charter_signed") boolean charterSigned,
            @ColumnName("home_use") boolean homeUse,
            @ColumnName("has_device") boolean hasDevice,
            @ColumnName("home_reason") String homeReason,
            /** The guardian's language: the charter is shown to them in it. */
            String language) {
        /**
         * The guardian came and the workshop asks for the charter, which they have not signed yet.
         */
        public boolean needsSignature(boolean requiresCharter) {
            return requiresCharter
                    && !charterSigned
                    && ("present".equals(mark) || "late".equals(mark));
        }

        /** The message key saying whether the family's computer may go home, and why. */
        public String homeKey() {
            return hasDevice ? "attendance.home." + homeReason : "attendance.home.none";
        }
    }

    /**
     * The guardians booked on the session, and those marked there (walk-ins), with their children.
     */
    @SqlQuery(
            """
            with r as (
                select guardian_id from booking where session_id = :s and status = 'active'
                union
                select guardian_id from attendance where session_id = :s)
            select g.id as guardian_id, g.first_name, g.last_name, g.language,
                   coalesce((select string_agg(c.first_name || ' ' || c.last_name || ' (' || c.class_level || ', '
                                 || sc.name || ')', ', ' order by c.first_name)
                             from child c join school sc on sc.id = c.school_id where c.family_id = g.family_id), '')
                       as children,
                   a.mark, coalesce(a.walk_in, false) as walk_in,
                   exists (select 1 from booking b where b.session_id = :s and b.guardian_id = g.id
                           and b.status = 'active') as booked,
                   exists (select 1 from charter_signature cs where cs.guardian_id = g.id) as charter_signed,
                   exists (select 1 from device d join child c on c.id = d.child_id
                           where c.family_id = g.family_id and d.state = 'home_use') as home_use,
                   exists (select 1 from device d join child c on c.id = d.child_id
                           where c.family_id = g.family_id and d.state in ('school_only', 'home_use')) as has_device,
                   hd.reason as home_reason
            from r join guardian g on g.id = r.guardian_id
            cross join lateral home_use_decision(g.family_id) hd
            left join attendance a on a.session_id = :s and a.guardian_id = g.id
            order by lower(g.last_name), lower(g.first_name), g.id""")
    List<SheetLine> sheetLines(@Bind("s") long sessionId);

    record StoredMark(
            @ColumnName("session_id") long sessionId,
            @ColumnName("guardian_id") long guardianId,
            String answer) {}

    @SqlQuery(
            "select session_id, guardian_id, answer::text as answer from attendance_mark where client_mark_id = :id")
    Optional<StoredMark> storedMark(@Bind("id") UUID clientMarkId);

    @SqlQuery("select family_id from guardian where id = :id")
    Optional<Long> familyOf(@Bind("id") long guardianId);

    record Current(
            long id,
            String mark,
            @ColumnName("marked_at") Instant markedAt,
            @ColumnName("walk_in") boolean walkIn) {}

    /**
     * What a mark needs to know of a guardian at a session, in one read: run it under the family's
     * lock.
     */
    record MarkState(
            @ColumnName("booking_id") Long bookingId,
            @ColumnName("attendance_id") Long attendanceId,
            String mark,
            @ColumnName("marked_at") Instant markedAt,
            @ColumnName("walk_in") Boolean walkIn,
            @ColumnName("charter_signed") boolean charterSigned) {
        Optional<Current> current() {
            return attendanceId == null
                    ? Optional.empty()
                    : Optional.of(new Current(attendanceId, mark, markedAt, walkIn));
        }
    }

    /**
     * The guardian's active booking of the session, their current mark there, and whether they
     * signed the charter.
     */
    @SqlQuery(
            """
            select (select id from booking where session_id = :s and guardian_id = :g and status = 'active') as booking_id,
                   a.id as attendance_id, a.mark, a.marked_at, a.walk_in,
                   exists (select 1 from charter_signature where guardian_id = :g) as charter_signed
            from (select 1) one
            left join attendance a on a.session_id = :s and a.guardian_id = :g""")
    MarkState markState(@Bind("s") long sessionId, @Bind("g") long guardianId);

    @SqlUpdate(
            """
            insert into attendance (session_id, guardian_id, booking_id, mark, marked_at, marked_by, client_mark_id, walk_in)
            values (:s, :g, :booking, :mark, :at, :by, :client, :walkIn)
            on conflict (session_id, guardian_id) do update set mark = excluded.mark, marked_at = excluded.marked_at,
                marked_by = excluded.marked_by, client_mark_id = excluded.client_mark_id,
                booking_id = coalesce(attendance.booking_id, excluded.booking_id)
            returning id""")
    @GetGeneratedKeys("id")
    long upsert(
            @Bind("s") long sessionId,
            @Bind("g") long guardianId,
            @Bind("booking") Long bookingId,
            @Bind("mark") String mark,
            @Bind("at") Instant markedAt,
            @Bind("by") Long staffId,
            @Bind("client") UUID clientMarkId,
            @Bind("walkIn") boolean walkIn);

    @SqlUpdate(
            """
            insert into attendance_mark (client_mark_id, session_id, guardian_id, mark, made_at, made_by, walk_in, applied,
                                         reason, answer)
            values (:client, :s, :g, :mark, :at, :by, :walkIn, :applied, :reason, cast(:answer as json))""")
    void recordMark(
            @Bind("client") UUID clientMarkId,
            @Bind("s") long sessionId,
            @Bind("g") long guardianId,
            @Bind("mark") String mark,
            @Bind("at") Instant madeAt,
            @Bind("by") Long staffId,
            @Bind("walkIn") boolean walkIn,
            @Bind("applied") boolean applied,
            @Bind("reason") String reason,
            @Bind("answer") String answerJson);

    @SqlUpdate(
            "insert into session_closure (session_id, closed_by) values (:s, :by) on conflict do nothing")
    int close(@Bind("s") long sessionId, @Bind("by") long staffId);

    @SqlUpdate(
            "update workshop_session set status = 'closed', updated_at = now() where id = :s and status = 'scheduled'")
    int markClosed(@Bind("s") long sessionId);

    record Charter(
            long id,
            int version,
            @ColumnName("text_fr") String textFr,
            @ColumnName("text_en") String textEn,
            @ColumnName("text_ar") String textAr,
            @ColumnName("text_tr") String textTr,
            @ColumnName("text_pt") String textPt,
            @ColumnName("text_uk") String textUk) {
        /** The text in the language, else in French (a version not translated into it yet). */
        public String text(String lang) {
            String text =
                    switch (lang == null ? "fr" : lang) {
                        case "en" -> textEn;
                        case "ar" -> textAr;
                        case "tr" -> textTr;
                        case "pt" -> textPt;
                        case "uk" -> textUk;
                        default -> textFr;
                    };
            return text == null ? textFr : text;
        }
    }

    @SqlQuery(
            "select id, version, text_fr, text_en, text_ar, text_tr, text_pt, text_uk from charter_version"
                    + " order by version desc limit 1")
    Charter currentCharter();

    @SqlQuery(
            "select id, version, text_fr, text_en, text_ar, text_tr, text_pt, text_uk from charter_version"
                    + " where version = :v")
    Optional<Charter> charter(@Bind("v") int version);

    @SqlQuery(
            """
            insert into charter_signature (guardian_id, charter_version_id, session_id, image_png, signed_at, signed_by,
                                           client_id)
            values (:g, :charter, :s, :image, :at, :by, :client)
            on conflict (client_id) do nothing
            returning id""")
    Optional<Long> insertSignature(
            @Bind("g") long guardianId,
            @Bind("charter") long charterId,
            @Bind("s") long sessionId,
            @Bind("image") byte[] png,
            @Bind("at") Instant signedAt,
            @Bind("by") long staffId,
            @Bind("client") UUID clientId);

    @SqlQuery("select guardian_id from charter_signature where client_id = :client")
    Optional<Long> signatureGuardian(@Bind("client") UUID clientId);

    record Candidate(
            @ColumnName("guardian_id") long guardianId,
            @ColumnName("first_name") String firstName,
            @ColumnName("last_name") String lastName,
            String children) {}

    /** Guardians found by name, or all the guardians of the family whose letter code this is. */
    @SqlQuery(
            """
            select g.id as guardian_id, g.first_name, g.last_name, g.language,
                   coalesce((select string_agg(c.first_name || ' ' || c.last_name || ' (' || c.class_level || ')', ', '
                             order by c.first_name) from child c where c.family_id = g.family_id), '') as children
            from guardian g join family f on f.id = g.family_id
            where (:code <> '' and f.letter_code = :code)
               or (:q <> '' and (g.last_name || ' ' || g.first_name) ilike '%' || :q || '%')
               or (:q <> '' and (g.first_name || ' ' || g.last_name) ilike '%' || :q || '%')
            order by lower(g.last_name), lower(g.first_name), g.id
            limit 20""")
    List<Candidate> search(@Bind("q") String nameQuery, @Bind("code") String letterCode);

    record Known(
            @ColumnName("guardian_id") long guardianId,
            @ColumnName("first_name") String firstName,
            @ColumnName("last_name") String lastName,
            String children,
            @ColumnName("letter_code") String letterCode) {}

    /**
     * The guardians of the families with a child at the session's school: the tablet keeps them to
     * find a walk-in while the network is down.
     */
    @SqlQuery(
            """
            select g.id as guardian_id, g.first_name, g.last_name, g.language,
                   coalesce((select string_agg(c.first_name || ' ' || c.last_name || ' (' || c.class_level || ')', ', '
                             order by c.first_name) from child c where c.family_id = g.family_id), '') as children,
                   f.letter_code
            from guardian g join family f on f.id = g.family_id
            where exists (select 1 from child c where c.family_id = g.family_id
                          and c.school_id = (select school_id from workshop_session where id = :s))
            order by lower(g.last_name), lower(g.first_name), g.id
            limit 3000""")
    List<Known> schoolGuardians(@Bind("s") long sessionId);
}
