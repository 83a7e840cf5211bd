package fr.sesame.calendar;

import fr.sesame.messaging.ReminderMail;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * What the booking service tells the calendar, <b>inside its own transaction</b>: each call writes
 * the e-mails to send to the outbox on the same {@link Handle}, so they are sent if and only if the
 * booking change commits. A background worker sends them afterwards ({@link OutboxWorker}),
 * composing their text and iCalendar part then ({@link OutboxMails}): the booking transaction
 * writes only the facts (event UID, SEQUENCE, method).
 *
 * <p>Call, after the change is written and before the transaction commits:
 *
 * <ul>
 *   <li>{@link #bookingConfirmed(Handle, long)}: a new active booking (including one promoted from
 *       the waiting list). Sends METHOD:REQUEST, SEQUENCE 0, UID = the booking's {@code
 *       calendar_uid}.
 *   <li>{@link #bookingMoved(Handle, long, long)}: the old booking has status 'moved' and a new
 *       active booking replaces it. The new booking takes over the event (same UID, SEQUENCE + 1,
 *       METHOD:REQUEST): the parent's calendar moves the event instead of holding two.
 *   <li>{@link #bookingCancelled(Handle, long)}: cancelled by the parent or by staff.
 *       METHOD:CANCEL, same UID, SEQUENCE + 1, STATUS:CANCELLED.
 *   <li>{@link #sessionChanged(Handle, long)}: the session's time, end or room changed. Raises the
 *       session's {@code calendar_sequence} and sends an update (REQUEST, SEQUENCE + 1) to every
 *       active booking.
 *   <li>{@link #sessionCancelled(Handle, long)}: the session is cancelled (whether or not its
 *       bookings were already marked cancelled). Raises the session's sequence and sends a CANCEL
 *       to every booking whose invitation is still live.
 * </ul>
 *
 * Every call is idempotent for the same state (a repeated call sends nothing twice); calls on
 * bookings that never received an invitation do what makes sense (a cancel of an unknown invitation
 * sends nothing). A guardian without an e-mail address gets an outbox row in state {@code
 * no_address}, which /admin/outbox lists for the education service. The feeds need no call: they
 * follow the tables (see V7__calendar.sql).
 */
public final class CalendarOutbox implements ReminderMail {
    private final CalendarTexts texts;
    private final CalendarFeeds feeds;
    private final Runnable afterCommit;

    /**
     * {@code mailWritten} runs once the caller's transaction has committed with e-mails to send
     * (App wakes the mail worker); the feeds are told of every committed change. {@code urls}: each
     * town's links with its own address.
     */
    public CalendarOutbox(
            fr.sesame.db.TownUrls urls,
            fr.sesame.Config.Mail mail,
            CalendarFeeds feeds,
            Runnable mailWritten) {
        this.texts = new CalendarTexts(urls, mail);
        this.feeds = feeds;
        this.afterCommit = mailWritten;
    }

    /** The subscription feeds, for the web layer. */
    public CalendarFeeds feeds() {
        return feeds;
    }

    public void bookingConfirmed(Handle h, long bookingId) {
        InvitationDao.BookingRow b =
                Invitations.booking(h, bookingId)
                        .orElseThrow(() -> new IllegalArgumentException("no booking " + bookingId));
        if (Invitations.insertInvitation(h, bookingId, b.calendarUid(), 0) == 0) return;
        send(h, b, b.calendarUid(), 0, "confirmed");
    }

    public void bookingMoved(Handle h, long oldBookingId, long newBookingId) {
        InvitationDao dao = h.attach(InvitationDao.class);
        InvitationDao.Invitation old = dao.invitationForUpdate(oldBookingId).orElse(null);
        if (old == null || !old.state().equals("active")) {
            bookingConfirmed(h, newBookingId);
            return;
        }
        InvitationDao.BookingRow b = booking(dao, newBookingId);
        if (dao.invitation(newBookingId).isPresent()) return;
        dao.supersede(oldBookingId, newBookingId);
        int sequence = old.sequence() + 1;
        dao.insertInvitation(newBookingId, old.uid(), sequence);
        send(h, b, old.uid(), sequence, "updated");
    }

    public void bookingCancelled(Handle h, long bookingId) {
        InvitationDao dao = h.attach(InvitationDao.class);
        InvitationDao.Invitation inv = dao.invitationForUpdate(bookingId).orElse(null);
        if (inv == null || !inv.state().equals("active")) return;
        dao.raiseInvitation(bookingId, "cancelled");
        send(h, booking(dao, bookingId), inv.uid(), inv.sequence() + 1, "cancelled");
    }

    public void sessionChanged(Handle h, long sessionId) {
        InvitationDao dao = h.attach(InvitationDao.class);
        dao.raiseSessionSequence(sessionId);
        h.afterCommit(feeds::changed);
        for (InvitationDao.Invitation inv : dao.activeInvitationsOfSession(sessionId)) {
            dao.raiseInvitation(inv.bookingId(), "active");
            send(h, booking(dao, inv.bookingId()), inv.uid(), inv.sequence() + 1, "updated");
        }
    }

    public void sessionCancelled(Handle h, long sessionId) {
        InvitationDao dao = h.attach(InvitationDao.class);
        dao.raiseSessionSequence(sessionId);
        h.afterCommit(feeds::changed);
        for (InvitationDao.Invitation inv : dao.activeInvitationsOfSession(sessionId)) {
            dao.raiseInvitation(inv.bookingId(), "cancelled");
            send(h, booking(dao, inv.bookingId()), inv.uid(), inv.sequence() + 1, "cancelled");
        }
    }

    /**
     * A session reminder by e-mail (issue 16), written for {@code messaging.Reminders}: a row with
     * no text, composed by the worker when it sends it ({@link OutboxMails}), which skips it if the
     * booking was cancelled or moved, the session started or the guardian opted out meanwhile. A
     * guardian without an address gets a {@code no_address} row, one who opted out an {@code
     * opted_out} row: neither is sent.
     */
    @Override
    public String remind(Handle h, long bookingId, String kind) {
        if (!OutboxMails.REMINDERS.contains(kind))
            throw new IllegalArgumentException("not a reminder: " + kind);
        InvitationDao.BookingRow b =
                Invitations.booking(h, bookingId)
                        .orElseThrow(() -> new IllegalArgumentException("no booking " + bookingId));
        OutboxDao dao = h.attach(OutboxDao.class);
        String recipient = blankToNull(b.email());
        String status =
                recipient == null
                        ? "no_address"
                        : dao.optedOut(b.guardianId()) ? "opted_out" : "pending";
        int written =
                dao.enqueueReminder(
                        kind + ":" + bookingId,
                        bookingId,
                        b.guardianId(),
                        recipient,
                        b.language(),
                        kind,
                        texts.reminderSubject(b, kind),
                        status);
        if (written == 0) return "already_queued";
        if (status.equals("pending")) {
            h.afterCommit(afterCommit);
            return "queued";
        }
        return status;
    }

    /**
     * The invitation file of a booking as it stands now (for the parent's "Add to my calendar"
     * download).
     */
    String currentInvitation(InvitationDao dao, InvitationDao.BookingRow b) {
        InvitationDao.Invitation inv = dao.invitation(b.bookingId()).orElse(null);
        UUID uid = inv == null ? b.calendarUid() : inv.uid();
        int sequence = inv == null ? 0 : inv.sequence();
        boolean cancelled =
                inv == null
                        ? !b.bookingStatus().equals("active")
                                || b.sessionStatus().equals("cancelled")
                        : !inv.state().equals("active");
        return texts.invitation(b, uid, sequence, cancelled);
    }

    private static InvitationDao.BookingRow booking(InvitationDao dao, long bookingId) {
        return dao.booking(bookingId)
                .orElseThrow(() -> new IllegalArgumentException("no booking " + bookingId));
    }

    private void send(Handle h, InvitationDao.BookingRow b, UUID uid, int sequence, String kind) {
        String method = kind.equals("cancelled") ? "CANCEL" : "REQUEST";
        String key = "invitation:" + uid + ":" + sequence + ":" + method;
        int written =
                Invitations.enqueue(
                        h,
                        key,
                        b.bookingId(),
                        b.guardianId(),
                        blankToNull(b.email()),
                        b.language(),
                        kind,
                        texts.subject(b, kind),
                        uid,
                        sequence,
                        method);
        h.afterCommit(feeds::changed);
        if (written > 0 && b.email() != null && !b.email().isBlank()) h.afterCommit(afterCommit);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
