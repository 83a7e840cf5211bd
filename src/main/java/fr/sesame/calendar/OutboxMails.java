package fr.sesame.calendar;

import fr.sesame.Config;
import org.jdbi.v3.core.Handle;

/**
 * Composes an outbox e-mail's text and iCalendar part when it is sent, from its booking as it
 * stands then and the event's UID and SEQUENCE recorded by the booking transaction. Composing there
 * rather than in the transaction keeps ical4j out of the booking's hot path; a later change has its
 * own row with a higher SEQUENCE, so an earlier row showing newer facts tells the calendar nothing
 * false.
 */
final class OutboxMails {
    private final CalendarTexts texts;

    OutboxMails(String baseUrl, Config.Mail mail) {
        this.texts = new CalendarTexts(baseUrl, mail);
    }

    OutboxDao.Mail compose(Handle h, OutboxDao.Mail m) {
        if (m.ics() != null && m.body() != null) return m;
        // a plain message (campaign, follow-up) is written whole and has no event
        if (m.body() != null && m.eventUid() == null) return m;
        InvitationDao.BookingRow b =
                h.attach(InvitationDao.class)
                        .booking(m.bookingId())
                        .orElseThrow(
                                () ->
                                        new IllegalStateException(
                                                "outbox "
                                                        + m.id()
                                                        + ": booking "
                                                        + m.bookingId()
                                                        + " is gone"));
        boolean cancel = "CANCEL".equals(m.icsMethod());
        return m.composed(
                texts.body(b, m.kind()),
                texts.invitation(b, m.eventUid(), m.eventSequence(), cancel));
    }
}
