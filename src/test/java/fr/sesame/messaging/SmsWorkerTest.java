package fr.sesame.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.sesame.Config;
import fr.sesame.support.SignIn;
import fr.sesame.support.TestApp;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SMS worker on the real app's database, with a clock the test sets (in 2030, so that the app's
 * own worker, on the system clock, never finds these messages due): quiet hours hold, the log
 * sender's messages appear on /admin/outbox, failures are retried with backoff or marked failed,
 * and two workers on one database send each message once.
 */
class SmsWorkerTest {
    static TestApp app;
    static Jdbi jdbi;
    static final AtomicInteger keys = new AtomicInteger();

    @BeforeAll
    static void start() {
        app = SignIn.demoApp();
        jdbi = app.jdbi();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    static Instant paris(int year, int month, int day, int hour, int minute) {
        return ZonedDateTime.of(year, month, day, hour, minute, 0, 0, QuietHours.PARIS).toInstant();
    }

    static long guardian(String phone) {
        return jdbi.inTransaction(
                h -> {
                    long family =
                            h.createUpdate("insert into family (reference) values (:r)")
                                    .bind("r", "SMS-" + keys.incrementAndGet())
                                    .executeAndReturnGeneratedKeys("id")
                                    .mapTo(Long.class)
                                    .one();
                    return h.createUpdate(
                                    "insert into guardian (family_id, first_name, last_name, phone) "
                                            + "values (:f, 'Awa', 'Diallo', :p)")
                            .bind("f", family)
                            .bind("p", phone)
                            .executeAndReturnGeneratedKeys("id")
                            .mapTo(Long.class)
                            .one();
                });
    }

    /** Writes one SMS at {@code at}, as a feature would in its transaction; returns its key. */
    static String enqueue(long guardian, String text, Instant at) {
        String key = "test-" + keys.incrementAndGet();
        SmsOutbox outbox =
                new SmsOutbox(app.baseUrl(), Clock.fixed(at, ZoneOffset.UTC), 2, () -> {});
        SmsOutbox.Outcome outcome =
                jdbi.inTransaction(h -> outbox.enqueue(h, guardian, text, "campaign", key));
        assertThat(outcome).isEqualTo(SmsOutbox.Outcome.QUEUED);
        return key;
    }

    static Map<String, Object> row(String key) {
        return jdbi.withHandle(
                h ->
                        h.createQuery(
                                        "select status, attempts, provider, provider_id, last_error,"
                                                + " next_attempt_at from sms_outbox where idempotency_key = :k")
                                .bind("k", key)
                                .mapToMap()
                                .one());
    }

    /** A clock the test moves. */
    static final class TestClock extends Clock {
        volatile Instant now;

        TestClock(Instant now) {
            this.now = now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    static SmsWorker worker(SmsSender sender, Clock clock) {
        return new SmsWorker(jdbi, sender, "Sesame", clock, Duration.ofHours(1));
    }

    @Test
    void
            written_at_night_it_waits_until_eight_then_the_log_sender_sends_it_and_the_admin_sees_it() {
        long g = guardian("06 12 34 56 78");
        Instant night = paris(2030, 3, 11, 22, 30);
        String key = enqueue(g, "Atelier numérique demain à 9 h, école Jaurès.", night);
        assertThat(row(key).get("next_attempt_at"))
                .isEqualTo(java.sql.Timestamp.from(paris(2030, 3, 12, 8, 0)));

        TestClock clock = new TestClock(night);
        SmsWorker worker = worker(new LogSmsSender(), clock);
        worker.runOnce();
        clock.now = paris(2030, 3, 12, 7, 59);
        worker.runOnce();
        assertThat(row(key).get("status")).isEqualTo("pending");
        assertThat(row(key).get("attempts")).isEqualTo(0);

        clock.now = paris(2030, 3, 12, 8, 0);
        worker.runOnce();
        Map<String, Object> sent = row(key);
        assertThat(sent.get("status")).isEqualTo("sent");
        assertThat(sent.get("provider")).isEqualTo("log");
        assertThat(sent.get("provider_id")).isEqualTo("log-" + key);
        assertThat(sent.get("attempts")).isEqualTo(1);

        HttpResponse<String> page = SignIn.admin(app).get("/admin/outbox");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body())
                .contains("+33612345678")
                .contains("Atelier numérique demain à 9 h, école Jaurès.")
                .contains("envoyé (log,");
    }

    @Test
    void a_transient_failure_waits_and_goes_again_a_refusal_is_kept_as_failed() {
        long g = guardian("+33 7 12 34 56 78");
        Instant morning = paris(2030, 3, 13, 10, 0);
        String retried = enqueue(g, "Rappel : atelier jeudi.", morning);
        TestClock clock = new TestClock(morning);
        SmsSender down =
                new SmsSender() {
                    @Override
                    public String name() {
                        return "test";
                    }

                    @Override
                    public Accepted send(Sms sms) throws Failure {
                        throw new Failure("HTTP 503: try later", true);
                    }
                };
        worker(down, clock).runOnce();
        Map<String, Object> r = row(retried);
        assertThat(r.get("status")).isEqualTo("pending");
        assertThat(r.get("last_error")).isEqualTo("HTTP 503: try later");
        assertThat(r.get("next_attempt_at"))
                .isEqualTo(java.sql.Timestamp.from(morning.plus(Duration.ofMinutes(1))));
        // A second failure doubles the wait.
        clock.now = morning.plus(Duration.ofMinutes(1));
        worker(down, clock).runOnce();
        assertThat(row(retried).get("next_attempt_at"))
                .isEqualTo(java.sql.Timestamp.from(clock.now.plus(Duration.ofMinutes(2))));
        // Back up: it goes, once.
        clock.now = clock.now.plus(Duration.ofMinutes(2));
        worker(new LogSmsSender(), clock).runOnce();
        assertThat(row(retried).get("status")).isEqualTo("sent");
        assertThat(row(retried).get("attempts")).isEqualTo(3);

        String refused = enqueue(g, "Rappel : atelier vendredi.", clock.now);
        SmsSender refuses =
                new SmsSender() {
                    @Override
                    public String name() {
                        return "test";
                    }

                    @Override
                    public Accepted send(Sms sms) throws Failure {
                        throw new Failure("HTTP 400: invalid recipient", false);
                    }
                };
        worker(refuses, clock).runOnce();
        assertThat(row(refused).get("status")).isEqualTo("failed");
        assertThat(row(refused).get("last_error")).isEqualTo("HTTP 400: invalid recipient");
        clock.now = clock.now.plus(Duration.ofDays(1));
        worker(new LogSmsSender(), clock).runOnce();
        assertThat(row(refused).get("status")).isEqualTo("failed");
    }

    @Test
    void two_workers_on_one_database_send_each_message_once() throws Exception {
        Instant day = paris(2030, 3, 14, 14, 0);
        List<String> written = new ArrayList<>();
        long g = guardian("0698765432");
        for (int i = 0; i < 60; i++) written.add(enqueue(g, "Invitation " + i, day));
        Map<String, Integer> sends = new ConcurrentHashMap<>();
        SmsSender counting =
                new SmsSender() {
                    @Override
                    public String name() {
                        return "count";
                    }

                    @Override
                    public Accepted send(Sms sms) {
                        sends.merge(sms.idempotencyKey(), 1, Integer::sum);
                        try {
                            Thread.sleep(2);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        return new Accepted("c-" + sms.id());
                    }
                };
        Clock clock = Clock.fixed(day, ZoneOffset.UTC);
        SmsWorker a = worker(counting, clock);
        SmsWorker b = worker(counting, clock);
        CompletableFuture<Void> ra =
                CompletableFuture.runAsync(
                        () -> {
                            while (a.runOnce() > 0) {}
                        });
        CompletableFuture<Void> rb =
                CompletableFuture.runAsync(
                        () -> {
                            while (b.runOnce() > 0) {}
                        });
        CompletableFuture.allOf(ra, rb).get();
        for (String key : written) {
            assertThat(sends.get(key)).as(key).isEqualTo(1);
            assertThat(row(key).get("status")).isEqualTo("sent");
        }
    }

    @Test
    void messages_claimed_but_not_tried_in_time_are_pending_again_at_once_not_in_doubt() {
        Instant day = paris(2030, 3, 15, 14, 0);
        long g = guardian("0687654321");
        String first = enqueue(g, "Premier", day);
        String second = enqueue(g, "Second", day);
        TestClock clock = new TestClock(day);
        SmsSender slow =
                new SmsSender() {
                    @Override
                    public String name() {
                        return "slow";
                    }

                    @Override
                    public Accepted send(Sms sms) {
                        clock.now = clock.now.plus(SmsWorker.LEASE); // a very slow provider
                        return new Accepted("s-" + sms.id());
                    }
                };
        worker(slow, clock).runOnce();
        // One was tried (the claim's order is the database's), the other was not.
        boolean firstSent = row(first).get("status").equals("sent");
        String untriedKey = firstSent ? second : first;
        assertThat(row(firstSent ? first : second).get("status")).isEqualTo("sent");
        Map<String, Object> untried = row(untriedKey);
        assertThat(untried.get("status")).isEqualTo("pending");
        assertThat(untried.get("attempts")).isEqualTo(0);
        boolean inDoubt =
                jdbi.withHandle(
                        h ->
                                h.createQuery(
                                                "select in_doubt from sms_outbox where idempotency_key = :k")
                                        .bind("k", untriedKey)
                                        .mapTo(Boolean.class)
                                        .one());
        assertThat(inDoubt).isFalse();
    }

    @Test
    void the_sender_name_is_checked_at_start_up() {
        assertThat(Config.Sms.fromEnvironment(Map.of()).senderName()).isEqualTo("Sesame");
        for (String bad : List.of("Mairie de Paris", "MairieDeParis", "Sésame", "0612345678")) {
            assertThatThrownBy(() -> Config.Sms.fromEnvironment(Map.of("SMS_SENDER_NAME", bad)))
                    .isInstanceOf(Config.ConfigException.class)
                    .hasMessageContaining("SMS_SENDER_NAME");
        }
        assertThatThrownBy(() -> Config.Sms.fromEnvironment(Map.of("SMS_SENDER", "ovh")))
                .isInstanceOf(Config.ConfigException.class)
                .hasMessageContaining("SMS_SENDER");
    }
}
