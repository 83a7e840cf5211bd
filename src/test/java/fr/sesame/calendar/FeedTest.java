package fr.sesame.calendar;

import static org.assertj.core.api.Assertions.assertThat;

import fr.sesame.support.Http;
import fr.sesame.support.SesameTest;
import fr.sesame.support.SignIn;
import fr.sesame.support.TestApp;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Subscription feeds over HTTP: secret links, caching headers, changes, revocation, and the booking
 * download.
 */
@SesameTest(demo = true)
class FeedTest {
    static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    static final Pattern FEED =
            Pattern.compile("https?://[^/]+(/calendar/feed/([A-Za-z0-9_-]+)\\.ics)");
    static TestApp app;
    static Jdbi jdbi;
    static CalendarOutbox calendar;
    static CalendarFixture fixture;

    @BeforeAll
    static void start() {
        calendar = app.app().calendarOutbox();
        fixture = new CalendarFixture(jdbi);
    }

    /** Asks for a new link on the page and returns the feed's path, as the page shows it. */
    static String newFeedPath(Http client, String page, Map<String, String> form) {
        HttpResponse<String> shown = client.get(page);
        assertThat(shown.statusCode()).isEqualTo(200);
        HttpResponse<String> r = client.postForm(page + "/link", form);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        Matcher m = FEED.matcher(r.body());
        assertThat(m.find()).as("the page shows the https link").isTrue();
        assertThat(r.body())
                .contains("webcal://")
                .contains("Google")
                .contains("Outlook")
                .contains("Thunderbird");
        assertThat(m.group(2).length()).as("at least 128 bits").isGreaterThanOrEqualTo(22);
        return m.group(1);
    }

    static long bookDemoParent(ZonedDateTime start) {
        long session = fixture.session("0211234A", start, Duration.ofHours(2));
        long booking = fixture.book(session, fixture.demoParent());
        jdbi.useTransaction(h -> calendar.bookingConfirmed(h, booking));
        return booking;
    }

    static long sessionOf(long booking) {
        return jdbi.withHandle(
                h ->
                        h.createQuery("select session_id from booking where id = ?")
                                .bind(0, booking)
                                .mapTo(Long.class)
                                .one());
    }

    @Test
    void a_parent_subscribes_and_the_feed_follows_a_change_with_304_in_between() {
        long booking = bookDemoParent(ZonedDateTime.of(2026, 12, 1, 17, 30, 0, 0, PARIS));
        Http parent = SignIn.parent(app);
        String path = newFeedPath(parent, "/me/calendar", Map.of());
        Http calendarApp = app.client();

        HttpResponse<String> first = calendarApp.get(path);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("Content-Type").orElse(""))
                .isEqualToIgnoringCase("text/calendar; charset=utf-8");
        String etag = first.headers().firstValue("ETag").orElseThrow();
        String lastModified = first.headers().firstValue("Last-Modified").orElseThrow();
        assertThat(first.body())
                .contains("\r\nREFRESH-INTERVAL;VALUE=DURATION:PT6H\r\n")
                .contains("\r\nX-PUBLISHED-TTL:PT6H\r\n");
        Ical.Parsed feed = Ical.parse(first.body());
        assertThat(feed.method()).isEqualTo("PUBLISH");
        String uid =
                app.jdbi()
                        .withHandle(
                                h ->
                                        h.createQuery(
                                                        "select calendar_uid::text from booking where id = ?")
                                                .bind(0, booking)
                                                .mapTo(String.class)
                                                .one());
        Ical.Event event =
                feed.events().stream().filter(e -> e.uid().equals(uid)).findFirst().orElseThrow();
        assertThat(event.start()).isEqualTo(Instant.parse("2026-12-01T16:30:00Z"));

        assertThat(calendarApp.get(path, "If-None-Match", etag).statusCode()).isEqualTo(304);
        assertThat(calendarApp.get(path, "If-Modified-Since", lastModified).statusCode())
                .isEqualTo(304);
        assertThat(calendarApp.get(path, "If-None-Match", "\"something-else\"").statusCode())
                .isEqualTo(200);

        long session = sessionOf(booking);
        jdbi.useTransaction(
                h -> {
                    h.execute(
                            "update workshop_session set starts_at = starts_at + interval '1 day', ends_at = ends_at + interval '1 day' where id = ?",
                            session);
                    calendar.sessionChanged(h, session);
                });
        HttpResponse<String> changed = calendarApp.get(path, "If-None-Match", etag);
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(changed.headers().firstValue("ETag").orElseThrow()).isNotEqualTo(etag);
        Ical.Event moved =
                Ical.parse(changed.body()).events().stream()
                        .filter(e -> e.uid().equals(uid))
                        .findFirst()
                        .orElseThrow();
        assertThat(moved.start()).isEqualTo(Instant.parse("2026-12-02T16:30:00Z"));
        assertThat(moved.sequence()).isGreaterThan(event.sequence());
    }

    @Test
    void calendar_apps_that_ask_for_gzip_get_the_same_feed_compressed() throws Exception {
        String path = newFeedPath(SignIn.trainer(app), "/trainer/calendar", Map.of());
        String plain = app.client().get(path).body();
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        HttpResponse<byte[]> r =
                client.send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(app.url(path)))
                                .header("Accept-Encoding", "gzip")
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(r.headers().firstValue("Vary")).hasValue("Accept-Encoding");
        byte[] unzipped =
                new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(r.body()))
                        .readAllBytes();
        assertThat(new String(unzipped, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(plain);
        String etag = r.headers().firstValue("ETag").orElseThrow();
        HttpResponse<byte[]> again =
                client.send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(app.url(path)))
                                .header("Accept-Encoding", "gzip")
                                .header("If-None-Match", etag)
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
        assertThat(again.statusCode()).isEqualTo(304);
    }

    @Test
    void a_regenerated_link_makes_the_old_one_answer_404_like_an_unknown_one() {
        Http parent = SignIn.parent(app);
        String old = newFeedPath(parent, "/me/calendar", Map.of());
        assertThat(app.client().get(old).statusCode()).isEqualTo(200);
        assertThat(parent.get("/me/calendar").body()).contains("Créer un nouveau lien");
        String fresh = newFeedPath(parent, "/me/calendar", Map.of());
        assertThat(fresh).isNotEqualTo(old);
        HttpResponse<String> revoked = app.client().get(old);
        HttpResponse<String> unknown =
                app.client().get("/calendar/feed/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics");
        assertThat(revoked.statusCode()).isEqualTo(404);
        assertThat(unknown.statusCode()).isEqualTo(404);
        // the same page, whose only differences are the address in its language switch and the
        // request's reference
        assertThat(
                        revoked.body()
                                .replaceAll("feed%2F[A-Za-z0-9_-]+", "feed%2FX")
                                .replace(requestId(revoked), "ID"))
                .isEqualTo(
                        unknown.body()
                                .replaceAll("feed%2F[A-Za-z0-9_-]+", "feed%2FX")
                                .replace(requestId(unknown), "ID"));
        assertThat(app.client().get(fresh).statusCode()).isEqualTo(200);
        int plain =
                fr.sesame.support.Sql.count(
                        jdbi,
                        "select count(*) from calendar_feed_token where token_hash like '%"
                                + fresh.replaceAll(".*/feed/|\\.ics", "")
                                + "%'");
        assertThat(plain).as("only the hash is stored").isZero();
    }

    private static String requestId(HttpResponse<String> r) {
        return r.headers().firstValue("X-Request-Id").orElseThrow();
    }

    @Test
    void a_cancelled_session_stays_in_the_school_feed_as_cancelled() {
        long open =
                fixture.session(
                        "0211234A",
                        ZonedDateTime.of(2026, 12, 3, 17, 30, 0, 0, PARIS),
                        Duration.ofHours(2));
        long cancelled =
                fixture.session(
                        "0211234A",
                        ZonedDateTime.of(2026, 12, 4, 17, 30, 0, 0, PARIS),
                        Duration.ofHours(2));
        jdbi.useTransaction(
                h -> {
                    h.execute(
                            "update workshop_session set status = 'cancelled' where id = ?",
                            cancelled);
                    calendar.sessionCancelled(h, cancelled);
                });
        String path = newFeedPath(SignIn.schoolStaff(app), "/school/calendar", Map.of());
        HttpResponse<String> r = app.client().get(path);
        Ical.Parsed feed = Ical.parse(r.body());
        Ical.Event o =
                feed.events().stream()
                        .filter(e -> e.uid().startsWith("session-" + open + "@"))
                        .findFirst()
                        .orElseThrow();
        Ical.Event c =
                feed.events().stream()
                        .filter(e -> e.uid().startsWith("session-" + cancelled + "@"))
                        .findFirst()
                        .orElseThrow();
        assertThat(o.status()).isEqualTo("CONFIRMED");
        assertThat(o.summary()).contains("12 places");
        assertThat(c.status()).isEqualTo("CANCELLED");
        assertThat(c.sequence()).isEqualTo(1);
        // the other schools' sessions are not in this school's feed
        assertThat(feed.events())
                .allSatisfy(
                        e -> assertThat(e.location()).startsWith("École élémentaire Jules Ferry"));
        Ical.assertWellFormed(r.body().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void trainer_and_admin_feeds_parse_and_show_the_numbers_booked() {
        String trainerFeed =
                app.client()
                        .get(newFeedPath(SignIn.trainer(app), "/trainer/calendar", Map.of()))
                        .body();
        Ical.Parsed t = Ical.parse(trainerFeed);
        assertThat(t.events())
                .isNotEmpty()
                .allSatisfy(e -> assertThat(e.summary()).matches(".*\\(\\d+/\\d+ inscrits?\\)"));
        Http admin = SignIn.admin(app);
        Ical.Parsed a =
                Ical.parse(
                        app.client().get(newFeedPath(admin, "/admin/calendar", Map.of())).body());
        assertThat(a.events().size()).isGreaterThanOrEqualTo(12).isGreaterThan(t.events().size());
        // an admin chooses the school whose feed to hand out
        assertThat(admin.get("/school/calendar").body()).contains("École élémentaire Gambetta");
        long gambetta =
                jdbi.withHandle(
                        h ->
                                h.createQuery("select id from school where uai = '0219012C'")
                                        .mapTo(Long.class)
                                        .one());
        admin.get("/school/calendar?school=" + gambetta);
        String schoolPath =
                newFeedPath(admin, "/school/calendar", Map.of("school", String.valueOf(gambetta)));
        Ical.Parsed g = Ical.parse(app.client().get(schoolPath).body());
        assertThat(g.events())
                .isNotEmpty()
                .allSatisfy(e -> assertThat(e.location()).startsWith("École élémentaire Gambetta"));
    }

    @Test
    void a_parent_downloads_their_own_booking_and_gets_404_for_anyone_elses() {
        long own = bookDemoParent(ZonedDateTime.of(2026, 12, 5, 10, 0, 0, 0, PARIS));
        long session =
                fixture.session(
                        "0215678B",
                        ZonedDateTime.of(2026, 12, 5, 14, 0, 0, 0, PARIS),
                        Duration.ofHours(2));
        long stranger =
                fixture.book(
                        session, fixture.guardian("Autre", "Parent", "autre@example.fr", "fr"));
        Http parent = SignIn.parent(app);
        assertThat(parent.get("/me/calendar").body())
                .contains("/me/bookings/" + own + "/calendar.ics")
                .contains("Ajouter à mon agenda");
        HttpResponse<String> mine = parent.get("/me/bookings/" + own + "/calendar.ics");
        assertThat(mine.statusCode()).isEqualTo(200);
        assertThat(mine.headers().firstValue("Content-Type").orElse(""))
                .startsWith("text/calendar; charset=utf-8");
        Ical.Parsed parsed = Ical.parse(mine.body());
        assertThat(parsed.method()).isEqualTo("REQUEST");
        assertThat(parsed.only().start()).isEqualTo(Instant.parse("2026-12-05T09:00:00Z"));
        assertThat(parent.get("/me/bookings/" + stranger + "/calendar.ics").statusCode())
                .isEqualTo(404);
        assertThat(parent.get("/me/bookings/999999/calendar.ics").statusCode()).isEqualTo(404);

        jdbi.useTransaction(
                h -> {
                    h.execute(
                            "update booking set status = 'cancelled', ended_at = now() where id = ?",
                            own);
                    calendar.bookingCancelled(h, own);
                });
        // a cancelled booking leaves the page's list; its file, asked for directly, is the
        // cancellation
        Ical.Parsed cancelled =
                Ical.parse(parent.get("/me/bookings/" + own + "/calendar.ics").body());
        assertThat(cancelled.method()).isEqualTo("CANCEL");
        assertThat(cancelled.only().status()).isEqualTo("CANCELLED");
    }
}
