package fr.sesame.booking;

import static fr.sesame.booking.Fixtures.count;
import static fr.sesame.booking.Fixtures.newSession;
import static fr.sesame.booking.Fixtures.token;
import static org.assertj.core.api.Assertions.assertThat;

import fr.sesame.support.Http;
import fr.sesame.support.SesameTest;
import fr.sesame.support.SignIn;
import fr.sesame.support.TestApp;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * The education service cancels a day's sessions while the parents booked on them cancel, move to
 * another of those sessions or to a spare one, and families on their waiting lists leave them:
 * every path that locks a family, its bookings and a session at once, over HTTP, many rounds.
 * PostgreSQL must never have to break a deadlock, nobody gets a 5xx, every session the admin
 * cancelled is cancelled, and no session is oversold.
 */
@SesameTest(demo = true)
class LockOrderTest {
    static final String FERRY = "0211234A";
    static final int ROUNDS = 4;
    static final int SESSIONS = 6;
    static final int BOOKED = 8;
    static final int WAITING = 3;
    static TestApp app;
    static Jdbi db;

    private record Parent(Http http, long familyId, long bookingId, String moveToken) {}

    @Test
    void an_admin_cancelling_sessions_while_their_parents_cancel_and_move_meets_no_deadlock()
            throws Exception {
        long deadlocksBefore = deadlocks();
        long spare = newSession(db, FERRY, "premiers-pas", 1000, 40);
        Http admin = SignIn.admin(app);
        List<String> errors = Collections.synchronizedList(new ArrayList<>());
        List<Long> cancelled = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(40);
        for (int round = 0; round < ROUNDS; round++) {
            // Even sessions are full with a waiting list (a cancel promotes), odd ones have seats
            // left (a move lands).
            List<Long> sessions = new ArrayList<>();
            for (int i = 0; i < SESSIONS; i++) {
                sessions.add(
                        newSession(
                                db,
                                FERRY,
                                "premiers-pas",
                                i % 2 == 0 ? BOOKED : BOOKED + 4,
                                20 + round));
            }
            List<List<Parent>> booked = new ArrayList<>();
            List<Http> waiters = new ArrayList<>();
            for (int i = 0; i < SESSIONS; i++) {
                long session = sessions.get(i);
                List<Parent> parents = new ArrayList<>();
                for (String[] f : Fixtures.addFamilies(db, "r" + round + "s" + i, BOOKED, FERRY)) {
                    Http http = Fixtures.parent(app, f);
                    assertThat(Fixtures.book(http, session).statusCode()).isEqualTo(302);
                    long family = Fixtures.familyOf(db, f);
                    long booking =
                            count(
                                    db,
                                    "select id from booking where family_id = ? and status = 'active'",
                                    family);
                    parents.add(
                            new Parent(
                                    http,
                                    family,
                                    booking,
                                    token(http.get("/bookings/" + booking + "/move"))));
                }
                booked.add(parents);
                if (i % 2 == 0) {
                    for (String[] f :
                            Fixtures.addFamilies(db, "w" + round + "s" + i, WAITING, FERRY)) {
                        Http http = Fixtures.parent(app, f);
                        http.get("/sessions/" + session);
                        assertThat(
                                        http.postForm("/sessions/" + session + "/wait", Map.of())
                                                .statusCode())
                                .isEqualTo(302);
                        http.get("/me");
                        waiters.add(http);
                    }
                }
            }
            admin.get("/admin/sessions");

            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < SESSIONS; i++) {
                long next = sessions.get((i + 1) % SESSIONS);
                List<Parent> parents = booked.get(i);
                for (int p = 0; p < parents.size(); p++) {
                    Parent parent = parents.get(p);
                    int kind = p % 3;
                    all.add(
                            pool.submit(
                                    () -> {
                                        go.await();
                                        HttpResponse<String> r =
                                                switch (kind) {
                                                    case 0 ->
                                                            parent.http()
                                                                    .postForm(
                                                                            "/bookings/"
                                                                                    + parent
                                                                                            .bookingId()
                                                                                    + "/cancel",
                                                                            Map.of());
                                                    case 1 ->
                                                            parent.http()
                                                                    .postForm(
                                                                            "/bookings/"
                                                                                    + parent
                                                                                            .bookingId()
                                                                                    + "/move",
                                                                            Map.of(
                                                                                    "to",
                                                                                    String.valueOf(
                                                                                            next),
                                                                                    "token",
                                                                                    parent
                                                                                            .moveToken()));
                                                    default ->
                                                            parent.http()
                                                                    .postForm(
                                                                            "/bookings/"
                                                                                    + parent
                                                                                            .bookingId()
                                                                                    + "/move",
                                                                            Map.of(
                                                                                    "to",
                                                                                    String.valueOf(
                                                                                            spare),
                                                                                    "token",
                                                                                    parent
                                                                                            .moveToken()));
                                                };
                                        if (r.statusCode() >= 500)
                                            errors.add(
                                                    (kind == 0 ? "cancel " : "move ")
                                                            + r.statusCode());
                                        return null;
                                    }));
                }
            }
            for (Http waiter : waiters) {
                all.add(
                        pool.submit(
                                () -> {
                                    go.await();
                                    HttpResponse<String> me = waiter.get("/me");
                                    java.util.regex.Matcher m =
                                            java.util.regex.Pattern.compile("/waiting/(\\d+)/leave")
                                                    .matcher(me.body());
                                    if (m.find()) {
                                        HttpResponse<String> r =
                                                waiter.postForm(
                                                        "/waiting/" + m.group(1) + "/leave",
                                                        Map.of());
                                        if (r.statusCode() >= 500)
                                            errors.add("leave " + r.statusCode());
                                    }
                                    return null;
                                }));
            }
            for (long session : sessions) {
                all.add(
                        pool.submit(
                                () -> {
                                    go.await();
                                    HttpResponse<String> r =
                                            admin.postForm(
                                                    "/admin/sessions/" + session + "/cancel",
                                                    Map.of());
                                    if (r.statusCode() != 302)
                                        errors.add("admin cancel " + r.statusCode());
                                    return null;
                                }));
            }
            go.countDown();
            for (Future<?> f : all) f.get(120, TimeUnit.SECONDS);
            cancelled.addAll(sessions);
        }
        pool.shutdown();

        long deadlocks = deadlocks() - deadlocksBefore;
        assertThat(errors).as("5xx answers (deadlocks meanwhile: %d)", deadlocks).isEmpty();
        assertThat(deadlocks).as("deadlocks PostgreSQL broke").isZero();
        for (long session : cancelled) {
            assertThat(
                            count(
                                    db,
                                    "select count(*) from workshop_session where id = ? and status = 'cancelled'",
                                    session))
                    .as("session " + session + " cancelled")
                    .isEqualTo(1);
            assertThat(
                            count(
                                    db,
                                    "select count(*) from booking where session_id = ? and status = 'active'",
                                    session))
                    .isZero();
        }
        assertThat(count(db, "select count(*) from workshop_session where booked > capacity"))
                .isZero();
        assertThat(
                        count(
                                db,
                                """
                select count(*) from workshop_session ws
                where ws.booked <> (select count(*) from booking b where b.session_id = ws.id and b.status = 'active')"""))
                .isZero();
        assertThat(
                        count(
                                db,
                                """
                select count(*) from (select b.family_id from booking b join workshop_session ws on ws.id = b.session_id
                where b.status = 'active' group by b.family_id, ws.workshop_type_id having count(*) > 1) twice"""))
                .isZero();
    }

    /**
     * Deadlocks PostgreSQL detected in this database; its statistics reach the view within a second
     * or so.
     */
    private static long deadlocks() throws InterruptedException {
        Thread.sleep(1500);
        return db.withHandle(
                h ->
                        h.createQuery(
                                        "select deadlocks from pg_stat_database where datname = current_database()")
                                .mapTo(Long.class)
                                .one());
    }
}
