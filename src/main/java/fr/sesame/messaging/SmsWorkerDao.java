package fr.sesame.messaging;

import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.mapper.reflect.ColumnName;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The SMS outbox as the worker and the admin page see it. Times come from the app's clock. */
public interface SmsWorkerDao {
    /** A message claimed for sending. */
    record Claimed(
            long id,
            @ColumnName("idempotency_key") String idempotencyKey,
            String recipient,
            String body,
            int attempts,
            @ColumnName("in_doubt") boolean inDoubt,
            @ColumnName("first_attempt_at") Instant firstAttemptAt) {}

    /** A line of /admin/outbox. */
    record Row(
            long id,
            String recipient,
            String kind,
            String body,
            int parts,
            String status,
            int attempts,
            @ColumnName("next_attempt_at") Instant nextAttemptAt,
            @ColumnName("last_error") String lastError,
            String provider,
            @ColumnName("created_at") Instant createdAt,
            @ColumnName("sent_at") Instant sentAt,
            @ColumnName("delivery_status") String deliveryStatus,
            @ColumnName("last_error_key") String lastErrorKey,
            @ColumnName("delivered_at") Instant deliveredAt) {}

    /**
     * Before a claim: a reminder whose booking is no longer active (cancelled, or moved: the new
     * booking has its own) or whose session was cancelled or has started is not sent any more; it
     * is kept as {@code skipped} with the reason.
     */
    @SqlUpdate(
            """
            update sms_outbox o set status = 'skipped', last_error = 'booking no longer active or session started'
            where o.status = 'pending' and o.next_attempt_at <= :now
              and o.kind in ('reminder_before', 'reminder_morning') and o.booking_id is not null
              and not exists (select 1 from booking b join workshop_session ws on ws.id = b.session_id
                              where b.id = o.booking_id and b.status = 'active' and ws.status = 'scheduled'
                                and ws.starts_at > :now)""")
    int skipStaleReminders(@Bind("now") Instant now);

    /**
     * Claims due messages: pending ones whose time has come, and those left in 'sending' by a
     * worker that stopped before it recorded the outcome (lease expired; they may have reached the
     * provider, so they are marked in_doubt). SKIP LOCKED lets several instances share the table.
     */
    @SqlQuery(
            """
            update sms_outbox o set in_doubt = o.in_doubt or o.status = 'sending', status = 'sending',
                   attempts = o.attempts + 1, lease_until = :leaseUntil,
                   first_attempt_at = coalesce(o.first_attempt_at, :now)
            where o.id in (select id from sms_outbox
                           where (status = 'pending' and next_attempt_at <= :now)
                              or (status = 'sending' and lease_until < :now)
                           order by id limit :limit
                           for update skip locked)
            returning o.id, o.idempotency_key, o.recipient, o.body, o.attempts, o.in_doubt, o.first_attempt_at""")
    List<Claimed> claim(
            @Bind("now") Instant now,
            @Bind("leaseUntil") Instant leaseUntil,
            @Bind("limit") int limit);

    /**
     * Marks this claim sent (a claim whose lease expired and was claimed again changes nothing).
     */
    @SqlUpdate(
            """
            update sms_outbox set status = 'sent', sent_at = :now, lease_until = null, last_error = null,
                   last_error_key = null, in_doubt = false, provider = :provider, provider_id = :providerId
            where id = :id and status = 'sending' and attempts = :attempts""")
    int markSent(
            @Bind("id") long id,
            @Bind("attempts") int attempts,
            @Bind("provider") String provider,
            @Bind("providerId") String providerId,
            @Bind("now") Instant now);

    /**
     * Back to pending after a wait that doubles with each attempt (1 minute, 2, 4, ... at most 6
     * hours), never during quiet hours ({@code notBefore} is computed by the worker). {@code
     * inDoubt}: this attempt may have reached the provider (the next one asks it first); a message
     * in doubt stays so until it is marked sent or failed.
     */
    @SqlUpdate(
            """
            update sms_outbox set status = 'pending', lease_until = null, last_error = :error,
                   last_error_key = :errorKey, next_attempt_at = :notBefore, in_doubt = in_doubt or :inDoubt
            where id = :id and status = 'sending' and attempts = :attempts""")
    int markRetry(
            @Bind("id") long id,
            @Bind("attempts") int attempts,
            @Bind("error") String error,
            @Bind("errorKey") String errorKey,
            @Bind("inDoubt") boolean inDoubt,
            @Bind("notBefore") Instant notBefore);

    /**
     * A claimed message the worker did not try (its time to start ran out, quiet hours began):
     * pending again at once, the claim's attempt not counted.
     */
    @SqlUpdate(
            """
            update sms_outbox set status = 'pending', lease_until = null, attempts = attempts - 1
            where id = :id and status = 'sending' and attempts = :attempts""")
    int release(@Bind("id") long id, @Bind("attempts") int attempts);

    /** The provider refused the message for good (a wrong number, a body it will not take). */
    @SqlUpdate(
            """
            update sms_outbox set status = 'failed', lease_until = null, last_error = :error,
                   last_error_key = :errorKey, in_doubt = false
            where id = :id and status = 'sending' and attempts = :attempts""")
    int markFailed(
            @Bind("id") long id,
            @Bind("attempts") int attempts,
            @Bind("error") String error,
            @Bind("errorKey") String errorKey);

    @SqlQuery(
            """
            select id, recipient, kind, body, parts, status, attempts, next_attempt_at, last_error, provider,
                   created_at, sent_at, delivery_status, last_error_key, delivered_at
            from sms_outbox order by id desc limit 50""")
    List<Row> recent();
}
