package fr.sesame.messaging;

/**
 * Hands one SMS to a provider. An implementation is given the message's idempotency key: a provider
 * adapter passes it as the provider's own client reference, so that a message sent again after a
 * crash between the provider's acceptance and the worker's mark is recognised (or checked for
 * before resending). Only the {@code log} sender exists so far (see README, "SMS").
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

        public Failure(String reason, boolean retry) {
            super(reason);
            this.retry = retry;
        }
    }

    /** The provider's name, stored with each message it accepted ({@code log} for the log). */
    String name();

    Accepted send(Sms sms) throws Failure;
}
