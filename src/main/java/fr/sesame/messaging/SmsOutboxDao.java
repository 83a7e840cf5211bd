package fr.sesame.messaging;

import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.mapper.reflect.ColumnName;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The statements that write an SMS to the outbox, on the caller's handle (its transaction). */
interface SmsOutboxDao {
    /** What the outbox needs of the guardian a message is for. */
    record Recipient(
            long id,
            String phone,
            String language,
            @ColumnName("opt_out") boolean optOut,
            @ColumnName("token") String token) {}

    @SqlQuery(
            """
            select g.id, g.phone, g.language, g.opt_out, l.token
            from guardian g left join opt_out_link l on l.guardian_id = g.id
            where g.id = :id""")
    Optional<Recipient> recipient(@Bind("id") long guardianId);

    /** The guardian's opt-out link: this new token, or the one made before. */
    @SqlQuery(
            """
            with made as (insert into opt_out_link (guardian_id, token) values (:id, :token)
                          on conflict (guardian_id) do nothing returning token)
            select token from made union all select token from opt_out_link where guardian_id = :id
            limit 1""")
    String optOutToken(@Bind("id") long guardianId, @Bind("token") String token);

    @SqlUpdate(
            """
            insert into sms_outbox (idempotency_key, guardian_id, booking_id, recipient, language, kind, body, parts,
                                    encoding, status, next_attempt_at, created_at)
            values (:key, :guardian, :booking, :recipient, :language, :kind, :body, :parts, :encoding, :status,
                    :nextAttemptAt, :now)
            on conflict (idempotency_key) do nothing""")
    int insert(
            @Bind("key") String key,
            @Bind("guardian") long guardianId,
            @Bind("booking") Long bookingId,
            @Bind("recipient") String recipient,
            @Bind("language") String language,
            @Bind("kind") String kind,
            @Bind("body") String body,
            @Bind("parts") int parts,
            @Bind("encoding") String encoding,
            @Bind("status") String status,
            @Bind("nextAttemptAt") Instant nextAttemptAt,
            @Bind("now") Instant now);

    /** The reason a message written as not sent was too long. */
    @SqlUpdate(
            """
            update sms_outbox set last_error_key = 'sms.skipped.toolong', last_error = :detail
            where idempotency_key = :key""")
    int tooLong(@Bind("key") String key, @Bind("detail") String detail);
}
