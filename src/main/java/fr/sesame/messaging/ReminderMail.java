package fr.sesame.messaging;

import org.jdbi.v3.core.Handle;

/**
 * Where {@link Reminders} writes a reminder's e-mail, <b>inside its transaction</b>: the mail
 * outbox ({@code calendar.CalendarOutbox}), whose worker composes and sends it. An interface here
 * because the calendar package already depends on this one.
 */
public interface ReminderMail {
    /**
     * Writes the e-mail reminder of this kind ({@code reminder_before}, {@code reminder_morning})
     * for this booking, once: its idempotency key is {@code <kind>:<booking id>}. Returns the
     * outcome as a word for the log ({@code queued}, {@code already_queued}, {@code opted_out},
     * {@code no_address}).
     */
    String remind(Handle h, long bookingId, String kind);
}
