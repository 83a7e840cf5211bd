package fr.sesame.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.sesame.Config;
import fr.sesame.support.FakeSmsFactor;
import fr.sesame.support.Http;
import fr.sesame.support.SignIn;
import fr.sesame.support.TestApp;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The SMS Factor sender against a real local HTTP server speaking its API ({@link FakeSmsFactor}),
 * driven by the real SMS worker on the real app's database with a clock the test sets (in 2030, so
 * that the app's own worker, on the system clock, never finds these messages due), and the delivery
 * reports through the real app over HTTP: a message reaches the provider once with the right text,
 * sender, number and reference; a crash between the provider's acceptance and the mark, or an
 * answer that never came, sends no second copy; provider down then back, every message goes once
 * with backoff; refusals are kept failed with their reason in the admin's language; a number that
 * is not a French mobile never reaches the provider; quiet hours hold; a reminder too long is
 * recorded once.
 */
class SmsFactorTest {
    static final String TOKEN = "test-token-0123456789";
    static final String SECRET = "callback-secret-0123456789abcdef";
    static FakeSmsFactor provider;
    static TestApp app;
    static Jdbi jdbi;
    static final AtomicInteger keys = new AtomicInteger();

    @BeforeAll
    static void start() {
        provider = FakeSmsFactor.start(TOKEN);
        app =
                SignIn.demoApp(
                        Map.of(
                                "SMS_SENDER",
                                "smsfactor",
                                "SMS_FACTOR_TOKEN",
                                TOKEN,
                                "SMS_FACTOR_URL",
                                provider.url(),
                                "SMS_CALLBACK_SECRET",
                                SECRET));
        jdbi = app.jdbi();
    }

    @AfterAll
    static void stop() {
        app.close();
        provider.close();
    }

    @BeforeEach
    void providerUp() {
        provider.up();
        provider.mode = FakeSmsFactor.Mode.OK;
    }

    static Instant paris(int year, int month, int day, int hour, int minute) {
        return ZonedDateTime.of(year, month, day, hour, minute, 0, 0, QuietHours.PARIS).toInstant();
    }

    static long guardian(String phone) {
        return jdbi.inTransaction(
                h -> {
                    long family =
                            h.createUpdate("insert into family (reference) values (:r)")
                                    .bind("r", "SMSF-" + keys.incrementAndGet())
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

    static String enqueue(long guardian, String text, Instant at) {
        String key = "smsf-" + keys.incrementAndGet();
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
                                        "select id, body, status, attempts, provider, provider_id,"
                                                + " last_error, last_error_key, in_doubt,"
                                                + " next_attempt_at, delivery_status, delivered_at"
                                                + " from sms_outbox where idempotency_key = :k")
                                .bind("k", key)
                                .mapToMap()
                                .one());
    }

    static SmsFactorSender sender() {
        return new SmsFactorSender(
                provider.url(), TOKEN, Duration.ofMillis(500), Duration.ofMillis(2000));
    }

    /** A sender that gives up waiting for an answer sooner than the slow provider gives it. */
    static SmsFactorSender impatient() {
        return new SmsFactorSender(
                provider.url(), TOKEN, Duration.ofMillis(500), Duration.ofMillis(300));
    }

    static SmsWorker worker(SmsSender sender, Clock clock) {
        return new SmsWorker(jdbi, sender, "Sesame", clock, Duration.ofHours(1));
    }

    /** What a process dying leaves: nothing after this point runs. */
    static final class Crash extends Error {
        Crash() {
            super("the worker's process died here");
        }
    }

    @Test
    void a_message_reaches_the_provider_once_with_its_text_sender_number_and_reference() {
        long g = guardian("06 12 34 56 78");
        Instant at = paris(2030, 4, 1, 10, 0);
        String key = enqueue(g, "Atelier numérique jeudi à 9 h, école Jaurès.", at);
        SmsWorkerTest.TestClock clock = new SmsWorkerTest.TestClock(at);
        worker(sender(), clock).runOnce();

        List<FakeSmsFactor.Received> got = provider.forReference(key);
        assertThat(got).hasSize(1);
        FakeSmsFactor.Received r = got.get(0);
        assertThat(r.text()).isEqualTo(row(key).get("body"));
        assertThat(r.text()).startsWith("Atelier numérique jeudi à 9 h, école Jaurès.\n");
        assertThat(r.sender()).isEqualTo("Sesame");
        assertThat(r.number()).isEqualTo("33612345678");
        assertThat(r.pushtype()).isEqualTo("alert");
        assertThat(r.unicode()).isEqualTo(0);
        assertThat(r.authorization()).isEqualTo("Bearer " + TOKEN);
        Map<String, Object> sent = row(key);
        assertThat(sent.get("status")).isEqualTo("sent");
        assertThat(sent.get("provider")).isEqualTo("smsfactor");
        assertThat(sent.get("provider_id")).isEqualTo(r.ticket());

        clock.now = at.plus(Duration.ofDays(1));
        worker(sender(), clock).runOnce();
        assertThat(provider.forReference(key)).hasSize(1);
        assertThat(SignIn.admin(app).get("/admin/outbox").body()).contains("envoyé (smsfactor,");
    }

    @Test
    void the_apps_own_worker_sends_through_sms_factor_when_configured() throws Exception {
        Instant now = Instant.now();
        // The app's worker runs on the real clock: at night (Paris) it rightly waits until 08:00.
        org.junit.jupiter.api.Assumptions.assumeFalse(
                QuietHours.quiet(now) || QuietHours.quiet(now.plusSeconds(30)));
        long g = guardian("06 98 76 54 32");
        String key = "app-" + keys.incrementAndGet();
        SmsOutbox outbox =
                new SmsOutbox(app.baseUrl(), Clock.systemUTC(), 2, app.app().smsWorker()::wake);
        SmsOutbox.Outcome outcome =
                jdbi.inTransaction(
                        h -> outbox.enqueue(h, g, "Invitation à réserver.", "campaign", key));
        assertThat(outcome).isEqualTo(SmsOutbox.Outcome.QUEUED);
        for (int i = 0; i < 100 && !"sent".equals(row(key).get("status")); i++) Thread.sleep(100);
        assertThat(row(key).get("status")).isEqualTo("sent");
        assertThat(row(key).get("provider")).isEqualTo("smsfactor");
        assertThat(provider.forReference(key)).hasSize(1);
        assertThat(provider.forReference(key).get(0).authorization()).isEqualTo("Bearer " + TOKEN);
    }

    @Test
    void a_crash_between_the_providers_acceptance_and_the_mark_sends_no_second_copy() {
        long g = guardian("07 11 22 33 44");
        Instant at = paris(2030, 4, 2, 10, 0);
        String key = enqueue(g, "Rappel : atelier mardi 14 h.", at);
        SmsWorkerTest.TestClock clock = new SmsWorkerTest.TestClock(at);
        SmsFactorSender real = sender();
        SmsSender diesAfterTheProviderTookIt =
                new SmsSender() {
                    @Override
                    public String name() {
                        return real.name();
                    }

                    @Override
                    public Accepted send(Sms sms) throws Failure {
                        real.send(sms);
                        throw new Crash();
                    }
                };
        assertThatThrownBy(() -> worker(diesAfterTheProviderTookIt, clock).runOnce())
                .isInstanceOf(Crash.class);
        assertThat(provider.forReference(key)).hasSize(1);
        assertThat(row(key).get("status")).isEqualTo("sending");

        // Restarted: the lease has expired, the message is in doubt, the provider is asked first.
        clock.now = at.plus(SmsWorker.LEASE).plusSeconds(1);
        int lookups = provider.lookups.get();
        worker(sender(), clock).runOnce();
        assertThat(provider.lookups.get()).isEqualTo(lookups + 1);
        assertThat(provider.forReference(key)).hasSize(1);
        Map<String, Object> r = row(key);
        assertThat(r.get("status")).isEqualTo("sent");
        assertThat(r.get("provider_id")).isEqualTo(provider.forReference(key).get(0).ticket());
        assertThat(r.get("in_doubt")).isEqualTo(false);

        // Died before the request left: the provider has nothing, so it goes, once.
        String early = enqueue(g, "Rappel : atelier mercredi 14 h.", clock.now);
        SmsSender diesBeforeSending =
                new SmsSender() {
                    @Override
                    public String name() {
                        return real.name();
                    }

                    @Override
                    public Accepted send(Sms sms) {
                        throw new Crash();
                    }
                };
        SmsWorkerTest.TestClock later = new SmsWorkerTest.TestClock(clock.now);
        assertThatThrownBy(() -> worker(diesBeforeSending, later).runOnce())
                .isInstanceOf(Crash.class);
        later.now = later.now.plus(SmsWorker.LEASE).plusSeconds(1);
        worker(sender(), later).runOnce();
        assertThat(provider.forReference(early)).hasSize(1);
        assertThat(row(early).get("status")).isEqualTo("sent");
    }

    @Test
    void provider_down_then_back_every_message_goes_once_with_backoff() {
        Instant at = paris(2030, 4, 3, 10, 0);
        List<String> written =
                List.of(
                        enqueue(guardian("0611111111"), "Invitation A", at),
                        enqueue(guardian("0622222222"), "Invitation B", at),
                        enqueue(guardian("0633333333"), "Invitation C", at));
        SmsWorkerTest.TestClock clock = new SmsWorkerTest.TestClock(at);

        provider.down();
        worker(sender(), clock).runOnce();
        for (String key : written) {
            Map<String, Object> r = row(key);
            assertThat(r.get("status")).isEqualTo("pending");
            assertThat(r.get("last_error_key")).isEqualTo("sms.provider.unreachable");
            assertThat(r.get("in_doubt")).isEqualTo(false);
            assertThat(r.get("next_attempt_at"))
                    .isEqualTo(java.sql.Timestamp.from(at.plus(Duration.ofMinutes(1))));
        }

        // Back, but answering 500: the request may have been taken, the messages are in doubt.
        provider.up();
        provider.mode = FakeSmsFactor.Mode.ERROR_500;
        clock.now = at.plus(Duration.ofMinutes(1));
        worker(sender(), clock).runOnce();
        for (String key : written) {
            Map<String, Object> r = row(key);
            assertThat(r.get("last_error_key")).isEqualTo("sms.provider.error");
            assertThat(r.get("in_doubt")).isEqualTo(true);
            assertThat(r.get("next_attempt_at"))
                    .isEqualTo(java.sql.Timestamp.from(clock.now.plus(Duration.ofMinutes(2))));
        }

        // Working again, but the wait is not over: nothing goes yet.
        provider.mode = FakeSmsFactor.Mode.OK;
        clock.now = at.plus(Duration.ofMinutes(2));
        worker(sender(), clock).runOnce();
        for (String key : written) assertThat(provider.forReference(key)).isEmpty();

        clock.now = at.plus(Duration.ofMinutes(3));
        int lookups = provider.lookups.get();
        worker(sender(), clock).runOnce();
        assertThat(provider.lookups.get()).isEqualTo(lookups + 3);
        for (String key : written) {
            assertThat(provider.forReference(key)).as(key).hasSize(1);
            assertThat(row(key).get("status")).isEqualTo("sent");
            assertThat(row(key).get("attempts")).isEqualTo(3);
        }
        clock.now = clock.now.plus(Duration.ofDays(1));
        worker(sender(), clock).runOnce();
        for (String key : written) assertThat(provider.forReference(key)).hasSize(1);
    }

    @Test
    void a_message_the_provider_took_without_answering_in_time_is_not_sent_again() {
        Instant at = paris(2030, 4, 4, 10, 0);
        String key = enqueue(guardian("0644444444"), "Atelier vendredi 10 h.", at);
        SmsWorkerTest.TestClock clock = new SmsWorkerTest.TestClock(at);
        provider.mode = FakeSmsFactor.Mode.SLOW;
        worker(impatient(), clock).runOnce();
        Map<String, Object> r = row(key);
        assertThat(r.get("status")).isEqualTo("pending");
        assertThat(r.get("last_error_key")).isEqualTo("sms.provider.timeout");
        assertThat(r.get("in_doubt")).isEqualTo(true);
        assertThat(provider.forReference(key)).hasSize(1);

        provider.mode = FakeSmsFactor.Mode.OK;
        clock.now = at.plus(Duration.ofMinutes(1));
        worker(sender(), clock).runOnce();
        assertThat(provider.forReference(key)).hasSize(1);
        assertThat(row(key).get("status")).isEqualTo("sent");
        assertThat(row(key).get("provider_id"))
                .isEqualTo(provider.forReference(key).get(0).ticket());
    }

    @Test
    void a_refusal_is_kept_failed_with_its_reason_in_the_admins_language() {
        Instant at = paris(2030, 4, 5, 10, 0);
        String invalid = enqueue(guardian("0655555555"), "Invitation D", at);
        SmsWorkerTest.TestClock clock = new SmsWorkerTest.TestClock(at);
        provider.mode = FakeSmsFactor.Mode.REFUSE_INVALID;
        worker(sender(), clock).runOnce();
        assertThat(row(invalid).get("status")).isEqualTo("failed");
        assertThat(row(invalid).get("last_error_key")).isEqualTo("sms.provider.invalid");

        String noCredits = enqueue(guardian("0666666666"), "Invitation E", at);
        provider.mode = FakeSmsFactor.Mode.NO_CREDITS;
        worker(sender(), clock).runOnce();
        assertThat(row(noCredits).get("status")).isEqualTo("failed");
        assertThat(row(noCredits).get("last_error_key")).isEqualTo("sms.provider.credits");
        assertThat((String) row(noCredits).get("last_error")).contains("-3");

        // Refused for good: not tried again.
        provider.mode = FakeSmsFactor.Mode.OK;
        clock.now = at.plus(Duration.ofDays(1));
        worker(sender(), clock).runOnce();
        assertThat(row(invalid).get("status")).isEqualTo("failed");
        assertThat(provider.forReference(invalid)).isEmpty();

        Http admin = SignIn.admin(app);
        assertThat(admin.get("/admin/outbox").body())
                .contains("Refusé : le fournisseur SMS juge ce numéro invalide.")
                .contains("Refusé : plus de crédits SMS sur le compte du fournisseur.");
        admin.get("/lang/en");
        assertThat(admin.get("/admin/outbox").body())
                .contains("Refused: the SMS provider considers this number invalid.")
                .contains("Refused: no SMS credits left on the provider account.");
    }

    @Test
    void a_number_that_is_not_a_french_mobile_never_reaches_the_provider() throws Exception {
        Instant at = paris(2030, 4, 6, 10, 0);
        long fixedLine = guardian("01 23 45 67 89");
        SmsOutbox outbox =
                new SmsOutbox(app.baseUrl(), Clock.fixed(at, ZoneOffset.UTC), 2, () -> {});
        String fixedKey = "fixed-" + keys.incrementAndGet();
        SmsOutbox.Outcome outcome =
                jdbi.inTransaction(
                        h -> outbox.enqueue(h, fixedLine, "Invitation F", "campaign", fixedKey));
        assertThat(outcome).isEqualTo(SmsOutbox.Outcome.NO_NUMBER);
        int before = provider.requests.get();
        worker(sender(), new SmsWorkerTest.TestClock(at)).runOnce();

        SmsSender.Sms notMobile =
                new SmsSender.Sms(1, "direct-1", "+33123456789", "Bonjour", "Sesame");
        assertThatThrownBy(() -> sender().send(notMobile))
                .isInstanceOfSatisfying(
                        SmsSender.Failure.class,
                        f -> {
                            assertThat(f.retry).isFalse();
                            assertThat(f.messageKey).isEqualTo("sms.provider.number");
                        });
        SmsSender.Sms garbage =
                new SmsSender.Sms(2, "direct-2", "33612345678", "Bonjour", "Sesame");
        assertThatThrownBy(() -> sender().send(garbage)).isInstanceOf(SmsSender.Failure.class);
        assertThat(provider.requests.get()).isEqualTo(before);
    }

    @Test
    void quiet_hours_hold_with_this_sender() {
        Instant night = paris(2030, 4, 7, 22, 30);
        String key = enqueue(guardian("0677777777"), "Atelier demain 9 h.", night);
        SmsWorkerTest.TestClock clock = new SmsWorkerTest.TestClock(night);
        worker(sender(), clock).runOnce();
        clock.now = paris(2030, 4, 8, 7, 59);
        worker(sender(), clock).runOnce();
        assertThat(provider.forReference(key)).isEmpty();
        clock.now = paris(2030, 4, 8, 8, 0);
        worker(sender(), clock).runOnce();
        assertThat(provider.forReference(key)).hasSize(1);
    }

    @Test
    void delivery_reports_are_stored_once_shown_and_refused_without_the_secret() {
        Instant at = paris(2030, 4, 9, 10, 0);
        String key = enqueue(guardian("0688888888"), "Atelier lundi 9 h.", at);
        worker(sender(), new SmsWorkerTest.TestClock(at)).runOnce();
        String ticket = (String) row(key).get("provider_id");
        long sms = (Long) row(key).get("id");
        String delivered =
                "{\"date\": \"2030-04-09T10:01:00+02:00\", \"status\": 3, \"destination\":"
                        + " \"33688888888\", \"message_id\": \""
                        + key
                        + "\", \"campaign_id\": \""
                        + ticket
                        + "\", \"country_code\": \"FR\"}";
        Http hook = app.client();
        HttpResponse<String> first = hook.postJson("/hooks/sms/" + SECRET, delivered);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(reports(sms)).isEqualTo(1);
        assertThat(row(key).get("delivery_status")).isEqualTo("delivered");
        assertThat(row(key).get("delivered_at"))
                .isEqualTo(java.sql.Timestamp.from(paris(2030, 4, 9, 10, 1)));

        // The same report again: stored once.
        assertThat(hook.postJson("/hooks/sms/" + SECRET, delivered).statusCode()).isEqualTo(200);
        assertThat(reports(sms)).isEqualTo(1);
        // An older report arriving late is kept, but the message stays delivered.
        String sentEarlier =
                delivered.replace("\"status\": 3", "\"status\": 1").replace("10:01:00", "10:00:30");
        assertThat(hook.postJson("/hooks/sms/" + SECRET, sentEarlier).statusCode()).isEqualTo(200);
        assertThat(reports(sms)).isEqualTo(2);
        assertThat(row(key).get("delivery_status")).isEqualTo("delivered");

        long all = allReports();
        assertThat(
                        hook.postJson("/hooks/sms/wrong-secret-0123456789abcdef", delivered)
                                .statusCode())
                .isEqualTo(403);
        assertThat(hook.postJson("/hooks/sms/" + SECRET, "not json {").statusCode()).isEqualTo(400);
        assertThat(hook.postJson("/hooks/sms/" + SECRET, "{\"status\": \"x\"}").statusCode())
                .isEqualTo(400);
        assertThat(
                        hook.postJson(
                                        "/hooks/sms/" + SECRET,
                                        delivered.replace("\"date\": \"2030", "\"date\": \"hier"))
                                .statusCode())
                .isEqualTo(400);
        String unknown = delivered.replace(key, "no-such-message").replace(ticket, "1");
        assertThat(hook.postJson("/hooks/sms/" + SECRET, unknown).statusCode()).isEqualTo(200);
        assertThat(allReports()).isEqualTo(all);

        assertThat(SignIn.admin(app).get("/admin/outbox").body()).contains("remis au téléphone");
    }

    static long reports(long sms) {
        return jdbi.withHandle(
                h ->
                        h.createQuery("select count(*) from sms_delivery_report where sms_id = :s")
                                .bind("s", sms)
                                .mapTo(Long.class)
                                .one());
    }

    static long allReports() {
        return jdbi.withHandle(
                h ->
                        h.createQuery("select count(*) from sms_delivery_report")
                                .mapTo(Long.class)
                                .one());
    }

    @Test
    void a_reminder_too_long_is_recorded_once_and_shown() {
        record Booking(long id, Instant startsAt, long workshopType) {}
        long g = guardian("0699999999");
        Booking b =
                jdbi.inTransaction(
                        h -> {
                            var session =
                                    h.createQuery(
                                                    "select id, starts_at, workshop_type_id from workshop_session"
                                                            + " where status = 'scheduled' order by starts_at desc"
                                                            + " limit 1")
                                            .mapToMap()
                                            .one();
                            Instant startsAt =
                                    ((java.sql.Timestamp) session.get("starts_at")).toInstant();
                            long booking =
                                    h.createUpdate(
                                                    "insert into booking (session_id, family_id, guardian_id,"
                                                            + " created_at) select :s, family_id, id, :c"
                                                            + " from guardian where id = :g")
                                            .bind("s", (Long) session.get("id"))
                                            .bind("g", g)
                                            .bind(
                                                    "c",
                                                    java.sql.Timestamp.from(
                                                            startsAt.minus(Duration.ofDays(10))))
                                            .executeAndReturnGeneratedKeys("id")
                                            .mapTo(Long.class)
                                            .one();
                            h.createUpdate(
                                            "update workshop_type set title_fr = :t, title_en = :t"
                                                    + " where id = :w")
                                    .bind("t", "Atelier " + "très long ".repeat(60))
                                    .bind("w", (Long) session.get("workshop_type_id"))
                                    .execute();
                            return new Booking(
                                    booking, startsAt, (Long) session.get("workshop_type_id"));
                        });
        Clock clock = Clock.fixed(b.startsAt().minus(Duration.ofDays(1)), ZoneOffset.UTC);
        Reminders reminders =
                new Reminders(
                        jdbi,
                        new SmsOutbox(app.baseUrl(), clock, 3, () -> {}),
                        clock,
                        2,
                        java.time.LocalTime.of(8, 0));
        reminders.pass();
        reminders.pass();
        String key = "reminder_before:" + b.id();
        List<Map<String, Object>> rows =
                jdbi.withHandle(
                        h ->
                                h.createQuery(
                                                "select status, last_error_key from sms_outbox"
                                                        + " where idempotency_key = :k")
                                        .bind("k", key)
                                        .mapToMap()
                                        .list());
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).get("status")).isIn("skipped", "no_number");
        assertThat(rows.get(0).get("last_error_key")).isEqualTo("sms.skipped.toolong");
        // The next pass does not find it due again.
        assertThat(
                        jdbi
                                .onDemand(ReminderDao.class)
                                .due(clock.instant(), b.startsAt(), "reminder_before", false)
                                .stream()
                                .filter(d -> d.bookingId() == b.id())
                                .findAny())
                .isEqualTo(Optional.empty());
        assertThat(SignIn.admin(app).get("/admin/outbox").body())
                .contains("Pas envoyé : ce SMS dépasse le nombre de parties permis");
    }

    @Test
    void smsfactor_needs_its_token_and_keeps_its_secrets_out_of_the_configuration_text() {
        assertThatThrownBy(() -> Config.Sms.fromEnvironment(Map.of("SMS_SENDER", "smsfactor")))
                .isInstanceOf(Config.ConfigException.class)
                .hasMessageContaining("SMS_FACTOR_TOKEN");
        Config.Sms sms =
                Config.Sms.fromEnvironment(
                        Map.of(
                                "SMS_SENDER", "smsfactor",
                                "SMS_FACTOR_TOKEN", "very-secret-token",
                                "SMS_CALLBACK_SECRET", SECRET));
        assertThat(sms.factorUrl()).isEqualTo("https://api.smsfactor.com");
        assertThat(sms.toString()).doesNotContain("very-secret-token").doesNotContain(SECRET);
        assertThatThrownBy(() -> Config.Sms.fromEnvironment(Map.of("SMS_CALLBACK_SECRET", "short")))
                .isInstanceOf(Config.ConfigException.class)
                .hasMessageContaining("SMS_CALLBACK_SECRET")
                .hasMessageNotContaining("short");
        assertThat(Config.Sms.fromEnvironment(Map.of()).sender()).isEqualTo("log");
    }
}
