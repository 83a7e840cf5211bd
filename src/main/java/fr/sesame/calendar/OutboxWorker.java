package fr.sesame.calendar;

import fr.sesame.Config;
import fr.sesame.db.ClaimLoop;
import fr.sesame.db.TownUrls;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the outbox over SMTP in the background.
 *
 * <p>Delivery: a row is claimed ({@code FOR UPDATE SKIP LOCKED}, state {@code sending}, a lease) in
 * a short transaction of its own, sent, then marked {@code sent}. No transaction stays open during
 * the SMTP conversation. If the worker dies after the claim, the lease expires and another pass
 * sends the row: nothing is lost. If it dies in the instant between the SMTP server's acceptance
 * and the mark, the row is sent again with the same Message-ID, UID and SEQUENCE, which mail and
 * calendar clients treat as the same message: no second event, no second e-mail shown. A failure
 * puts the row back to {@code pending} with a wait that doubles (1 minute to 6 hours); rows are
 * never dropped, and /admin/outbox shows them.
 *
 * <p>A reminder is checked once more when it is composed, just before it is sent: if its booking
 * was cancelled or moved, its session started (on this worker's clock) or its guardian opted out
 * meanwhile, it is kept as {@code skipped} or {@code opted_out} and not sent.
 */
public final class OutboxWorker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OutboxWorker.class);
    static final int BATCH = 20;

    private final Jdbi jdbi;
    private final Mailer mailer;
    private final OutboxMails mails;
    private final Duration lease;
    private final ClaimLoop loop;
    private final Clock clock;

    /**
     * {@code urls} give each town's address, which its e-mails and invitations link to (a row is
     * composed in its own town's pass).
     */
    public OutboxWorker(Jdbi jdbi, Config.Mail mail, TownUrls urls) {
        this(jdbi, mail, urls, Duration.ofMinutes(5), Duration.ofSeconds(15), Clock.systemUTC());
    }

    OutboxWorker(Jdbi jdbi, Config.Mail mail, String baseUrl, Duration lease, Duration poll) {
        this(jdbi, mail, baseUrl, lease, poll, Clock.systemUTC());
    }

    OutboxWorker(
            Jdbi jdbi,
            Config.Mail mail,
            String baseUrl,
            Duration lease,
            Duration poll,
            Clock clock) {
        this(jdbi, mail, TownUrls.fixed(baseUrl), lease, poll, clock);
    }

    OutboxWorker(
            Jdbi jdbi,
            Config.Mail mail,
            TownUrls urls,
            Duration lease,
            Duration poll,
            Clock clock) {
        this.clock = clock;
        this.jdbi = jdbi;
        this.mailer = new Mailer(mail);
        this.mails = new OutboxMails(urls, mail);
        this.lease = lease;
        this.loop =
                new ClaimLoop(
                        "outbox",
                        poll,
                        fr.sesame.db.Towns.eachTownOf(jdbi, this::runOnce),
                        claimed -> claimed >= BATCH);
    }

    public OutboxWorker start() {
        loop.start();
        return this;
    }

    /** Asks for a pass soon (called after a transaction that wrote to the outbox has committed). */
    public void wake() {
        loop.wake();
    }

    /** One pass: claims due rows and sends them; returns how many were claimed. */
    int runOnce() {
        Instant claimedAt = Instant.now();
        List<OutboxDao.Mail> claimed = claim();
        deliver(claimed, claimedAt);
        return claimed.size();
    }

    /**
     * Sends rows claimed at {@code claimedAt}, but starts none in the second half of the lease: a
     * slow SMTP server could otherwise keep a row past its lease while another instance claims and
     * sends it too. Rows left wait for their lease to expire (returns how many were sent or
     * failed).
     */
    int deliver(List<OutboxDao.Mail> claimed, Instant claimedAt) {
        Instant lastStart = claimedAt.plus(lease.dividedBy(2));
        int done = 0;
        for (OutboxDao.Mail m : claimed) {
            if (Instant.now().isAfter(lastStart)) break;
            deliver(m);
            done++;
        }
        return done;
    }

    List<OutboxDao.Mail> claim() {
        return jdbi.inTransaction(
                h -> h.attach(OutboxDao.class).claim(lease.toSeconds() + " seconds", BATCH));
    }

    void deliver(OutboxDao.Mail m) {
        try {
            OutboxMails.Ready ready = jdbi.withHandle(h -> mails.compose(h, m, clock.instant()));
            mailer.send(ready.mail(), ready.unsubscribeUrl());
        } catch (OutboxMails.NotToSend e) {
            jdbi.useHandle(
                    h ->
                            h.attach(OutboxDao.class)
                                    .markNotSent(m.id(), m.attempts(), e.status, e.getMessage()));
            log.info("event=mail_not_sent outbox={} status={}", m.id(), e.status);
            return;
        } catch (Exception e) {
            String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
            jdbi.useHandle(
                    h ->
                            h.attach(OutboxDao.class)
                                    .markFailed(m.id(), m.attempts(), truncate(reason)));
            log.warn(
                    "event=mail_failed outbox={} attempt={} reason={}",
                    m.id(),
                    m.attempts(),
                    reason);
            return;
        }
        jdbi.useHandle(h -> h.attach(OutboxDao.class).markSent(m.id(), m.attempts()));
        log.info("event=mail_sent outbox={} attempt={}", m.id(), m.attempts());
    }

    private static String truncate(String s) {
        return s == null ? null : s.length() > 500 ? s.substring(0, 500) : s;
    }

    /** Stops after the e-mail in progress, if any. */
    @Override
    public void close() {
        loop.close();
    }
}
