package fr.sesame.calendar;

import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.mapper.reflect.ColumnName;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The outbox as the mail worker and the admin page see it. */
public interface OutboxDao {
    /**
     * An e-mail claimed for sending. Its body and ics are null until composed (OutboxMails), except
     * in rows written before V15, which carry them.
     */
    record Mail(
            long id,
            @ColumnName("idempotency_key") String idempotencyKey,
            String recipient,
            String subject,
            String body,
            String ics,
            @ColumnName("ics_method") String icsMethod,
            int attempts,
            @ColumnName("booking_id") Long bookingId,
            String kind,
            @ColumnName("event_uid") java.util.UUID eventUid,
            @ColumnName("event_sequence") Integer eventSequence) {
        /** A reminder's text: no calendar part. */
        Mail reminder(String subject, String body) {
            return new Mail(
                    id,
                    idempotencyKey,
                    recipient,
                    subject,
                    body,
                    null,
                    null,
                    attempts,
                    bookingId,
                    kind,
                    eventUid,
                    eventSequence);
        }

        Mail composed(String body, String ics) {
            return new Mail(
                    id,
                    idempotencyKey,
                    recipient,
                    subject,
                    body,
                    ics,
                    icsMethod,
                    attempts,
                    bookingId,
                    kind,
                    eventUid,
                    eventSequence);
        }
    }

    /** A line of the admin page. */
    record Row(
            long id,
            String recipient,
            String language,
            String kind,
            String subject,
            String status,
            int attempts,
            @ColumnName("next_attempt_at") Instant nextAttemptAt,
            @ColumnName("last_error") String lastError,
            @ColumnName("created_at") Instant createdAt,
            @ColumnName("sent_at") Instant sentAt) {}

    record StatusCount(String status, int count, @ColumnName("oldest") Instant oldest) {}

    /** A guardian the outbox could not write to: no e-mail address. */
    record Unreachable(
            @ColumnName("guardian_id") long guardianId,
            @ColumnName("first_name") String firstName,
            @ColumnName("last_name") String lastName,
            String phone,
            String reference,
            int messages,
            @ColumnName("last_subject") String lastSubject,
            @ColumnName("last_at") Instant lastAt) {}

    /**
     * Claims due e-mails: pending ones whose time has come, and those left in 'sending' by a worker
     * that stopped before it recorded the outcome (its lease has expired). SKIP LOCKED lets several
     * workers share the table.
     */
    @SqlQuery(
            """
            update calendar_outbox o set status = 'sending', attempts = o.attempts + 1,
                   lease_until = now() + cast(:lease as interval)
            where o.id in (select id from calendar_outbox
                           where (status = 'pending' and next_attempt_at <= now())
                              or (status = 'sending' and lease_until < now())
                           order by id limit :limit
                           for update skip locked)
            returning o.id, o.idempotency_key, o.recipient, o.subject, o.body, o.ics, o.ics_method, o.attempts,
                      o.booking_id, o.kind, o.event_uid, o.event_sequence""")
    List<Mail> claim(@Bind("lease") String lease, @Bind("limit") int limit);

    /**
     * Marks this claim sent ({@code attempts}: the claim's own, so a claim whose lease expired
     * changes nothing).
     */
    @SqlUpdate(
            "update calendar_outbox set status = 'sent', sent_at = now(), lease_until = null, last_error = null "
                    + "where id = :id and status = 'sending' and attempts = :attempts")
    int markSent(@Bind("id") long id, @Bind("attempts") int attempts);

    /**
     * Back to pending, after a wait that doubles with each attempt (1 minute, 2, 4, ... at most 6
     * hours).
     */
    @SqlUpdate(
            """
            update calendar_outbox set status = 'pending', lease_until = null, last_error = :error,
                   next_attempt_at = now() + least(interval '1 minute' * power(2, least(attempts - 1, 20)), interval '6 hours')
            where id = :id and status = 'sending' and attempts = :attempts""")
    int markFailed(
            @Bind("id") long id, @Bind("attempts") int attempts, @Bind("error") String error);

    /**
     * A reminder e-mail (no text yet: the worker composes it), once per key; {@code status} is
     * pending, no_address (recipient null) or opted_out.
     */
    @SqlUpdate(
            """
            insert into calendar_outbox (idempotency_key, booking_id, guardian_id, recipient, language, kind, subject,
                                         status)
            values (:key, :booking, :guardian, :recipient, :language, :kind, :subject, :status)
            on conflict (idempotency_key) do nothing""")
    int enqueueReminder(
            @Bind("key") String key,
            @Bind("booking") long bookingId,
            @Bind("guardian") long guardianId,
            @Bind("recipient") String recipient,
            @Bind("language") String language,
            @Bind("kind") String kind,
            @Bind("subject") String subject,
            @Bind("status") String status);

    @SqlQuery("select opt_out from guardian where id = :id")
    boolean optedOut(@Bind("id") long guardianId);

    /**
     * A claimed reminder that is not to be sent after all (status skipped or opted_out, with the
     * reason); a claim whose lease expired changes nothing.
     */
    @SqlUpdate(
            """
            update calendar_outbox set status = :status, lease_until = null, last_error = :reason
            where id = :id and status = 'sending' and attempts = :attempts""")
    int markNotSent(
            @Bind("id") long id,
            @Bind("attempts") int attempts,
            @Bind("status") String status,
            @Bind("reason") String reason);

    @SqlQuery(
            """
            select status, count(*) as count, min(created_at) as oldest from calendar_outbox group by status order by status""")
    List<StatusCount> counts();

    @SqlQuery(
            """
            select id, recipient, language, kind, subject, status, attempts, next_attempt_at, last_error, created_at, sent_at
            from calendar_outbox where status in ('pending', 'sending')
            order by id limit 200""")
    List<Row> backlog();

    @SqlQuery(
            """
            select id, recipient, language, kind, subject, status, attempts, next_attempt_at, last_error, created_at, sent_at
            from calendar_outbox where status = 'sent' order by sent_at desc limit 20""")
    List<Row> recentlySent();

    @SqlQuery(
            """
            select g.id as guardian_id, g.first_name, g.last_name, g.phone, f.reference, count(*) as messages,
                   (array_agg(o.subject order by o.id desc))[1] as last_subject, max(o.created_at) as last_at
            from calendar_outbox o join guardian g on g.id = o.guardian_id join family f on f.id = g.family_id
            where o.status = 'no_address' and (g.email is null or g.email = '')
            group by g.id, g.first_name, g.last_name, g.phone, f.reference
            order by max(o.created_at) desc limit 200""")
    List<Unreachable> unreachable();
}
