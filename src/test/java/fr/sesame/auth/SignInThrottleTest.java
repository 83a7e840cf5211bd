package fr.sesame.auth;

import static org.assertj.core.api.Assertions.assertThat;

import fr.sesame.demo.DemoSeed;
import fr.sesame.support.Http;
import fr.sesame.support.SesameTest;
import fr.sesame.support.SignIn;
import fr.sesame.support.Sql;
import fr.sesame.support.TestApp;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sign-in throttle (issue 13, holes 6 and 9): a limit per letter code, per staff account and
 * per address, each counted and checked at once; a shared address does not lock out the right code
 * or password; X-Forwarded-For is believed only from TRUSTED_PROXIES.
 */
@SesameTest(demo = true)
class SignInThrottleTest {
    static TestApp app;
    static TestApp behindProxy;

    @BeforeAll
    static void start() {
        behindProxy = TestApp.start(Map.of("TRUSTED_PROXIES", "127.0.0.1, ::1"));
        new DemoSeed(behindProxy.jdbi()).seed();
    }

    @AfterAll
    static void stop() {
        behindProxy.close();
    }

    @BeforeEach
    void forgetAttempts() {
        for (TestApp a : List.of(app, behindProxy))
            a.jdbi().useHandle(h -> h.execute("delete from sign_in_throttle"));
    }

    /** A well-formed letter code that no family has. */
    private static String unknownCode(int i) {
        String a = LetterCodes.ALPHABET;
        return "ZZZZZ" + a.charAt(i / 1024 % 32) + a.charAt(i / 32 % 32) + a.charAt(i % 32);
    }

    private static HttpResponse<String> tryCode(
            Http client, String code, String child, String... headers) {
        return client.postForm("/sign-in/code", Map.of("code", code, "child", child), headers);
    }

    /**
     * Sends n requests at the same instant, each from its own browser (already holding a CSRF
     * token).
     */
    private static List<Integer> inParallel(TestApp target, int n, IntFunction<String[]> form)
            throws Exception {
        List<Http> clients = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Http c = target.client();
            c.get("/sign-in/code");
            clients.add(c);
        }
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Http c = clients.get(i);
                String[] f = form.apply(i);
                answers.add(
                        pool.submit(
                                () -> {
                                    go.await();
                                    String[] headers =
                                            f.length > 2
                                                    ? new String[] {f[2], f[3]}
                                                    : new String[0];
                                    return tryCode(c, f[0], f[1], headers).statusCode();
                                }));
            }
            go.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> a : answers) statuses.add(a.get());
            return statuses;
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void thirty_parallel_wrong_first_names_for_one_code_get_exactly_five_checked()
            throws Exception {
        String code =
                Sql.text(app.jdbi(), "select letter_code from family where reference = 'DEMO-040'");
        List<Integer> statuses = inParallel(app, 30, i -> new String[] {code, "Wrong" + i});
        assertThat(statuses.stream().filter(s -> s == 400).count())
                .as(statuses.toString())
                .isEqualTo(5);
        assertThat(statuses.stream().filter(s -> s == 429).count())
                .as(statuses.toString())
                .isEqualTo(25);
        assertThat(
                        Sql.count(
                                app.jdbi(),
                                "select failures from sign_in_throttle where key = 'code:"
                                        + code
                                        + "'"))
                .isEqualTo(5);
    }

    @Test
    void sixty_parallel_unknown_codes_from_a_fresh_address_get_exactly_its_thirty_checked()
            throws Exception {
        List<Integer> statuses =
                inParallel(
                        behindProxy,
                        60,
                        i ->
                                new String[] {
                                    unknownCode(i), "X", "X-Forwarded-For", "198.51.100.60"
                                });
        assertThat(statuses.stream().filter(s -> s == 400).count())
                .as(statuses.toString())
                .isEqualTo(Throttle.ADDRESS_LIMIT);
        assertThat(statuses.stream().filter(s -> s == 429).count())
                .isEqualTo(60 - Throttle.ADDRESS_LIMIT);
    }

    @Test
    void wrong_codes_from_a_shared_address_lock_out_neither_the_right_code_nor_the_staff() {
        Http stranger = app.client();
        stranger.get("/sign-in/code");
        for (int i = 0; i < 10; i++)
            assertThat(tryCode(stranger, unknownCode(i), "X").statusCode()).isEqualTo(400);
        // Same address (127.0.0.1): the parent with their letter and the admin both get in.
        assertThat(SignIn.parent(app).get("/me").statusCode()).isEqualTo(200);
        SignIn.admin(app);
        // The right code gave its attempt back to the address.
        assertThat(
                        Sql.count(
                                app.jdbi(),
                                "select failures from sign_in_throttle where key = 'address:code:127.0.0.1'"))
                .isEqualTo(10);
    }

    @Test
    void wrong_passwords_slow_that_staff_account_only() {
        Http guesser = app.client();
        guesser.get("/sign-in/staff");
        for (int i = 0; i < Throttle.ACCOUNT_LIMIT; i++) {
            assertThat(
                            guesser.postForm(
                                            "/sign-in/staff",
                                            Map.of(
                                                    "email",
                                                    DemoSeed.TRAINER_EMAIL,
                                                    "password",
                                                    "wrong" + i))
                                    .statusCode())
                    .isEqualTo(400);
        }
        HttpResponse<String> blocked =
                guesser.postForm(
                        "/sign-in/staff",
                        Map.of(
                                "email",
                                DemoSeed.TRAINER_EMAIL,
                                "password",
                                DemoSeed.TRAINER_PASSWORD));
        assertThat(blocked.statusCode()).isEqualTo(429);
        assertThat(blocked.body()).contains("Trop d'essais");
        SignIn.admin(app);
        SignIn.parent(app);
    }

    @Test
    void
            behind_a_trusted_proxy_each_client_address_has_its_own_limit_and_a_forged_hop_changes_nothing() {
        Http shared = behindProxy.client();
        shared.get("/sign-in/code");
        for (int i = 0; i < Throttle.ADDRESS_LIMIT; i++) {
            assertThat(
                            tryCode(shared, unknownCode(i), "X", "X-Forwarded-For", "198.51.100.9")
                                    .statusCode())
                    .isEqualTo(400);
        }
        assertThat(
                        tryCode(shared, unknownCode(100), "X", "X-Forwarded-For", "198.51.100.9")
                                .statusCode())
                .isEqualTo(429);
        // The client wrote a hop of its own to the left: the proxy's right-most entry is still its
        // real address.
        assertThat(
                        tryCode(
                                        shared,
                                        unknownCode(101),
                                        "X",
                                        "X-Forwarded-For",
                                        "203.0.113.1, 198.51.100.9")
                                .statusCode())
                .isEqualTo(429);
        // Another parent behind the same proxy is not slowed.
        assertThat(
                        tryCode(shared, unknownCode(102), "X", "X-Forwarded-For", "198.51.100.10")
                                .statusCode())
                .isEqualTo(400);
        Http parent = behindProxy.client();
        parent.get("/sign-in/code");
        assertThat(
                        tryCode(parent, "K7M4-9PQX", "Lina", "X-Forwarded-For", "198.51.100.11")
                                .statusCode())
                .isEqualTo(302);
    }

    @Test
    void without_trusted_proxies_x_forwarded_for_is_ignored() {
        Http client = app.client();
        client.get("/sign-in/code");
        for (int i = 0; i < 3; i++) {
            tryCode(client, unknownCode(i), "X", "X-Forwarded-For", "198.51.100." + (20 + i));
        }
        assertThat(
                        Sql.text(
                                app.jdbi(),
                                "select string_agg(key || '=' || failures, ',') from sign_in_throttle "
                                        + "where key like 'address:%'"))
                .isEqualTo("address:code:127.0.0.1=3");
    }
}
