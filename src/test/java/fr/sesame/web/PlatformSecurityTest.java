package fr.sesame.web;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import fr.sesame.audit.Actor;
import fr.sesame.auth.StaffAccounts;
import fr.sesame.demo.DemoSeed;
import fr.sesame.support.Http;
import fr.sesame.support.SesameTest;
import fr.sesame.support.SignIn;
import fr.sesame.support.Sql;
import fr.sesame.support.TestApp;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** What the platform keeps out of caches, logs and the network. */
@SesameTest(demo = true)
class PlatformSecurityTest {
    static final Pattern FEED =
            Pattern.compile("https?://[^/]+(/calendar/feed/([A-Za-z0-9_-]+)\\.ics)");
    static TestApp app;

    @Test
    void
            every_page_and_api_answer_of_the_route_table_says_no_store_to_the_browser_for_the_role_that_may_see_it() {
        Map<String, Http> web =
                Map.of(
                        "parent",
                        SignIn.parent(app),
                        "admin",
                        SignIn.admin(app),
                        "anonymous",
                        app.client());
        String adminToken =
                new StaffAccounts(app.jdbi()).createToken(Actor.COMMAND_LINE, "cache", "admin");
        long session =
                Long.parseLong(Sql.text(app.jdbi(), "select min(id)::text from workshop_session"));
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (WebApp.Route route : WebApp.routes(app.app().web())) {
            if (!route.method().equals("GET")) continue;
            // feeds and the offline worker carry no-cache with their own validators (ETag), for
            // calendar apps
            if (route.path().startsWith("/calendar/feed/")
                    || route.path().equals("/trainer/offline-worker.js")) continue;
            String path =
                    route.path()
                            .replace("/trainer/sessions/{id}", "/trainer/sessions/" + session)
                            .replaceAll("\\{[^}]+}", "999999");
            Access access = route.access();
            HttpResponse<String> r =
                    access.isApi()
                            ? app.client().get(path, "Authorization", "Bearer " + adminToken)
                            : web.get(
                                            access == Access.PARENT
                                                    ? "parent"
                                                    : access == Access.PUBLIC
                                                            ? "anonymous"
                                                            : "admin")
                                    .get(path);
            checked++;
            String cacheControl = r.headers().firstValue("Cache-Control").orElse("");
            if (r.statusCode() == 302 && !access.equals(Access.PUBLIC))
                problems.add(path + " redirected: not signed in?");
            if (!cacheControl.contains("no-store"))
                problems.add(path + " -> " + r.statusCode() + " Cache-Control: " + cacheControl);
        }
        assertThat(checked).isGreaterThan(40);
        assertThat(problems).isEmpty();
        // static files stay cacheable
        assertThat(app.client().get("/static/app.css").headers().firstValue("Cache-Control"))
                .contains("public, max-age=3600");
    }

    @Test
    void percent_underscore_and_backslash_in_the_admin_searches_match_only_themselves() {
        Http admin = SignIn.admin(app);
        assertThat(admin.get("/admin/families?q=DEMO").body()).contains("DEMO-001");
        assertThat(admin.get("/admin/devices?q=CHN").body()).contains("CHN-0001");
        for (String wildcard : List.of("%25", "_", "%5C", "DEMO%25001", "DEMO_001")) {
            assertThat(admin.get("/admin/families?q=" + wildcard).body())
                    .as(wildcard)
                    .doesNotContain("DEMO-001");
            assertThat(admin.get("/admin/devices?q=" + wildcard).body())
                    .as(wildcard)
                    .doesNotContain("CHN-0001");
        }
        app.jdbi()
                .useHandle(
                        h ->
                                h.execute(
                                        "update family set reference = 'DEMO_100%' where reference = 'DEMO-010'"));
        assertThat(admin.get("/admin/families?q=_100%25").body())
                .contains("DEMO_100%")
                .doesNotContain("DEMO-001");
    }

    @Test
    void hsts_is_sent_only_when_the_base_url_is_https() {
        assertThat(app.client().get("/").headers().firstValue("Strict-Transport-Security"))
                .isEmpty();
        try (TestApp https = TestApp.start(Map.of("BASE_URL", "https://sesame.example.fr"))) {
            assertThat(
                            new Http("http://localhost:" + https.port())
                                    .get("/")
                                    .headers()
                                    .firstValue("Strict-Transport-Security"))
                    .contains("max-age=31536000");
        }
    }

    @Test
    void a_feed_request_leaves_its_token_out_of_the_request_log() throws Exception {
        String feed = newFeedPath(SignIn.trainer(app), "/trainer/calendar");
        String token = feed.substring("/calendar/feed/".length(), feed.length() - ".ics".length());
        Logger logger = (Logger) LoggerFactory.getLogger("request");
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            assertThat(app.client().get(feed).statusCode()).isEqualTo(200);
            app.client()
                    .get("/calendar/feed/" + token.substring(0, 10) + ".ics"); // a mistyped one too
            for (int i = 0; i < 50 && appender.list.size() < 2; i++) Thread.sleep(20);
        } finally {
            logger.detachAppender(appender);
        }
        List<String> lines =
                appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(lines)
                .hasSize(2)
                .allMatch(
                        l ->
                                l.startsWith(
                                        "method=GET route=/calendar/feed/{token}.ics path=/calendar/feed/*** status="));
        assertThat(String.join("\n", lines))
                .doesNotContain(token)
                .doesNotContain(token.substring(0, 10));
        assertThat(WebApp.maskSecrets("/admin/devices/42")).isEqualTo("/admin/devices/42");
        assertThat(WebApp.maskSecrets("/x/abcdefghijklmnopqrstuvwxyz012345/y"))
                .isEqualTo("/x/***/y");
    }

    @Test
    void a_disabled_staff_accounts_calendar_feed_answers_404_at_once_and_again_when_enabled() {
        String feed = newFeedPath(SignIn.trainer(app), "/trainer/calendar");
        assertThat(app.client().get(feed).statusCode())
                .isEqualTo(200); // its owner is now remembered
        long trainer =
                Long.parseLong(
                        Sql.text(
                                app.jdbi(),
                                "select id::text from staff_account where email = '"
                                        + DemoSeed.TRAINER_EMAIL
                                        + "'"));
        Http admin = SignIn.admin(app);
        admin.get("/admin/staff");
        assertThat(
                        admin.postForm(
                                        "/admin/staff/" + trainer + "/active",
                                        Map.of("active", "false"))
                                .statusCode())
                .isEqualTo(302);
        try {
            assertThat(app.client().get(feed).statusCode()).isEqualTo(404);
        } finally {
            admin.get("/admin/staff");
            admin.postForm("/admin/staff/" + trainer + "/active", Map.of("active", "true"));
        }
        assertThat(app.client().get(feed).statusCode()).isEqualTo(200);
    }

    @Test
    void host_127_0_0_1_is_not_reachable_from_the_machines_other_addresses_while_the_default_is()
            throws Exception {
        Optional<InetAddress> other =
                Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                        .filter(
                                i -> {
                                    try {
                                        return i.isUp() && !i.isLoopback();
                                    } catch (Exception e) {
                                        return false;
                                    }
                                })
                        .flatMap(i -> Collections.list(i.getInetAddresses()).stream())
                        .filter(a -> a instanceof Inet4Address)
                        .findFirst();
        Assumptions.assumeTrue(other.isPresent(), "this machine has no address but the loopback");
        try (TestApp local = TestApp.start(Map.of("HOST", "127.0.0.1"))) {
            assertThat(connects(InetAddress.getLoopbackAddress(), local.port())).isTrue();
            assertThat(connects(other.get(), local.port())).as("from " + other.get()).isFalse();
        }
        assertThat(connects(other.get(), app.port())).as("the default listens everywhere").isTrue();
    }

    @Test
    void the_demo_listens_on_the_loopback_unless_host_says_otherwise() {
        assertThat(fr.sesame.Config.fromEnvironment(Map.of(), true).host()).isEqualTo("127.0.0.1");
        assertThat(fr.sesame.Config.fromEnvironment(Map.of("SESAME_DEMO", "true"), false).host())
                .isEqualTo("127.0.0.1");
        assertThat(fr.sesame.Config.fromEnvironment(Map.of("HOST", "0.0.0.0"), true).host())
                .isEqualTo("0.0.0.0");
        assertThat(fr.sesame.Config.fromEnvironment(Map.of(), false).host())
                .as("every interface")
                .isNull();
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> fr.sesame.Config.fromEnvironment(Map.of("HOST", "a b"), false))
                .hasMessageContaining("HOST must be an IP address or a host name");
    }

    private static boolean connects(InetAddress address, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, port), 2_000);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static String newFeedPath(Http client, String page) {
        client.get(page);
        HttpResponse<String> r = client.postForm(page + "/link", Map.of());
        Matcher m = FEED.matcher(r.body());
        assertThat(m.find()).as(r.body()).isTrue();
        return m.group(1);
    }
}
