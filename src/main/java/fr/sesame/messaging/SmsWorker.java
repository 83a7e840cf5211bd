package fr.sesame.messaging;

import fr.sesame.db.ClaimLoop;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the SMS outbox in the background, like the mail worker: due messages are claimed in a short
 * transaction ({@code FOR UPDATE SKIP LOCKED}, a lease, so several instances share the table),
 * handed to the {@link SmsSender} with no transaction open, then marked sent. Nothing is claimed
 * between 21:00 and 08:00 Paris time ({@link QuietHours}, on the app's clock): those messages go at
 * 08:00. A transient failure waits 1 minute, doubled at each attempt up to 6 hours (and past quiet
 * hours); a refusal marks the message failed with the provider's reason; no row is dropped. The
 * sender is given the message's idempotency key, which a provider adapter passes on so that a
 * message sent again after a crash between acceptance and mark is not sent twice.
 *
 * <p>A message whose previous attempt may have reached the provider (a lease that expired during
 * the request, no answer after the request left, a 5xx, an unexpected error) is in doubt: before
 * sending it again the worker asks the provider ({@link SmsSender#lookup}); if the provider has it,
 * it is marked sent with the provider's id and not sent again; if the provider cannot be asked, it
 * waits like a transient failure.
 */
public final class SmsWorker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SmsWorker.class);
    static final int BATCH = 20;
    static final Duration LEASE = Duration.ofMinutes(2);

    private final Jdbi jdbi;
    private final SmsSender sender;
    private final java.util.function.Supplier<String> senderName;
    private final Clock clock;
    private final ClaimLoop loop;

    public SmsWorker(Jdbi jdbi, SmsSender sender, String senderName, Clock clock, Duration poll) {
        this(jdbi, sender, () -> senderName, clock, poll);
    }

    /** With the current town's sender name, read at each pass (issue 17). */
    public SmsWorker(
            Jdbi jdbi,
            SmsSender sender,
            java.util.function.Supplier<String> senderName,
            Clock clock,
            Duration poll) {
        this.jdbi = jdbi;
        this.sender = sender;
        this.senderName = senderName;
        this.clock = clock;
        this.loop =
                new ClaimLoop(
                        "sms",
                        poll,
                        fr.sesame.db.Towns.eachTownOf(jdbi, this::runOnce),
                        claimed -> claimed >= BATCH);
    }

    public SmsWorker start() {
        loop.start();
        return this;
    }

    /** Asks for a pass soon (after a transaction that wrote an SMS has committed). */
    public void wake() {
        loop.wake();
    }

    /** One pass: claims due messages (none in quiet hours) and sends them; returns the claimed. */
    public int runOnce() {
        Instant claimedAt = clock.instant();
        if (QuietHours.quiet(claimedAt)) return 0;
        List<SmsWorkerDao.Claimed> claimed =
                jdbi.inTransaction(
                        h -> {
                            SmsWorkerDao dao = h.attach(SmsWorkerDao.class);
                            dao.skipStaleReminders(claimedAt);
                            return dao.claim(claimedAt, claimedAt.plus(LEASE), BATCH);
                        });
        // None starts in the second half of its lease: a slow provider could otherwise keep a
        // message past its lease while another instance claims it too.
        Instant lastStart = claimedAt.plus(LEASE.dividedBy(2));
        String from = claimed.isEmpty() ? null : senderName.get(); // this town's, once a pass
        for (int i = 0; i < claimed.size(); i++) {
            Instant now = clock.instant();
            if (now.isAfter(lastStart) || QuietHours.quiet(now)) {
                // Not tried: back to pending now, rather than wait for the lease and then be
                // taken for a message in doubt.
                release(claimed.subList(i, claimed.size()));
                break;
            }
            deliver(claimed.get(i), from);
        }
        return claimed.size();
    }

    private void deliver(SmsWorkerDao.Claimed c, String senderName) {
        SmsSender.Sms sms =
                new SmsSender.Sms(c.id(), c.idempotencyKey(), c.recipient(), c.body(), senderName);
        SmsSender.Accepted accepted;
        if (c.inDoubt()) {
            Optional<SmsSender.Accepted> found;
            try {
                Instant since = c.firstAttemptAt() == null ? clock.instant() : c.firstAttemptAt();
                found = sender.lookup(sms, since);
            } catch (SmsSender.Failure e) {
                failed(c, e.getMessage(), e.messageKey, true, true);
                return;
            } catch (RuntimeException e) {
                failed(c, e.getClass().getSimpleName() + ": " + e.getMessage(), null, true, true);
                return;
            }
            if (found.isPresent()) {
                log.info(
                        "event=sms_found_at_provider sms={} attempt={} provider={}",
                        c.id(),
                        c.attempts(),
                        sender.name());
                markSent(c, found.get());
                return;
            }
        }
        try {
            accepted = sender.send(sms);
        } catch (SmsSender.Failure e) {
            failed(c, e.getMessage(), e.messageKey, e.retry, e.mayHaveReached);
            return;
        } catch (RuntimeException e) {
            // Nothing says how far the request went: in doubt.
            failed(c, e.getClass().getSimpleName() + ": " + e.getMessage(), null, true, true);
            return;
        }
        markSent(c, accepted);
        log.info(
                "event=sms_sent sms={} attempt={} provider={}",
                c.id(),
                c.attempts(),
                sender.name());
    }

    private void release(List<SmsWorkerDao.Claimed> untried) {
        jdbi.useHandle(
                h -> {
                    SmsWorkerDao dao = h.attach(SmsWorkerDao.class);
                    for (SmsWorkerDao.Claimed c : untried) dao.release(c.id(), c.attempts());
                });
    }

    private void markSent(SmsWorkerDao.Claimed c, SmsSender.Accepted accepted) {
        jdbi.useHandle(
                h ->
                        h.attach(SmsWorkerDao.class)
                                .markSent(
                                        c.id(),
                                        c.attempts(),
                                        sender.name(),
                                        accepted.providerId(),
                                        clock.instant()));
    }

    private void failed(
            SmsWorkerDao.Claimed c,
            String reason,
            String messageKey,
            boolean retry,
            boolean mayHaveReached) {
        String error =
                reason == null ? "?" : reason.length() > 500 ? reason.substring(0, 500) : reason;
        jdbi.useHandle(
                h -> {
                    SmsWorkerDao dao = h.attach(SmsWorkerDao.class);
                    if (retry)
                        dao.markRetry(
                                c.id(),
                                c.attempts(),
                                error,
                                messageKey,
                                mayHaveReached,
                                retryAt(c.attempts()));
                    else dao.markFailed(c.id(), c.attempts(), error, messageKey);
                });
        log.warn(
                "event=sms_failed sms={} attempt={} retry={} in_doubt={} reason={}",
                c.id(),
                c.attempts(),
                retry,
                mayHaveReached,
                error);
    }

    /**
     * 1 minute after the first attempt, doubled each time, at most 6 hours; never in quiet hours.
     */
    Instant retryAt(int attempts) {
        long minutes = Math.min(360, 1L << Math.min(attempts - 1, 20));
        return QuietHours.nextAllowed(clock.instant().plus(Duration.ofMinutes(minutes)));
    }

    /** Stops after the message in progress, if any. */
    @Override
    public void close() {
        loop.close();
    }
}
