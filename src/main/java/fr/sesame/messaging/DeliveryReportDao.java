package fr.sesame.messaging;

import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The delivery reports a provider calls back with, and the message each is about. */
interface DeliveryReportDao {
    /**
     * The message a report is about: by the client reference the provider was given (the
     * idempotency key), else by the provider's own id of it.
     */
    @SqlQuery(
            """
            select id from sms_outbox
            where (cast(:ref as text) is not null and idempotency_key = :ref)
               or (cast(:ref as text) is null and provider = :provider and provider_id = cast(:providerId as text))
            order by id limit 1""")
    Optional<Long> message(
            @Bind("provider") String provider,
            @Bind("ref") String messageRef,
            @Bind("providerId") String providerId);

    /** Stores a report once: the same report again inserts nothing (returns 0). */
    @SqlUpdate(
            """
            insert into sms_delivery_report (sms_id, provider, provider_id, message_ref, status, status_code,
                                             reported_at, received_at, payload)
            values (:sms, :provider, :providerId, :ref, :status, :code, :reportedAt, :now, :payload)
            on conflict do nothing""")
    int insert(
            @Bind("sms") long smsId,
            @Bind("provider") String provider,
            @Bind("providerId") String providerId,
            @Bind("ref") String messageRef,
            @Bind("status") String status,
            @Bind("code") int code,
            @Bind("reportedAt") Instant reportedAt,
            @Bind("now") Instant now,
            @Bind("payload") String payload);

    /** The latest report onto the message (an older one arriving late changes nothing). */
    @SqlUpdate(
            """
            update sms_outbox set delivery_status = :status, delivery_updated_at = :at,
                   delivered_at = case when :status = 'delivered' then :at else delivered_at end
            where id = :sms and (delivery_updated_at is null or delivery_updated_at <= :at)""")
    int latest(@Bind("sms") long smsId, @Bind("status") String status, @Bind("at") Instant at);
}
