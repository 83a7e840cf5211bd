package fr.sesame.attendance;

import com.fasterxml.jackson.annotation.JsonInclude;
import fr.sesame.audit.Actor;
import fr.sesame.audit.Audit;
import fr.sesame.devices.HomeUse;
import fr.sesame.json.Json;
import fr.sesame.web.CurrentUser;
import fr.sesame.web.Refusal;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.jdbi.v3.core.Jdbi;

/**
 * Marks, walk-ins, closing a session and charter signatures. Each call is one transaction in which
 * the home-use rule runs too, so a mark and the unlock it causes commit together. Marks are
 * idempotent by their client id.
 */
public final class AttendanceService {
    static final Set<String> MARKS = Set.of("present", "absent", "late", "excused");
    static final int MAX_SIGNATURE_BYTES = 200_000;

    /** One mark as a tablet sends it; a null mark undoes the guardian's mark. */
    record Mark(
            long sessionId,
            long guardianId,
            String mark,
            UUID clientMarkId,
            Instant madeAt,
            boolean walkIn,
            String reason) {}

    /**
     * How far a tablet's clock may run ahead of the server's before a mark's time is refused as in
     * the future.
     */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(1);

    private final Jdbi jdbi;
    private final java.util.function.Supplier<Duration> markingOpens;

    /**
     * @param markingOpens how long before a session's start its marks, walk-ins, signatures and
     *     closing are taken
     */
    public AttendanceService(Jdbi jdbi, Duration markingOpens) {
        this(jdbi, markingOpens, (h, sessionId) -> {});
    }

    /**
     * {@code afterClose} runs in the close's transaction, once the session is closed (the no-show
     * follow-up).
     */
    public AttendanceService(Jdbi jdbi, Duration markingOpens, AfterClose afterClose) {
        this(jdbi, () -> markingOpens, afterClose);
    }

    /** With the current town's marking window, read at each mark (issue 17). */
    public AttendanceService(
            Jdbi jdbi, java.util.function.Supplier<Duration> markingOpens, AfterClose afterClose) {
        this.jdbi = jdbi;
        this.markingOpens = markingOpens;
        this.afterClose = afterClose;
    }

    /** What else a close writes, on its transaction. */
    public interface AfterClose {
        void closed(org.jdbi.v3.core.Handle h, long sessionId);
    }

    private final AfterClose afterClose;

    /** When the session's marking opens (MARKING_OPENS_MINUTES before its start). */
    Instant markingOpensAt(AttendanceDao.Session session) {
        return session.startsAt().minus(markingOpens.get());
    }

    /**
     * The time a tablet says a mark or signature was made, refused when it is in the future (beyond
     * a clock's drift) or before marking opened: a session cannot be marked days before it starts.
     * Null means now.
     */
    private Instant madeAt(AttendanceDao.Session session, Instant claimed) {
        Instant now = Instant.now();
        if (claimed != null && claimed.isAfter(now.plus(CLOCK_SKEW)))
            throw new Refusal(AttendanceRefusal.MADE_IN_FUTURE);
        Instant at = claimed == null || claimed.isAfter(now) ? now : claimed;
        if (at.isBefore(markingOpensAt(session))) {
            throw new Refusal(
                    AttendanceRefusal.TOO_EARLY,
                    markingOpensAt(session),
                    markingOpens.get().toMinutes());
        }
        return at;
    }

    /**
     * The session if this user may run it (its trainer, or an admin); 404 when there is none, 403
     * when not theirs.
     */
    AttendanceDao.Session sessionFor(CurrentUser user, long sessionId) {
        AttendanceDao.Session session =
                jdbi.onDemand(AttendanceDao.class)
                        .session(sessionId, user.id())
                        .orElseThrow(() -> new Refusal(AttendanceRefusal.SESSION_NOT_FOUND));
        checkRuns(user, session);
        return session;
    }

    private static void checkRuns(CurrentUser user, AttendanceDao.Session session) {
        if (user.role() != CurrentUser.Role.ADMIN && !session.isTrainer()) {
            throw new Refusal(AttendanceRefusal.NOT_YOUR_SESSION);
        }
    }

    /**
     * The answer to a mark, as the tablet's queue reads it; stored with the mark and sent again,
     * with "replayed", when the same client id comes back.
     */
    record MarkAnswer(
            String clientMarkId,
            long sessionId,
            long guardianId,
            String mark,
            boolean applied,
            boolean charterRequired,
            boolean charterSigned,
            boolean homeUse,
            String homeReason,
            int devicesChanged,
            @JsonInclude(JsonInclude.Include.NON_NULL) Boolean replayed) {

        MarkAnswer asReplayed() {
            return new MarkAnswer(
                    clientMarkId,
                    sessionId,
                    guardianId,
                    mark,
                    applied,
                    charterRequired,
                    charterSigned,
                    homeUse,
                    homeReason,
                    devicesChanged,
                    true);
        }
    }

    /** The answer to a signature. */
    record SignAnswer(
            String clientId,
            long guardianId,
            int charterVersion,
            boolean charterSigned,
            boolean homeUse,
            String homeReason,
            int devicesChanged) {}

    /**
     * Applies a mark, or returns the stored answer when this client id was seen before. Between two
     * marks of the same guardian the one made last wins, whatever the order they arrive in; both
     * are kept.
     */
    MarkAnswer mark(CurrentUser user, Mark m) {
        if (m.mark() != null && !MARKS.contains(m.mark()))
            throw new Refusal(AttendanceRefusal.BAD_MARK);
        if (m.clientMarkId() == null) throw new Refusal(AttendanceRefusal.BAD_CLIENT_ID);
        return jdbi.inTransaction(handle -> markIn(handle, user, m));
    }

    /**
     * The marks entered from the paper sign-in sheet, in one transaction: each goes through the
     * same rule as a tablet's ({@link #mark}: replay by client id, last made wins, home use,
     * audit), and a refusal of any of them writes none. A mark equal to the guardian's current one
     * is not written again, so a second submit changes nothing. The families are locked first, in
     * id order, then the session (the order of fr.sesame.db.LockDao), as a tablet's mark takes
     * them. Returns the marks written.
     */
    int markFromPaper(CurrentUser user, long sessionId, List<Mark> marks) {
        for (Mark m : marks) {
            if (m.sessionId() != sessionId || m.mark() == null || !MARKS.contains(m.mark()))
                throw new Refusal(AttendanceRefusal.BAD_MARK);
            if (m.clientMarkId() == null) throw new Refusal(AttendanceRefusal.BAD_CLIENT_ID);
        }
        return jdbi.inTransaction(
                handle -> {
                    AttendanceDao dao = handle.attach(AttendanceDao.class);
                    java.util.TreeSet<Long> families = new java.util.TreeSet<>();
                    for (Mark m : marks) {
                        families.add(
                                dao.familyOf(m.guardianId())
                                        .orElseThrow(
                                                () ->
                                                        new Refusal(
                                                                AttendanceRefusal
                                                                        .GUARDIAN_NOT_FOUND)));
                    }
                    for (long f : families) HomeUse.lockFamily(handle, f);
                    int written = 0;
                    for (Mark m : marks) {
                        AttendanceDao.MarkState state = dao.markState(sessionId, m.guardianId());
                        if (state.attendanceId() != null && m.mark().equals(state.mark())) continue;
                        MarkAnswer answer = markIn(handle, user, m);
                        if (answer.replayed() == null) written++;
                    }
                    return written;
                });
    }

    /** One mark, in the caller's transaction. */
    private MarkAnswer markIn(org.jdbi.v3.core.Handle handle, CurrentUser user, Mark m) {
        AttendanceDao dao = handle.attach(AttendanceDao.class);
        // The family's lock, then the session's (the order of fr.sesame.db.LockDao):
        // two retries of one mark, or
        // two tablets marking one family, meet on the first; a close waits for the
        // marks in flight on the second.
        Optional<Long> family = dao.familyOf(m.guardianId());
        family.ifPresent(f -> HomeUse.lockFamily(handle, f));
        AttendanceDao.Session session =
                dao.sessionShared(m.sessionId(), user.id())
                        .orElseThrow(() -> new Refusal(AttendanceRefusal.SESSION_NOT_FOUND));
        checkRuns(user, session);
        long familyId = family.orElseThrow(() -> new Refusal(AttendanceRefusal.GUARDIAN_NOT_FOUND));
        Optional<MarkAnswer> replay = replay(dao, m);
        if (replay.isPresent()) return replay.get();

        // The family's lock (taken above) serializes every mark of its guardians.
        AttendanceDao.MarkState state = dao.markState(m.sessionId(), m.guardianId());
        Optional<Long> booking = Optional.ofNullable(state.bookingId());
        Optional<AttendanceDao.Current> current = state.current();
        if (booking.isEmpty() && current.isEmpty() && !m.walkIn()) {
            throw new Refusal(AttendanceRefusal.NOT_ON_ROSTER);
        }
        if ("cancelled".equals(session.status()))
            throw new Refusal(AttendanceRefusal.SESSION_CANCELLED);
        Instant madeAt = madeAt(session, m.madeAt());
        String reason = m.reason() == null || m.reason().isBlank() ? null : m.reason().trim();
        if (session.closed()) {
            boolean admin = user.role() == CurrentUser.Role.ADMIN;
            // A mark made on the tablet before the close (sent later, from the offline
            // queue) is not lost.
            boolean madeBeforeClose =
                    session.closedAt() != null
                            && !madeAt.isAfter(session.closedAt())
                            && m.madeAt() != null;
            if (!admin && !madeBeforeClose) throw new Refusal(AttendanceRefusal.SESSION_CLOSED);
            if (admin && !madeBeforeClose && reason == null)
                throw new Refusal(AttendanceRefusal.REASON_REQUIRED);
        }
        if (reason != null && reason.length() > 500)
            throw new Refusal(AttendanceRefusal.REASON_TOO_LONG);

        boolean applied = current.isEmpty() || !madeAt.isBefore(current.get().markedAt());
        long attendanceId;
        String effectiveMark;
        HomeUse.Outcome outcome;
        Actor actor = Actor.of(user);
        if (applied) {
            attendanceId =
                    dao.upsert(
                            m.sessionId(),
                            m.guardianId(),
                            booking.orElse(null),
                            m.mark(),
                            madeAt,
                            user.id(),
                            m.clientMarkId(),
                            m.walkIn() && booking.isEmpty());
            effectiveMark = m.mark();
            outcome = HomeUse.apply(handle, familyId, actor, attendanceId);
        } else {
            attendanceId = current.get().id();
            effectiveMark = current.get().mark();
            outcome = HomeUse.current(handle, familyId);
        }
        boolean signed = state.charterSigned();
        MarkAnswer answer =
                new MarkAnswer(
                        m.clientMarkId().toString(),
                        m.sessionId(),
                        m.guardianId(),
                        effectiveMark,
                        applied,
                        session.requiresCharter(),
                        signed,
                        outcome.homeUse(),
                        outcome.reason(),
                        outcome.devicesChanged(),
                        null);
        String json = Json.write(answer);
        dao.recordMark(
                m.clientMarkId(),
                m.sessionId(),
                m.guardianId(),
                m.mark(),
                madeAt,
                user.id(),
                m.walkIn(),
                applied,
                reason,
                json);
        Audit.record(
                handle,
                actor,
                applied ? "attendance_marked" : "attendance_mark_superseded",
                "attendance",
                attendanceId,
                Json.object(
                        "clientMarkId",
                        m.clientMarkId().toString(),
                        "sessionId",
                        m.sessionId(),
                        "guardianId",
                        m.guardianId(),
                        "mark",
                        m.mark(),
                        "madeAt",
                        madeAt.toString(),
                        "walkIn",
                        m.walkIn(),
                        "reason",
                        reason,
                        "homeUse",
                        outcome.homeUse(),
                        "devicesChanged",
                        outcome.devicesChanged()));
        return answer;
    }

    private static Optional<MarkAnswer> replay(AttendanceDao dao, Mark m) {
        return dao.storedMark(m.clientMarkId())
                .map(
                        stored -> {
                            if (stored.sessionId() != m.sessionId()
                                    || stored.guardianId() != m.guardianId()) {
                                throw new Refusal(AttendanceRefusal.CLIENT_ID_REUSED);
                            }
                            return Json.read(stored.answer(), MarkAnswer.class).asReplayed();
                        });
    }

    /** Closes the session: afterwards only an admin changes its marks, with a reason. */
    void close(CurrentUser user, long sessionId) {
        jdbi.useTransaction(
                handle -> {
                    AttendanceDao dao = handle.attach(AttendanceDao.class);
                    if (dao.lockSession(sessionId).isEmpty())
                        throw new Refusal(AttendanceRefusal.SESSION_NOT_FOUND);
                    AttendanceDao.Session session = dao.session(sessionId, user.id()).orElseThrow();
                    checkRuns(user, session);
                    madeAt(session, null);
                    if (dao.close(sessionId, user.id()) == 1) {
                        dao.markClosed(sessionId);
                        Audit.record(
                                handle,
                                Actor.of(user),
                                "session_closed",
                                "workshop_session",
                                sessionId,
                                "{}");
                        afterClose.closed(handle, sessionId);
                    }
                });
    }

    /** A signature as the pad sends it: a PNG data URL, the charter version shown, a client id. */
    record Signature(
            long sessionId,
            long guardianId,
            UUID clientId,
            int charterVersion,
            String dataUrl,
            Instant signedAt) {}

    /**
     * Stores the signature (once per client id) and applies the home-use rule to the guardian's
     * family.
     */
    SignAnswer sign(CurrentUser user, Signature s) {
        if (s.clientId() == null) throw new Refusal(AttendanceRefusal.BAD_CLIENT_ID);
        byte[] png = decodePng(s.dataUrl());
        return jdbi.inTransaction(
                handle -> {
                    AttendanceDao dao = handle.attach(AttendanceDao.class);
                    // The family's lock, then the session's, as a mark takes them: a signature and
                    // a mark of one family wait
                    // for each other.
                    Optional<Long> family = dao.familyOf(s.guardianId());
                    family.ifPresent(f -> HomeUse.lockFamily(handle, f));
                    if (dao.lockSessionShared(s.sessionId()).isEmpty())
                        throw new Refusal(AttendanceRefusal.SESSION_NOT_FOUND);
                    AttendanceDao.Session session =
                            dao.session(s.sessionId(), user.id()).orElseThrow();
                    checkRuns(user, session);
                    if ("cancelled".equals(session.status()))
                        throw new Refusal(AttendanceRefusal.SESSION_CANCELLED);
                    Instant at = madeAt(session, s.signedAt());
                    // As with marks: a signature made on the tablet before the close and sent later
                    // is kept.
                    boolean madeBeforeClose =
                            session.closedAt() != null
                                    && !at.isAfter(session.closedAt())
                                    && s.signedAt() != null;
                    if (session.closed()
                            && user.role() != CurrentUser.Role.ADMIN
                            && !madeBeforeClose) {
                        throw new Refusal(AttendanceRefusal.SESSION_CLOSED);
                    }
                    long familyId =
                            family.orElseThrow(
                                    () -> new Refusal(AttendanceRefusal.GUARDIAN_NOT_FOUND));
                    AttendanceDao.MarkState state = dao.markState(s.sessionId(), s.guardianId());
                    if (state.bookingId() == null && state.attendanceId() == null) {
                        throw new Refusal(AttendanceRefusal.NOT_ON_ROSTER);
                    }
                    AttendanceDao.Charter charter =
                            dao.charter(s.charterVersion())
                                    .orElseThrow(
                                            () ->
                                                    new Refusal(
                                                            AttendanceRefusal.BAD_CHARTER_VERSION));
                    Optional<Long> earlier = dao.signatureGuardian(s.clientId());
                    if (earlier.isPresent() && earlier.get() != s.guardianId())
                        throw new Refusal(AttendanceRefusal.CLIENT_ID_REUSED);
                    Optional<Long> id =
                            earlier.isPresent()
                                    ? Optional.empty()
                                    : dao.insertSignature(
                                            s.guardianId(),
                                            charter.id(),
                                            s.sessionId(),
                                            png,
                                            at,
                                            user.id(),
                                            s.clientId());
                    HomeUse.Outcome outcome = HomeUse.apply(handle, familyId, Actor.of(user), null);
                    if (id.isPresent()) {
                        Audit.record(
                                handle,
                                Actor.of(user),
                                "charter_signed",
                                "charter_signature",
                                id.get(),
                                Json.object(
                                        "guardianId",
                                        s.guardianId(),
                                        "sessionId",
                                        s.sessionId(),
                                        "charterVersion",
                                        charter.version(),
                                        "homeUse",
                                        outcome.homeUse()));
                    }
                    return new SignAnswer(
                            s.clientId().toString(),
                            s.guardianId(),
                            charter.version(),
                            true,
                            outcome.homeUse(),
                            outcome.reason(),
                            outcome.devicesChanged());
                });
    }

    /** The PNG inside a data URL, refused when it is missing, not a PNG, too large or blank. */
    static byte[] decodePng(String dataUrl) {
        String prefix = "data:image/png;base64,";
        if (dataUrl == null || dataUrl.isBlank())
            throw new Refusal(AttendanceRefusal.SIGNATURE_EMPTY);
        if (!dataUrl.startsWith(prefix)) throw new Refusal(AttendanceRefusal.SIGNATURE_INVALID);
        if (dataUrl.length() - prefix.length() > MAX_SIGNATURE_BYTES / 3 * 4 + 4) {
            throw new Refusal(AttendanceRefusal.SIGNATURE_TOO_LARGE);
        }
        byte[] png;
        try {
            png = Base64.getDecoder().decode(dataUrl.substring(prefix.length()));
        } catch (IllegalArgumentException e) {
            throw new Refusal(AttendanceRefusal.SIGNATURE_INVALID);
        }
        if (png.length > MAX_SIGNATURE_BYTES)
            throw new Refusal(AttendanceRefusal.SIGNATURE_TOO_LARGE);
        BufferedImage image;
        try {
            image = ImageIO.read(new ByteArrayInputStream(png));
        } catch (IOException | RuntimeException e) {
            image = null;
        }
        if (image == null) throw new Refusal(AttendanceRefusal.SIGNATURE_INVALID);
        if (image.getWidth() * (long) image.getHeight() > 4_000_000L)
            throw new Refusal(AttendanceRefusal.SIGNATURE_TOO_LARGE);
        if (inkedPixels(image) < 30) throw new Refusal(AttendanceRefusal.SIGNATURE_EMPTY);
        return png;
    }

    /** Pixels that are neither transparent nor near-white: the ink of the signature. */
    private static int inkedPixels(BufferedImage image) {
        int count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int argb = image.getRGB(x, y);
                int alpha = argb >>> 24;
                int r = (argb >> 16) & 0xff, g = (argb >> 8) & 0xff, b = argb & 0xff;
                if (alpha > 64 && (r + g + b) < 600) count++;
                if (count >= 30) return count;
            }
        }
        return count;
    }

    List<AttendanceDao.SheetLine> sheet(long sessionId) {
        return jdbi.onDemand(AttendanceDao.class).sheetLines(sessionId);
    }

    Duration markingOpens() {
        return markingOpens.get();
    }

    AttendanceDao.Charter currentCharter() {
        return jdbi.onDemand(AttendanceDao.class).currentCharter();
    }

    /** The school's guardians, for a walk-in search on the tablet while it is offline. */
    List<AttendanceDao.Known> schoolGuardians(long sessionId) {
        return jdbi.onDemand(AttendanceDao.class).schoolGuardians(sessionId);
    }

    /**
     * Walk-in candidates: by letter code (8 characters, dashes and spaces ignored) or by name (2
     * letters or more).
     */
    List<AttendanceDao.Candidate> search(String query) {
        String q = query == null ? "" : query.trim();
        if (q.length() > 100) q = q.substring(0, 100);
        String code = q.replace("-", "").replace(" ", "").toUpperCase(java.util.Locale.ROOT);
        if (!code.matches("[2-9A-HJ-NP-Z]{8}")) code = "";
        String name = q.length() < 2 ? "" : fr.sesame.db.Like.escape(q);
        if (code.isEmpty() && name.isEmpty()) return List.of();
        return jdbi.onDemand(AttendanceDao.class).search(name, code);
    }
}
