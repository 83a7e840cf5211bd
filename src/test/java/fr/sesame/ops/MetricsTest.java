package fr.sesame.ops;

import static org.assertj.core.api.Assertions.assertThat;

import fr.sesame.attendance.AttendanceFixture;
import fr.sesame.support.Http;
import fr.sesame.support.SignIn;
import fr.sesame.support.TestApp;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class MetricsTest {
    static final String TOKEN = "test-metrics-token-0123456789abcdef";
    private static final Pattern FORM_TOKEN = Pattern.compile("name=\"token\" value=\"([^\"]+)\"");

    /**
     * The value of the first sample of this metric whose labels contain every given label
     * (name="value").
     */
    static OptionalDouble sample(String scrape, String metric, String... labels) {
        for (String line : scrape.split("\n")) {
            if (!line.startsWith(metric + "{") && !line.startsWith(metric + " ")) continue;
            boolean all = true;
            for (String label : labels) all &= line.contains(label);
            if (all)
                return OptionalDouble.of(
                        Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
        }
        return OptionalDouble.empty();
    }

    private static String scrape(TestApp app) {
        HttpResponse<String> r = app.client().get("/metrics", "Authorization", "Bearer " + TOKEN);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        return r.body();
    }

    @Test
    void
            a_scrape_after_a_booking_and_a_mark_counts_them_with_the_pool_the_jvm_and_the_requests_by_route() {
        try (TestApp app = SignIn.demoApp(Map.of("METRICS_TOKEN", TOKEN))) {
            String before = scrape(app);
            double bookings = sample(before, "sesame_bookings_total").orElseThrow();
            double marks = sample(before, "sesame_marks_total").orElseThrow();
            double unlocks = sample(before, "sesame_unlocks_total").orElseThrow();

            // A parent books a demo session of their school over HTTP.
            Http parent = SignIn.parent(app);
            long demoSession =
                    app.jdbi()
                            .withHandle(
                                    h ->
                                            h.createQuery(
                                                            """
                    select ws.id from workshop_session ws join school s on s.id = ws.school_id
                    where s.uai = '0211234A' and ws.starts_at > now() + interval '1 day' order by ws.starts_at limit 1""")
                                                    .mapTo(Long.class)
                                                    .one());
            HttpResponse<String> page = parent.get("/sessions/" + demoSession);
            Matcher token = FORM_TOKEN.matcher(page.body());
            assertThat(token.find()).as("the booking form").isTrue();
            HttpResponse<String> booked =
                    parent.postForm(
                            "/sessions/" + demoSession + "/book", Map.of("token", token.group(1)));
            assertThat(booked.statusCode()).isEqualTo(302);

            // The trainer marks a booked guardian present at a session starting now: the family's
            // devices unlock.
            long now = AttendanceFixture.session(app.jdbi(), true, false);
            long guardian = AttendanceFixture.guardian(app.jdbi(), 2, 0);
            AttendanceFixture.book(app.jdbi(), now, guardian);
            Http trainer = SignIn.trainer(app);
            AttendanceFixture.open(trainer, now);
            assertThat(AttendanceFixture.mark(trainer, now, guardian, "present").statusCode())
                    .isEqualTo(200);

            String after = scrape(app);
            assertThat(sample(after, "sesame_bookings_total").orElseThrow())
                    .isEqualTo(bookings + 2);
            assertThat(sample(after, "sesame_marks_total").orElseThrow()).isEqualTo(marks + 1);
            assertThat(sample(after, "sesame_unlocks_total").orElseThrow()).isGreaterThan(unlocks);
            assertThat(sample(after, "sesame_bookings_active")).isPresent();
            assertThat(sample(after, "sesame_outbox_mails_waiting")).isPresent();
            assertThat(sample(after, "sesame_outbox_webhooks_waiting").orElseThrow()).isZero();
            // the pool, the JVM
            assertThat(sample(after, "hikaricp_connections_max", "pool=\"sesame\"").orElseThrow())
                    .isPositive();
            assertThat(sample(after, "hikaricp_connections_active", "pool=\"sesame\"")).isPresent();
            assertThat(sample(after, "jvm_memory_used_bytes", "area=\"heap\"").orElseThrow())
                    .isPositive();
            assertThat(sample(after, "jvm_threads_live_threads").orElseThrow()).isPositive();
            assertThat(after).contains("jvm_gc_");
            // requests by route template and status, never by the path with its ids
            assertThat(
                            sample(
                                            after,
                                            "http_server_requests_seconds_count",
                                            "method=\"POST\"",
                                            "route=\"/sessions/{id}/book\"",
                                            "status=\"302\"")
                                    .orElseThrow())
                    .isEqualTo(1);
            assertThat(
                            sample(
                                            after,
                                            "http_server_requests_seconds_count",
                                            "route=\"/trainer/sessions/{id}/marks\"",
                                            "status=\"200\"")
                                    .orElseThrow())
                    .isEqualTo(1);
            assertThat(after).doesNotContain("route=\"/sessions/" + demoSession);
        }
    }

    @Test
    void metrics_need_the_token_and_do_not_exist_without_one() {
        try (TestApp app = TestApp.start(Map.of("METRICS_TOKEN", TOKEN))) {
            HttpResponse<String> none = app.client().get("/metrics");
            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(none.headers().firstValue("WWW-Authenticate")).contains("Bearer");
            assertThat(
                            app.client()
                                    .get("/metrics", "Authorization", "Bearer " + TOKEN + "x")
                                    .statusCode())
                    .isEqualTo(401);
            assertThat(app.client().get("/metrics", "Authorization", TOKEN).statusCode())
                    .isEqualTo(401);
            app.client().get("/missing/12345");
            String body = app.client().get("/metrics", "Authorization", "Bearer " + TOKEN).body();
            assertThat(
                            sample(
                                    body,
                                    "http_server_requests_seconds_count",
                                    "route=\"unmatched\"",
                                    "status=\"404\""))
                    .isPresent();
            assertThat(body).doesNotContain("12345");
        }
        try (TestApp app = TestApp.start()) {
            assertThat(
                            app.client()
                                    .get("/metrics", "Authorization", "Bearer " + TOKEN)
                                    .statusCode())
                    .isEqualTo(404);
            assertThat(app.client().get("/metrics").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void a_short_metrics_token_is_refused_at_start() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () ->
                                fr.sesame.Config.fromEnvironment(
                                        Map.of("METRICS_TOKEN", "short"), false))
                .hasMessageContaining("METRICS_TOKEN must be 16 characters or more");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> fr.sesame.Config.fromEnvironment(Map.of("LOG_FORMAT", "xml"), false))
                .hasMessageContaining("LOG_FORMAT must be text or json");
    }
}
