package fr.sesame.messaging;

import java.time.Instant;
import java.util.Optional;

/**
 * Hands one SMS to a provider. An implementation is given the message's idempotency key: a provider
 * adapter passes it as the provider's own client reference, so that a message sent again after a
 * crash between the provider's acceptance and the worker's mark is recognised (or checked for
 * before resending, {@link #lookup}). Senders: {@code log} ({@link LogSmsSender}) and {@code
 * smsfactor} ({@link SmsFactorSender}); see README, "SMS".
 */
public interface SmsSender {
    /** One message to send: the sender name is alphanumeric, at most 11 characters. */
    record Sms(long id, String idempotencyKey, String recipient, String body, String senderName) {}

    /** The provider took the message; {@code providerId} is its id for delivery reports. */
    record Accepted(String providerId) {}

    /**
     * The provider did not take the message. {@code retry}: a transient failure (no answer, 5xx,
     * throttling), tried again later; otherwise the message is marked failed with this reason.
     */
    final class Failure extends Exception {
        public final boolean retry;

        /**
         * Why, as a message key the admin reads in their language on /admin/outbox ({@code
         * sms.provider.*}); null when only the reason (the provider's own words) is known.
         */
        public final String messageKey;

        /**
         * The request may have reached the provider (no answer after it left, a 5xx): the message
         * is then in doubt, and the worker asks the provider ({@link #lookup}) before sending it
         * again.
         */
        public final boolean mayHaveReached;

        public Failure(String reason, boolean retry) {
            this(reason, retry, null, false);
        }

        public Failure(String reason, boolean retry, String messageKey, boolean mayHaveReached) {
            super(reason);
            this.retry = retry;
            this.messageKey = messageKey;
            this.mayHaveReached = mayHaveReached;
        }
    }

    /** The provider's name, stored with each message it accepted ({@code log} for the log). */
    String name();

    Accepted send(Sms sms) throws Failure;

    /**
     * Asked before sending again a message in doubt (a previous attempt may have reached the
     * provider, first made at {@code since}): the provider's acceptance of it if it has it, empty
     * if it has not (the worker then sends it). A failure to ask is a {@link Failure} with {@code
     * retry}: the message waits rather than go blindly. By default a sender knows nothing of
     * earlier attempts and answers empty.
     */
    default Optional<Accepted> lookup(Sms sms, Instant since) throws Failure {
        return Optional.empty();
    }
}
