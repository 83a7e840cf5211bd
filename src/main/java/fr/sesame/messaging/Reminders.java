package fr.sesame.messaging;

import fr.sesame.web.Messages;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session reminders by SMS: {@code REMINDER_DAYS_BEFORE} days before the session ({@code
 * reminder_before}) and on its morning from {@code REMINDER_MORNING_AT}, Paris time ({@code
 * reminder_morning}), to the guardian who booked, in the guardian's language. A pass ({@link
 * #pass()}, run by App's loop) writes the reminders now due to the SMS outbox; each has the
 * idempotency key {@code <kind>:<booking id>}, unique in the database, so a restart or a second
 * instance writes nothing twice. Only active bookings of scheduled sessions not yet started get one
 * (a moved booking's new booking has its own); the SMS worker checks again at send time. A booking
 * made after the "days before" moment gets only the morning reminder, and on the session's morning
 * only the morning one is written.
 *
 * <p>Each reminder also goes by e-mail when a {@link ReminderMail} is given (App gives the mail
 * outbox): same moments, same rules, its own row with the same key in the mail outbox, written in a
 * transaction of its own (an SMS too long to write does not hold back the e-mail).
 */
public final class Reminders {
    private static final Logger log = LoggerFactory.getLogger(Reminders.class);
    static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    private final Jdbi jdbi;
    private final SmsOutbox sms;
    private final Clock clock;
    private final Duration before;
    private final LocalTime morningAt;
    private final ReminderMail mail;

    /** Reminders by SMS only. */
    public Reminders(Jdbi jdbi, SmsOutbox sms, Clock clock, int daysBefore, LocalTime morningAt) {
        this(jdbi, sms, null, clock, daysBefore, morningAt);
    }

    /** Reminders by SMS and, when {@code mail} is not null, by e-mail. */
    public Reminders(
            Jdbi jdbi,
            SmsOutbox sms,
            ReminderMail mail,
            Clock clock,
            int daysBefore,
            LocalTime morningAt) {
        if (daysBefore < 1) throw new IllegalArgumentException("REMINDER_DAYS_BEFORE must be >= 1");
        this.jdbi = jdbi;
        this.sms = sms;
        this.clock = clock;
        this.before = Duration.ofDays(daysBefore);
        this.morningAt = morningAt;
        this.mail = mail;
    }

    /** Writes the reminders due now; returns how many were written. */
    public int pass() {
        Instant now = clock.instant();
        int written = 0;
        ReminderDao dao = jdbi.onDemand(ReminderDao.class);
        // Morning first: a session whose morning has come gets that reminder, not both.
        for (ReminderDao.Due d :
                dao.due(now, now.plus(Duration.ofDays(1)), "reminder_morning", mail != null)) {
            if (now.isBefore(morningOf(d.startsAt()))) continue;
            written += write(d, "reminder_morning", now);
        }
        for (ReminderDao.Due d : dao.due(now, now.plus(before), "reminder_before", mail != null)) {
            Instant moment = d.startsAt().minus(before);
            if (d.bookedAt().isAfter(moment) || !now.isBefore(morningOf(d.startsAt()))) continue;
            written += write(d, "reminder_before", now);
        }
        return written;
    }

    private Instant morningOf(Instant startsAt) {
        return startsAt.atZone(PARIS).toLocalDate().atTime(morningAt).atZone(PARIS).toInstant();
    }

    private int write(ReminderDao.Due d, String kind, Instant now) {
        int written = writeSms(d, kind);
        if (mail != null) {
            String outcome = jdbi.inTransaction(h -> mail.remind(h, d.bookingId(), kind));
            log.info(
                    "event=reminder_mail_written kind={} booking={} outcome={}",
                    kind,
                    d.bookingId(),
                    outcome);
            if (!outcome.equals("already_queued")) written++;
        }
        return written;
    }

    private int writeSms(ReminderDao.Due d, String kind) {
        String text = text(d);
        try {
            SmsOutbox.Outcome outcome =
                    jdbi.inTransaction(
                            h ->
                                    sms.enqueue(
                                            h,
                                            d.guardianId(),
                                            d.bookingId(),
                                            text,
                                            kind,
                                            kind + ":" + d.bookingId()));
            log.info(
                    "event=reminder_written kind={} booking={} outcome={}",
                    kind,
                    d.bookingId(),
                    outcome);
            return outcome == SmsOutbox.Outcome.ALREADY_QUEUED ? 0 : 1;
        } catch (SmsOutbox.TooLong e) {
            // Recorded once (a skipped row with its reason, on /admin/outbox): the next pass does
            // not find this reminder due again.
            boolean written =
                    jdbi.inTransaction(
                            h ->
                                    sms.recordTooLong(
                                            h,
                                            d.guardianId(),
                                            d.bookingId(),
                                            text,
                                            kind,
                                            kind + ":" + d.bookingId()));
            if (written)
                log.warn(
                        "event=reminder_too_long kind={} booking={} parts={} max={}",
                        kind,
                        d.bookingId(),
                        e.parts,
                        e.maxParts);
            return 0;
        }
    }

    /** The reminder's text in the guardian's language (French folded to GSM-7: one part). */
    static String text(ReminderDao.Due d) {
        Messages m = Messages.of(d.language());
        String when = fr.sesame.web.Dates.dayAndTime(d.startsAt(), m.lang());
        String title = m.lang().equals("fr") ? d.titleFr() : d.titleEn();
        String text = m.t("reminder.sms", title, when, d.schoolName());
        return SmsParts.isGsm7(text) ? text : SmsParts.foldToGsm7(text);
    }
}
