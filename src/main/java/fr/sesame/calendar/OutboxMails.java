package fr.sesame.calendar;

import fr.sesame.Config;
import fr.sesame.db.TownUrls;
import fr.sesame.messaging.SmsOutbox;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Composes an outbox e-mail's text and iCalendar part when it is sent, from its booking as it
 * stands then and the event's UID and SEQUENCE recorded by the booking transaction. Composing there
 * rather than in the transaction keeps ical4j out of the booking's hot path; a later change has its
 * own row with a higher SEQUENCE, so an earlier row showing newer facts tells the calendar nothing
 * false.
 *
 * <p>A reminder (issue 16) is plain text with the guardian's opt-out link, also given as the {@code
 * List-Unsubscribe} address; composing it is where the worker checks, at send time, that it is
 * still to go (booking active, session scheduled and not started, guardian not opted out).
 */
final class OutboxMails {
    /** The kinds of reminder e-mails (the same as the SMS ones). */
    static final List<String> REMINDERS = List.of("reminder_before", "reminder_morning");

    /** A composed e-mail, and the opt-out address its List-Unsubscribe header gives (or null). */
    record Ready(OutboxDao.Mail mail, String unsubscribeUrl) {}

    /** A claimed reminder that is not to be sent any more: its new status and why. */
    static final class NotToSend extends Exception {
        final String status;

        NotToSend(String status, String reason) {
            super(reason);
            this.status = status;
        }
    }

    private final CalendarTexts texts;

    OutboxMails(String baseUrl, Config.Mail mail) {
        this(TownUrls.fixed(baseUrl), mail);
    }

    OutboxMails(TownUrls urls, Config.Mail mail) {
        this.texts = new CalendarTexts(urls, mail);
    }

    OutboxDao.Mail compose(Handle h, OutboxDao.Mail m) {
        if (m.ics() != null && m.body() != null) return m;
        // a plain message (campaign, follow-up) is written whole and has no event
        if (m.body() != null && m.eventUid() == null) return m;
        InvitationDao.BookingRow b = booking(h, m);
        boolean cancel = "CANCEL".equals(m.icsMethod());
        return m.composed(
                texts.body(b, m.kind()),
                texts.invitation(b, m.eventUid(), m.eventSequence(), cancel));
    }

    /** Composes any outbox e-mail; a reminder no longer due throws {@link NotToSend}. */
    Ready compose(Handle h, OutboxDao.Mail m, Instant now) throws NotToSend {
        if (!REMINDERS.contains(m.kind())) return new Ready(compose(h, m), null);
        InvitationDao.BookingRow b = booking(h, m);
        if (!b.bookingStatus().equals("active")
                || !b.sessionStatus().equals("scheduled")
                || !b.startsAt().isAfter(now))
            throw new NotToSend("skipped", "booking no longer active or session started");
        if (h.attach(OutboxDao.class).optedOut(b.guardianId()))
            throw new NotToSend("opted_out", "the guardian opted out");
        String optOutUrl =
                texts.baseUrl() + SmsOutbox.OPT_OUT_PATH + SmsOutbox.optOutToken(h, b.guardianId());
        return new Ready(
                m.reminder(
                        texts.reminderSubject(b, m.kind()),
                        texts.reminderBody(b, m.kind(), optOutUrl)),
                optOutUrl);
    }

    private static InvitationDao.BookingRow booking(Handle h, OutboxDao.Mail m) {
        return h.attach(InvitationDao.class)
                .booking(m.bookingId())
                .orElseThrow(
                        () ->
                                new IllegalStateException(
                                        "outbox "
                                                + m.id()
                                                + ": booking "
                                                + m.bookingId()
                                                + " is gone"));
    }
}
