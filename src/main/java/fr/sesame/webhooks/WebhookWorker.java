package fr.sesame.webhooks;

import fr.sesame.db.ClaimLoop;
import fr.sesame.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the webhook outbox in the background, like the mail worker: a delivery is claimed in a
 * short transaction ({@code FOR UPDATE SKIP LOCKED}, a lease), POSTed with no transaction open,
 * then marked delivered; a failure (no answer, or not 2xx) waits the configured time, doubled at
 * each attempt up to an hour, and is never dropped. A worker that stops after its claim leaves a
 * lease that expires; the delivery then goes again, with the same delivery id. The lease outlasts a
 * request's timeout, so a delivery is never in flight twice at once.
 */
public final class WebhookWorker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebhookWorker.class);
    static final int BATCH = 20;
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final Duration LEASE = Duration.ofMinutes(2);

    private final Jdbi jdbi;
    private final Duration retry;
    private final HttpClient http =
            HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .build();
    private final ClaimLoop loop;

    public WebhookWorker(Jdbi jdbi, Duration poll, Duration retry) {
        this.jdbi = jdbi;
        this.retry = retry;
        // Go on while deliveries go through: a device's next change becomes due once the previous
        // is delivered.
        this.loop =
                new ClaimLoop(
                        "webhook",
                        poll,
                        fr.sesame.db.Towns.eachTownOf(jdbi, this::runOnce),
                        delivered -> delivered > 0);
    }

    public WebhookWorker start() {
        loop.start();
        return this;
    }

    /** One pass: claims due deliveries and sends them; returns how many went through. */
    int runOnce() {
        Instant claimedAt = Instant.now();
        List<WebhookDao.Claimed> claimed =
                jdbi.inTransaction(
                        h ->
                                h.attach(WebhookDao.class)
                                        .claim(LEASE.toSeconds() + " seconds", BATCH));
        // A row whose lease would end during its request is left for the next claim (its lease then
        // expires).
        Instant lastStart = claimedAt.plus(LEASE).minus(TIMEOUT).minusSeconds(15);
        int delivered = 0;
        for (WebhookDao.Claimed c : claimed) {
            if (Instant.now().isAfter(lastStart) || Thread.currentThread().isInterrupted()) break;
            if (deliver(c)) delivered++;
        }
        return delivered;
    }

    /** The JSON body of a delivery (the README's webhook section lists its fields). */
    record Delivery(
            String deliveryId,
            String event,
            long sequence,
            String assetTag,
            String serial,
            String school,
            boolean homeUse,
            String from,
            String to,
            String changedAt,
            String reason) {}

    static String body(WebhookDao.Claimed c) {
        return Json.write(
                new Delivery(
                        c.deliveryId().toString(),
                        Webhooks.EVENT_HOME_USE,
                        c.id(),
                        c.assetTag(),
                        c.serial(),
                        c.schoolUai(),
                        "home_use".equals(c.toState()),
                        c.fromState(),
                        c.toState(),
                        c.changedAt().toString(),
                        c.reason()));
    }

    private boolean deliver(WebhookDao.Claimed c) {
        String body = body(c);
        long timestamp = Instant.now().getEpochSecond();
        Integer status = null;
        String error;
        try {
            HttpRequest request =
                    HttpRequest.newBuilder(URI.create(c.url()))
                            .timeout(TIMEOUT)
                            .header("Content-Type", "application/json; charset=utf-8")
                            .header("User-Agent", "Sesame-Webhooks/1")
                            .header(Webhooks.DELIVERY, c.deliveryId().toString())
                            .header(Webhooks.EVENT, Webhooks.EVENT_HOME_USE)
                            .header(Webhooks.TIMESTAMP, String.valueOf(timestamp))
                            .header(Webhooks.SIGNATURE, Webhooks.sign(c.secret(), timestamp, body))
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build();
            HttpResponse<String> response =
                    http.send(request, HttpResponse.BodyHandlers.ofString());
            status = response.statusCode();
            if (status >= 200 && status < 300) {
                jdbi.useHandle(
                        h ->
                                h.attach(WebhookDao.class)
                                        .markDelivered(
                                                c.id(), c.attempts(), response.statusCode()));
                log.info(
                        "event=webhook_delivered delivery={} attempt={}",
                        c.deliveryId(),
                        c.attempts());
                return true;
            }
            String answer = response.body() == null ? "" : response.body().strip();
            error = "HTTP " + status + (answer.isEmpty() ? "" : ": " + answer);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted";
        } catch (Exception e) {
            error =
                    e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        String reason = error.length() > 300 ? error.substring(0, 300) : error;
        Integer lastStatus = status;
        jdbi.useHandle(
                h ->
                        h.attach(WebhookDao.class)
                                .markFailed(
                                        c.id(),
                                        c.attempts(),
                                        lastStatus,
                                        reason,
                                        retry.toMillis() + " milliseconds"));
        log.warn(
                "event=webhook_failed delivery={} attempt={} reason={}",
                c.deliveryId(),
                c.attempts(),
                reason);
        return false;
    }

    /** Stops after the delivery in progress, if any. */
    @Override
    public void close() {
        loop.close();
    }
}
