package fr.sesame.booking;

import static fr.sesame.booking.Fixtures.count;
import static fr.sesame.booking.Fixtures.newSession;
import static fr.sesame.booking.Fixtures.token;
import static org.assertj.core.api.Assertions.assertThat;

import fr.sesame.support.Http;
import fr.sesame.support.SesameTest;
import fr.sesame.support.TestApp;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * Opening day: 320 signed-in parents press "book" at the same instant, on the real app with its
 * default pool (2 x cores + 1 connections), for 10 sessions of 24 seats. Each gets the real
 * outcome, booked or full, never a 5xx; every parent told "booked" holds the seat, no session is
 * oversold, and the health checks answer fast meanwhile.
 */
@SesameTest(demo = true)
class BurstTest {
    static final String FERRY = "0211234A";
    static final int PARENTS = 320;
    static final int SESSIONS = 10;
    static final int SEATS = 24;
    static TestApp app;
    static Jdbi db;

    private record Parent(Http http, long familyId, long sessionId, String token) {}

    @Test
    void three_hundred_parents_booking_at_once_each_get_their_real_outcome_and_no_server_error()
            throws Exception {
        List<Long> sessions = new ArrayList<>();
        for (int i = 0; i < SESSIONS; i++)
            sessions.add(newSession(db, FERRY, "premiers-pas", SEATS, 30 + i));
        List<Parent> parents = new ArrayList<>();
        List<String[]> families = Fixtures.addFamilies(db, "burst", PARENTS, FERRY);
        for (int i = 0; i < PARENTS; i++) {
            Http http = Fixtures.parent(app, families.get(i));
            long session = sessions.get(i % SESSIONS);
            parents.add(
                    new Parent(
                            http,
                            Fixtures.familyOf(db, families.get(i)),
                            session,
                            token(http.get("/sessions/" + session))));
        }

        Map<Long, Integer> outcome = new ConcurrentHashMap<>();
        List<String> slowHealth = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(PARENTS + 1);
        CountDownLatch go = new CountDownLatch(1);
        Future<Integer> health =
                pool.submit(
                        () -> {
                            go.await();
                            Http probe = app.client();
                            int checks = 0;
                            while (running.get()) {
                                for (String path : new String[] {"/health/live", "/health/ready"}) {
                                    long t0 = System.nanoTime();
                                    int status = probe.get(path).statusCode();
                                    long ms = (System.nanoTime() - t0) / 1_000_000;
                                    if (status != 200 || ms > 2_500)
                                        slowHealth.add(path + " " + status + " in " + ms + " ms");
                                    checks++;
                                }
                                Thread.sleep(100);
                            }
                            return checks;
                        });
        List<Future<?>> all = new ArrayList<>();
        long t0 = System.nanoTime();
        for (Parent p : parents) {
            all.add(
                    pool.submit(
                            () -> {
                                go.await();
                                HttpResponse<String> r =
                                        p.http()
                                                .postForm(
                                                        "/sessions/" + p.sessionId() + "/book",
                                                        Map.of("token", p.token()));
                                outcome.put(p.familyId(), r.statusCode());
                                return null;
                            }));
        }
        go.countDown();
        for (Future<?> f : all) f.get(120, TimeUnit.SECONDS);
        long seconds = (System.nanoTime() - t0) / 1_000_000_000;
        running.set(false);
        int checks = health.get(30, TimeUnit.SECONDS);
        pool.shutdown();

        assertThat(outcome).hasSize(PARENTS);
        assertThat(outcome.values())
                .as("answers in %d s", seconds)
                .allMatch(s -> s == 302 || s == 409);
        assertThat(slowHealth)
                .as("health checks slower than 2.5 s or failing, of %d", checks)
                .isEmpty();
        assertThat(checks).isGreaterThan(0);
        // Booked means booked: each parent answered 302 holds the seat, each answered 409 holds
        // none.
        for (Parent p : parents) {
            int active =
                    count(
                            db,
                            "select count(*) from booking where family_id = ? and session_id = ? and status = 'active'",
                            p.familyId(),
                            p.sessionId());
            assertThat(active)
                    .as("family %d answered %d", p.familyId(), outcome.get(p.familyId()))
                    .isEqualTo(outcome.get(p.familyId()) == 302 ? 1 : 0);
        }
        // 32 parents for 24 seats on each session: every seat is taken, none twice.
        for (long session : sessions) {
            assertThat(count(db, "select booked from workshop_session where id = ?", session))
                    .isEqualTo(SEATS);
            assertThat(
                            count(
                                    db,
                                    "select count(*) from booking where session_id = ? and status = 'active'",
                                    session))
                    .isEqualTo(SEATS);
        }
    }
}
