package fr.sesame.booking;

import fr.sesame.audit.Actor;
import fr.sesame.audit.Audit;
import fr.sesame.calendar.CalendarOutbox;
import fr.sesame.json.Json;
import fr.sesame.web.Refusal;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;

/**
 * The booking rules, one transaction per change: a seat is taken by a conditional update that the
 * database arbitrates, the family's own rules are checked under a lock on the family, the audit row
 * (and the message for a parent, when there is one) is written in the same transaction, and a freed
 * seat goes to the first in line before the transaction ends. Locks are taken in the one order
 * {@link fr.sesame.db.LockDao} documents (the family, then the sessions in id order, then their
 * bookings and waiting entries), so that a transaction waits rather than deadlocks; one that meets
 * a serialization conflict is retried from the start.
 */
public final class BookingService {
    private static final int ATTEMPTS = 5;

    /**
     * Starts again with a busy waiter's family locked first: one per waiter met, a handful at most.
     */
    private static final int RESTARTS = 20;

    private final Jdbi jdbi;
    private final CalendarOutbox calendar;

    /**
     * Every change tells {@code calendar} in its own transaction, so that the parent's invitation
     * follows it.
     */
    public BookingService(Jdbi jdbi, CalendarOutbox calendar) {
        this.jdbi = jdbi;
        this.calendar = calendar;
    }

    /** The sessions the family may book (the page splits them: at a child's school, elsewhere). */
    List<SessionView> bookable(long familyId) {
        return jdbi.withHandle(h -> h.attach(BookingDao.class).bookable(familyId));
    }

    /**
     * A session as the family sees it, and their active booking of another session of the same
     * workshop.
     */
    record SessionChoice(SessionView session, SeatDao.MyBooking sameWorkshop) {}

    /** Both read in one statement; empty when there is no such session. */
    Optional<SessionChoice> sessionFor(long sessionId, long familyId) {
        return jdbi.withHandle(h -> Seats.sessionChoice(h, sessionId, familyId));
    }

    List<SessionView> moveTargets(long workshopTypeId, long fromSessionId, long familyId) {
        return jdbi.withHandle(
                h ->
                        h.attach(BookingDao.class)
                                .moveTargets(workshopTypeId, fromSessionId, familyId));
    }

    /**
     * The sessions starting between the two instants, at one school (a UAI) or all (null), seen by
     * a family (or 0).
     */
    List<SessionView> sessionsBetween(String uai, Instant from, Instant to, long familyId) {
        return jdbi.withHandle(
                h -> h.attach(BookingDao.class).sessionsBetween(uai, from, to, familyId));
    }

    /** A session as the staff see it. */
    Optional<SessionView> session(long sessionId) {
        return jdbi.withHandle(h -> h.attach(BookingDao.class).session(sessionId, 0));
    }

    Optional<BookingDao.FamilyCard> family(long familyId) {
        return jdbi.withHandle(h -> h.attach(BookingDao.class).family(familyId));
    }

    List<BookingDao.GuardianChoice> guardians(long familyId) {
        return jdbi.withHandle(h -> h.attach(BookingDao.class).guardians(familyId));
    }

    CalendarOutbox calendar() {
        return calendar;
    }

    /**
     * Books a seat for a guardian of the family. A second submission of the same form (same token)
     * answers the booking the first one made.
     */
    public long book(
            Actor actor, long familyId, long guardianId, long sessionId, String formToken) {
        return inTransaction(
                (h, locks) -> {
                    if (!locks.families(familyId)) throw new Refusal(BookingRefusal.NOT_FOUND);
                    SeatDao.BookingCheck check =
                            Seats.check(
                                    h, familyId, guardianId, sessionId, formToken, actor.isStaff());
                    if (check.sameFormBooking() != null) {
                        if (check.sameFormFamily() != familyId)
                            throw new Refusal(BookingRefusal.NOT_FOUND);
                        return check.sameFormBooking();
                    }
                    if (!check.guardianOfFamily() || check.workshopTypeId() == null)
                        throw new Refusal(BookingRefusal.NOT_FOUND);
                    if (check.alreadyBooked()) throw new Refusal(BookingRefusal.ALREADY_BOOKED);
                    long type = check.workshopTypeId();
                    int limit = check.maxActivePerFamily();
                    if (check.activeOfType() >= limit)
                        throw new Refusal(BookingRefusal.LIMIT_REACHED);
                    if (!check.seatLikely()) throw whyNoSeat(h, sessionId, actor);
                    long bookingId =
                            Seats.insertBooking(
                                    h, sessionId, familyId, guardianId, formToken, actor.staffId());
                    Audit.record(
                            h,
                            actor,
                            actor.isStaff() ? "book_on_behalf" : "book",
                            "booking",
                            bookingId,
                            json("session", sessionId, "family", familyId, "guardian", guardianId));
                    calendar.bookingConfirmed(h, bookingId);
                    // The seat (the session's lock) is taken late, so that the session row stays
                    // locked only until the commit
                    // that follows; the family's waiting entries after it, as rows under a session
                    // are.
                    if (Seats.takeSeat(h, sessionId, actor.isStaff()).isEmpty())
                        throw whyNoSeat(h, sessionId, actor);
                    Seats.leaveWaitingLists(
                            h, familyId, sessionId, type, check.activeOfType() + 1 >= limit);
                    return bookingId;
                });
    }

    /**
     * Puts the family on the waiting list of a full session; returns the entry (the same one if
     * already there).
     */
    public long joinWaitingList(Actor actor, long familyId, long guardianId, long sessionId) {
        return inTransaction(
                (h, locks) -> {
                    BookingDao dao = h.attach(BookingDao.class);
                    if (!locks.families(familyId)) throw new Refusal(BookingRefusal.NOT_FOUND);
                    if (!dao.guardianOf(guardianId, familyId))
                        throw new Refusal(BookingRefusal.NOT_FOUND);
                    SessionView session =
                            dao.session(sessionId, familyId)
                                    .orElseThrow(() -> new Refusal(BookingRefusal.NOT_FOUND));
                    Optional<Long> existing = dao.waitingEntry(sessionId, familyId);
                    if (existing.isPresent()) return existing.get();
                    if (session.myBookingId() != null)
                        throw new Refusal(BookingRefusal.ALREADY_BOOKED);
                    SessionView.BookingWindow window = session.window(Instant.now());
                    if (window != SessionView.BookingWindow.OPEN) throw refusalOf(window);
                    long type = session.workshopTypeId();
                    if (dao.activeBookingsOfType(familyId, type) >= dao.maxActivePerFamily(type)) {
                        throw new Refusal(BookingRefusal.LIMIT_REACHED);
                    }
                    if (!session.full()) throw new Refusal(BookingRefusal.NOT_FULL);
                    // Under the session row's lock, which every freed seat also takes: a seat freed
                    // before is seen here,
                    // one freed later finds this entry in line; and entries get their order in the
                    // order they commit.
                    locks.sessions(sessionId);
                    if (!dao.full(sessionId)) throw new Refusal(BookingRefusal.NOT_FULL);
                    long entry = dao.insertWaiting(sessionId, familyId, guardianId);
                    Audit.record(
                            h,
                            actor,
                            "join_waiting_list",
                            "waiting_entry",
                            entry,
                            json("session", sessionId, "family", familyId, "guardian", guardianId));
                    return entry;
                });
    }

    /** Takes the family off a waiting list (doing it twice changes nothing). */
    public void leaveWaitingList(Actor actor, long familyId, long entryId) {
        inTransaction(
                (h, locks) -> {
                    BookingDao dao = h.attach(BookingDao.class);
                    if (!locks.families(familyId)) throw new Refusal(BookingRefusal.NOT_FOUND);
                    Optional<Long> session = dao.withdrawWaiting(entryId, familyId);
                    session.ifPresent(
                            s ->
                                    Audit.record(
                                            h,
                                            actor,
                                            "leave_waiting_list",
                                            "waiting_entry",
                                            entryId,
                                            json("session", s, "family", familyId)));
                    return null;
                });
    }

    /**
     * Cancels a booking; its seat goes to the first in line in the same transaction. Twice is the
     * same as once.
     */
    public void cancel(Actor actor, long familyId, long bookingId) {
        cancel(actor, familyId, bookingId, null);
    }

    /** The same; reason: the education service's, required to correct a booking that is history. */
    public void cancel(Actor actor, long familyId, long bookingId, String reason) {
        inTransaction(
                (h, locks) -> {
                    BookingDao dao = h.attach(BookingDao.class);
                    if (!locks.families(familyId)) throw new Refusal(BookingRefusal.NOT_FOUND);
                    long session0 =
                            dao.booking(bookingId)
                                    .filter(b -> b.familyId() == familyId)
                                    .orElseThrow(() -> new Refusal(BookingRefusal.NOT_FOUND))
                                    .sessionId();
                    // The session before the booking, as an admin cancelling the session takes
                    // them; read again under it.
                    locks.sessions(session0);
                    BookingDao.BookingRow booking = dao.booking(bookingId).orElseThrow();
                    if (!"active".equals(booking.status())) return null;
                    String correction = checkNotHistory(dao, bookingId, actor, reason);
                    SessionView session = dao.session(booking.sessionId(), 0).orElseThrow();
                    if (!Instant.now().isBefore(session.startsAt()))
                        throw new Refusal(BookingRefusal.STARTED);
                    dao.endBooking(bookingId, familyId, "cancelled", null).orElseThrow();
                    dao.freeSeat(booking.sessionId());
                    Audit.record(
                            h,
                            actor,
                            actor.isStaff() ? "cancel_on_behalf" : "cancel",
                            "booking",
                            bookingId,
                            correction == null
                                    ? json("session", booking.sessionId(), "family", familyId)
                                    : json(
                                            "session",
                                            booking.sessionId(),
                                            "family",
                                            familyId,
                                            "correction",
                                            correction));
                    calendar.bookingCancelled(h, bookingId);
                    promote(dao, locks, booking.sessionId(), actor);
                    return null;
                });
    }

    /**
     * Moves a booking to another session of the same workshop: the new seat is taken and the old
     * one freed in one transaction, or nothing changes. Returns the new booking.
     */
    public long move(
            Actor actor, long familyId, long bookingId, long toSessionId, String formToken) {
        return move(actor, familyId, bookingId, toSessionId, formToken, null);
    }

    /** The same; reason: the education service's, required to correct a booking that is history. */
    public long move(
            Actor actor,
            long familyId,
            long bookingId,
            long toSessionId,
            String formToken,
            String reason) {
        return inTransaction(
                (h, locks) -> {
                    BookingDao dao = h.attach(BookingDao.class);
                    if (!locks.families(familyId)) throw new Refusal(BookingRefusal.NOT_FOUND);
                    Optional<Long> again = sameForm(dao, formToken, familyId);
                    if (again.isPresent()) return again.get();
                    long from0 =
                            dao.booking(bookingId)
                                    .filter(b -> b.familyId() == familyId)
                                    .orElseThrow(() -> new Refusal(BookingRefusal.NOT_FOUND))
                                    .sessionId();
                    // Both sessions, in id order, before the bookings; the booking read again under
                    // them.
                    locks.sessions(from0, toSessionId);
                    BookingDao.BookingRow booking = dao.booking(bookingId).orElseThrow();
                    if (!"active".equals(booking.status())) {
                        if (booking.movedTo() != null) return booking.movedTo();
                        throw new Refusal(BookingRefusal.NOT_FOUND);
                    }
                    String correction = checkNotHistory(dao, bookingId, actor, reason);
                    long from = booking.sessionId();
                    if (from == toSessionId) throw new Refusal(BookingRefusal.SAME_SESSION);
                    SessionView fromSession = dao.session(from, 0).orElseThrow();
                    long toType =
                            dao.workshopTypeOf(toSessionId)
                                    .orElseThrow(() -> new Refusal(BookingRefusal.NOT_FOUND));
                    if (toType != fromSession.workshopTypeId())
                        throw new Refusal(BookingRefusal.OTHER_WORKSHOP);
                    if (!Instant.now().isBefore(fromSession.startsAt()))
                        throw new Refusal(BookingRefusal.STARTED);
                    if (dao.session(toSessionId, familyId)
                            .map(SessionView::myBookingId)
                            .isPresent()) {
                        throw new Refusal(BookingRefusal.ALREADY_BOOKED);
                    }
                    if (dao.takeSeat(toSessionId, actor.isStaff()).isEmpty())
                        throw whyNoSeat(h, toSessionId, actor);
                    long newId =
                            dao.insertBooking(
                                    toSessionId,
                                    familyId,
                                    booking.guardianId(),
                                    formToken,
                                    actor.staffId());
                    dao.endBooking(bookingId, familyId, "moved", newId).orElseThrow();
                    dao.freeSeat(from);
                    dao.waitingEntry(toSessionId, familyId)
                            .ifPresent(e -> dao.withdrawWaiting(e, familyId));
                    Audit.record(
                            h,
                            actor,
                            actor.isStaff() ? "move_on_behalf" : "move",
                            "booking",
                            newId,
                            correction == null
                                    ? json(
                                            "from_booking",
                                            bookingId,
                                            "from_session",
                                            from,
                                            "to_session",
                                            toSessionId,
                                            "family",
                                            familyId)
                                    : json(
                                            "from_booking",
                                            bookingId,
                                            "from_session",
                                            from,
                                            "to_session",
                                            toSessionId,
                                            "family",
                                            familyId,
                                            "correction",
                                            correction));
                    calendar.bookingMoved(h, bookingId, newId);
                    promote(dao, locks, from, actor);
                    return newId;
                });
    }

    /**
     * An attended booking (its guardian marked present or late) or one of a closed session is
     * history: the parent can no longer cancel or move it; the education service corrects it with a
     * reason, which is returned for the audit row (null when the booking is not history).
     */
    private static String checkNotHistory(
            BookingDao dao, long bookingId, Actor actor, String reason) {
        if (!dao.isHistory(bookingId)) return null;
        if (!actor.isStaff()) throw new Refusal(BookingRefusal.HISTORY);
        if (reason == null || reason.isBlank()) throw new Refusal(BookingRefusal.REASON_REQUIRED);
        return reason.trim();
    }

    /** A family's bookings to come and its places on waiting lists. */
    public record FamilyBookings(
            java.util.List<SeatDao.MyBooking> bookings,
            java.util.List<BookingDao.MyWaiting> waiting) {}

    public FamilyBookings familyBookings(long familyId) {
        return jdbi.withHandle(
                h -> {
                    BookingDao dao = h.attach(BookingDao.class);
                    return new FamilyBookings(
                            dao.activeBookings(familyId), dao.waitingEntries(familyId));
                });
    }

    /**
     * Gives the free seats of a session to the first families in line, in order, within the
     * caller's transaction; each one is told (an invitation e-mail). Returns how many were
     * promoted.
     */
    int promote(BookingDao dao, Locks locks, long sessionId, Actor actor) {
        int promoted = 0;
        while (true) {
            Optional<BookingDao.Waiter> first = dao.firstWaiting(sessionId);
            if (first.isEmpty()) return promoted;
            // The family, as every change to a family's bookings takes it (without waiting: the
            // session is held);
            // then the entry, re-read under its lock: a family withdrawing meanwhile is skipped,
            // not promoted.
            locks.waiterFamily(first.get().familyId());
            Optional<BookingDao.Waiter> locked = dao.lockWaiting(first.get().id());
            if (locked.isEmpty()) continue;
            BookingDao.Waiter waiter = locked.get();
            long type = dao.workshopTypeOf(sessionId).orElseThrow();
            int limit = dao.maxActivePerFamily(type);
            int active = dao.activeBookingsOfType(waiter.familyId(), type);
            if (active >= limit) {
                dao.withdrawWaiting(waiter.id(), waiter.familyId());
                continue;
            }
            if (dao.takeSeat(sessionId, false).isEmpty()) return promoted;
            long bookingId =
                    dao.insertBooking(
                            sessionId, waiter.familyId(), waiter.guardianId(), null, null);
            dao.markPromoted(waiter.id(), bookingId);
            dao.leaveWaitingLists(waiter.familyId(), sessionId, type, active + 1 >= limit);
            calendar.bookingConfirmed(dao.getHandle(), bookingId);
            Audit.record(
                    dao.getHandle(),
                    actor,
                    "promote_from_waiting_list",
                    "booking",
                    bookingId,
                    json(
                            "session",
                            sessionId,
                            "family",
                            waiter.familyId(),
                            "waiting_entry",
                            waiter.id()));
            promoted++;
        }
    }

    private static Optional<Long> sameForm(BookingDao dao, String formToken, long familyId) {
        if (formToken == null) return Optional.empty();
        Optional<BookingDao.BookingRow> previous = dao.bookingByToken(formToken);
        if (previous.isEmpty()) return Optional.empty();
        if (previous.get().familyId() != familyId) throw new Refusal(BookingRefusal.NOT_FOUND);
        return Optional.of(previous.get().id());
    }

    private static Refusal whyNoSeat(org.jdbi.v3.core.Handle h, long sessionId, Actor actor) {
        SessionView session =
                Seats.session(h, sessionId, 0)
                        .orElseThrow(() -> new Refusal(BookingRefusal.NOT_FOUND));
        SessionView.BookingWindow window = session.window(Instant.now());
        if (actor.isStaff()
                && (window == SessionView.BookingWindow.NOT_YET_OPEN
                        || window == SessionView.BookingWindow.CLOSED)) {
            window = SessionView.BookingWindow.OPEN;
        }
        if (window != SessionView.BookingWindow.OPEN) return refusalOf(window);
        return new Refusal(BookingRefusal.FULL);
    }

    private static Refusal refusalOf(SessionView.BookingWindow window) {
        return new Refusal(
                switch (window) {
                    case NOT_YET_OPEN -> BookingRefusal.NOT_YET_OPEN;
                    case CLOSED -> BookingRefusal.CLOSED;
                    case STARTED -> BookingRefusal.STARTED;
                    case CANCELLED -> BookingRefusal.CANCELLED;
                    case OPEN -> BookingRefusal.FULL;
                });
    }

    /** The work of one transaction, given the locks it takes in order. */
    interface Work<T> {
        T run(org.jdbi.v3.core.Handle handle, Locks locks);
    }

    <T> T inTransaction(HandleCallback<T, RuntimeException> work) {
        return inTransaction((h, locks) -> work.withHandle(h));
    }

    /**
     * Runs one transaction; it starts again when a waiter's family was busy ({@link
     * Locks#waiterFamily}), and is retried when PostgreSQL reports a serialization conflict (or a
     * deadlock, which the lock order should prevent).
     */
    <T> T inTransaction(Work<T> work) {
        Locks locks = new Locks();
        int restarts = 0;
        for (int attempt = 1; ; ) {
            try {
                return jdbi.inTransaction(
                        h -> {
                            locks.begin(h);
                            return work.run(h, locks);
                        });
            } catch (Locks.Restart e) {
                if (++restarts > RESTARTS)
                    throw new IllegalStateException("waiters' families stayed busy", e);
            } catch (RuntimeException e) {
                if (attempt++ >= ATTEMPTS || !retryable(e)) throw e;
            }
        }
    }

    private static boolean retryable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                if ("40P01".equals(state) || "40001".equals(state)) return true;
            }
        }
        return false;
    }

    /** An audit row's details, from alternating keys and values. */
    static String json(Object... keysAndValues) {
        return Json.object(keysAndValues);
    }
}
