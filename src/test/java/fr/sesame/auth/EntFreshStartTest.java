package fr.sesame.auth;

import static fr.sesame.auth.EntTestKit.nextAccount;
import static fr.sesame.auth.EntTestKit.parent;
import static fr.sesame.auth.EntTestKit.principal;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import fr.sesame.support.Http;
import fr.sesame.support.TestApp;
import fr.sesame.support.TestDatabase;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A freshly started app takes simultaneous ENT sign-ins (issue 13, hole 8: pac4j initialised lazily
 * raced), and an oversized userinfo answer is refused rather than read whole.
 */
class EntFreshStartTest {
    static MockOAuth2Server provider;

    @BeforeAll
    static void start() {
        provider = EntTestKit.startProvider();
    }

    @AfterAll
    static void stop() {
        provider.shutdown();
    }

    /** Runs each task at the same instant and returns their answers in order. */
    private static <T> List<T> together(List<Callable<T>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) {
                futures.add(
                        pool.submit(
                                () -> {
                                    go.await();
                                    return task.call();
                                }));
            }
            go.countDown();
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) out.add(f.get());
            return out;
        } finally {
            pool.shutdown();
        }
    }

    private static <T> List<Callable<T>> each(List<Http> browsers, Function<Http, T> step) {
        return browsers.stream().map(b -> (Callable<T>) () -> step.apply(b)).toList();
    }

    @Test
    void eight_simultaneous_first_sign_ins_and_first_callbacks_on_a_fresh_app_all_succeed()
            throws Exception {
        Map<String, String> env = new HashMap<>(TestDatabase.freshDatabaseEnv());
        env.putAll(EntTestKit.env(EntTestKit.discoveryUrl(provider)));
        env.put("PORT", String.valueOf(TestApp.freePort()));
        List<Http> browsers = new ArrayList<>();
        List<HttpResponse<String>> back = new ArrayList<>();
        try (TestApp first = TestApp.startWithEnv(env)) {
            EntTestKit.Roster roster = new EntTestKit.Roster(first.jdbi());
            for (int i = 0; i < 8; i++) {
                long family = roster.family("F-FRESH-" + i);
                roster.guardian(family, "Parent" + i, "Fresh", "ent-sub-fresh-" + i);
                browsers.add(first.client());
            }
            List<HttpResponse<String>> toProvider =
                    together(each(browsers, b -> b.get("/auth/ent")));
            assertThat(toProvider).extracting(HttpResponse::statusCode).containsOnly(302);
            for (int i = 0; i < 8; i++) {
                nextAccount(provider, "ent-sub-fresh-" + i, parent("Parent" + i, "Fresh"));
                back.add(browsers.get(i).follow(toProvider.get(i)));
                assertThat(back.get(i).statusCode()).isEqualTo(302);
            }
        }
        // The callbacks reach an app started since (sessions live in the database): its very first
        // ENT requests.
        try (TestApp app = TestApp.startWithEnv(env)) {
            List<Callable<HttpResponse<String>>> callbacks = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Http b = browsers.get(i);
                HttpResponse<String> r = back.get(i);
                callbacks.add(() -> b.follow(r));
            }
            List<HttpResponse<String>> landed = together(callbacks);
            assertThat(landed)
                    .extracting(
                            r ->
                                    r.statusCode()
                                            + " "
                                            + r.headers().firstValue("Location").orElse(""))
                    .containsOnly("302 /me");
            Set<String> principals = new HashSet<>();
            for (Http b : browsers) principals.add(principal(app, b));
            assertThat(principals).hasSize(8).doesNotContainNull();
        }
        // And the first redirects to the ENT of a fresh app, all at once: never a 503.
        try (TestApp app = TestApp.startWithEnv(env)) {
            List<Http> fresh = new ArrayList<>();
            for (int i = 0; i < 8; i++) fresh.add(app.client());
            assertThat(together(each(fresh, b -> b.get("/auth/ent"))))
                    .extracting(HttpResponse::statusCode)
                    .containsOnly(302);
        }
    }

    @Test
    void a_userinfo_answer_over_64_kib_is_refused_with_the_ent_problem_page() throws Exception {
        HttpServer userinfo = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] huge =
                ("{\"type\":\"Relative\",\"padding\":\"" + "x".repeat(70 * 1024) + "\"}")
                        .getBytes(StandardCharsets.UTF_8);
        userinfo.createContext(
                "/userinfo",
                exchange -> {
                    exchange.getResponseHeaders().add("Content-Type", "application/json");
                    exchange.sendResponseHeaders(
                            200, 0); // chunked: no length announced, the reader must stop by itself
                    try (var out = exchange.getResponseBody()) {
                        out.write(huge);
                    }
                });
        userinfo.start();
        Map<String, String> env = new HashMap<>(EntTestKit.env(EntTestKit.discoveryUrl(provider)));
        env.put(
                "ENT_USERINFO_URL",
                "http://127.0.0.1:" + userinfo.getAddress().getPort() + "/userinfo");
        try (TestApp app = TestApp.start(env)) {
            EntTestKit.Roster roster = new EntTestKit.Roster(app.jdbi());
            roster.guardian(roster.family("F-HUGE"), "Big", "Answer", "ent-sub-huge");
            nextAccount(provider, "ent-sub-huge", parent("Big", "Answer"));
            Http browser = app.client();
            HttpResponse<String> page = EntTestKit.signIn(browser, null);
            assertThat(page.statusCode()).isEqualTo(502);
            assertThat(page.body()).contains("L'ENT ne répond pas");
            assertThat(principal(app, browser)).isNull();
        } finally {
            userinfo.stop(0);
        }
    }
}
