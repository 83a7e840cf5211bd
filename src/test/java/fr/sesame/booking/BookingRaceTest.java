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
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * 120 parents race over HTTP for the last 20 seats of a session and join its waiting list when they
 * lose, while 20 families move their booking onto it from another date, 5 booked families cancel
 * and 5 move away. The database must then show no session over capacity, counters equal to the
 * active bookings, no family booked twice, no booking lost, and a waiting list promoted in order.
 */
@SesameTest(demo = true)
class BookingRaceTest {
    static final String FERRY = "0211234A";
    static TestApp app;
    static Jdbi db;

    private record Racer(Http http, long familyId, String token) {}

    private static long activeBooking(long familyId) {
        return db.withHandle(
                h ->
                        h.createQuery(
                                        "select id from booking where family_id = ? and status = 'active'")
                                .bind(0, familyId)
                                .mapTo(Long.class)
                                .one());
    }

    @Test
    void
            a_hundred_parents_racing_for_the_last_seats_never_overbook_and_the_waiting_list_is_promoted_in_order()
                    throws Exception {
        long target = newSession(db, FERRY, "premiers-pas", 30, 10);
        long elsewhere = newSession(db, FERRY, "premiers-pas", 40, 11);
        long away = newSession(db, FERRY, "premiers-pas", 40, 12);

        // 10 families already hold seats on the target; 20 hold seats elsewhere.
        List<Racer> holders = signIn("holder", 10, target);
        List<Racer> movers = signIn("mover", 20, elsewhere);
        for (Racer r : holders)
            assertThat(Fixtures.book(r.http(), target).statusCode()).isEqualTo(302);
        for (Racer r : movers)
            assertThat(Fixtures.book(r.http(), elsewhere).statusCode()).isEqualTo(302);
        List<Racer> racers = signIn("racer", 120, target);
        List<String> moveTokens = new ArrayList<>();
        for (Racer r : movers)
            moveTokens.add(
                    token(r.http().get("/bookings/" + activeBooking(r.familyId()) + "/move")));
        List<String> awayTokens = new ArrayList<>();
        for (int i = 5; i < 10; i++) {
            awayTokens.add(
                    token(
                            holders.get(i)
                                    .http()
                                    .get(
                                            "/bookings/"
                                                    + activeBooking(holders.get(i).familyId())
                                                    + "/move")));
        }

        Map<Long, Integer> bookOutcome = new ConcurrentHashMap<>();
        List<Long> moversIn = Collections.synchronizedList(new ArrayList<>());
        List<String> unexpected = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(48);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> all = new ArrayList<>();
        for (Racer r : racers) {
            all.add(
                    pool.submit(
                            () -> {
                                go.await();
                                HttpResponse<String> b =
                                        retried(
                                                () ->
                                                        r.http()
                                                                .postForm(
                                                                        "/sessions/"
                                                                                + target
                                                                                + "/book",
                                                                        Map.of(
                                                                                "token",
                                                                                r.token())));
                                bookOutcome.put(r.familyId(), b.statusCode());
                                if (b.statusCode() == 409) {
                                    HttpResponse<String> w =
                                            retried(
                                                    () ->
                                                            r.http()
                                                                    .postForm(
                                                                            "/sessions/"
                                                                                    + target
                                                                                    + "/wait",
                                                                            Map.of()));
                                    // a seat may have freed meanwhile: then the answer is "book
                                    // instead", and the parent books
                                    if (w.statusCode() == 409) {
                                        String token = java.util.UUID.randomUUID().toString();
                                        HttpResponse<String> again =
                                                retried(
                                                        () ->
                                                                r.http()
                                                                        .postForm(
                                                                                "/sessions/"
                                                                                        + target
                                                                                        + "/book",
                                                                                Map.of(
                                                                                        "token",
                                                                                        token)));
                                        if (again.statusCode() == 302)
                                            bookOutcome.put(r.familyId(), 302);
                                    } else if (w.statusCode() != 302) {
                                        unexpected.add("wait " + w.statusCode());
                                    }
                                } else if (b.statusCode() != 302) {
                                    unexpected.add("book " + b.statusCode());
                                }
                                return null;
                            }));
        }
        for (int i = 0; i < movers.size(); i++) {
            Racer r = movers.get(i);
            String token = moveTokens.get(i);
            all.add(
                    pool.submit(
                            () -> {
                                go.await();
                                long booking = activeBooking(r.familyId());
                                HttpResponse<String> m =
                                        retried(
                                                () ->
                                                        r.http()
                                                                .postForm(
                                                                        "/bookings/"
                                                                                + booking
                                                                                + "/move",
                                                                        Map.of(
                                                                                "to",
                                                                                String.valueOf(
                                                                                        target),
                                                                                "token",
                                                                                token)));
                                if (m.statusCode() == 302) moversIn.add(r.familyId());
                                else if (m.statusCode() != 409)
                                    unexpected.add("move " + m.statusCode());
                                return null;
                            }));
        }
        for (int i = 0; i < 5; i++) {
            Racer r = holders.get(i);
            all.add(
                    pool.submit(
                            () -> {
                                go.await();
                                long booking = activeBooking(r.familyId());
                                HttpResponse<String> c =
                                        retried(
                                                () ->
                                                        r.http()
                                                                .postForm(
                                                                        "/bookings/"
                                                                                + booking
                                                                                + "/cancel",
                                                                        Map.of()));
                                if (c.statusCode() != 302)
                                    unexpected.add("cancel " + c.statusCode());
                                return null;
                            }));
        }
        for (int i = 5; i < 10; i++) {
            Racer r = holders.get(i);
            String token = awayTokens.get(i - 5);
            all.add(
                    pool.submit(
                            () -> {
                                go.await();
                                long booking = activeBooking(r.familyId());
                                HttpResponse<String> m =
                                        retried(
                                                () ->
                                                        r.http()
                                                                .postForm(
                                                                        "/bookings/"
                                                                                + booking
                                                                                + "/move",
                                                                        Map.of(
                                                                                "to",
                                                                                String.valueOf(
                                                                                        away),
                                                                                "token",
                                                                                token)));
                                if (m.statusCode() != 302)
                                    unexpected.add("move away " + m.statusCode());
                                return null;
                            }));
        }
        go.countDown();
        for (Future<?> f : all) f.get(120, TimeUnit.SECONDS);
        pool.shutdown();
        assertThat(unexpected).isEmpty();

        // Nothing over capacity; every counter equals its active bookings.
        assertThat(count(db, "select count(*) from workshop_session where booked > capacity"))
                .isZero();
        assertThat(
                        count(
                                db,
                                """
                select count(*) from workshop_session ws
                where ws.booked <> (select count(*) from booking b where b.session_id = ws.id and b.status = 'active')"""))
                .isZero();
        // No family booked twice for the workshop, no family both booked and waiting.
        assertThat(
                        count(
                                db,
                                """
                select count(*) from (select b.family_id from booking b join workshop_session ws on ws.id = b.session_id
                where b.status = 'active' group by b.family_id, ws.workshop_type_id having count(*) > 1) twice"""))
                .isZero();
        assertThat(
                        count(
                                db,
                                """
                select count(*) from waiting_entry w join booking b on b.family_id = w.family_id and b.status = 'active'
                where w.status = 'waiting'"""))
                .isZero();
        // No booking lost: every parent told "booked" holds a seat on the target, every mover told
        // "moved" too.
        List<Long> told =
                bookOutcome.entrySet().stream()
                        .filter(e -> e.getValue() == 302)
                        .map(Map.Entry::getKey)
                        .toList();
        for (long family : told) {
            assertThat(
                            count(
                                    db,
                                    "select count(*) from booking where family_id = ? and session_id = ? and status = 'active'",
                                    family,
                                    target))
                    .as("family " + family)
                    .isEqualTo(1);
        }
        for (long family : moversIn) {
            assertThat(
                            count(
                                    db,
                                    "select count(*) from booking where family_id = ? and session_id = ? and status = 'active'",
                                    family,
                                    target))
                    .isEqualTo(1);
        }
        int promoted =
                count(
                        db,
                        "select count(*) from waiting_entry where session_id = ? and status = 'promoted'",
                        target);
        int holdersLeft =
                count(
                        db,
                        "select count(*) from booking b join family f on f.id = b.family_id "
                                + "where b.session_id = ? and b.status = 'active' and f.reference like 'holder-%'",
                        target);
        assertThat(holdersLeft).isZero();
        assertThat(told.size() + moversIn.size() + promoted).isEqualTo(30);
        assertThat(count(db, "select booked from workshop_session where id = ?", target))
                .isEqualTo(30);
        // The list is served in order: everyone promoted joined before everyone still waiting.
        int waiting =
                count(
                        db,
                        "select count(*) from waiting_entry where session_id = ? and status = 'waiting'",
                        target);
        assertThat(waiting).isGreaterThan(50);
        assertThat(
                        count(
                                db,
                                """
                select count(*) from waiting_entry p, waiting_entry w
                where p.session_id = ? and w.session_id = p.session_id and p.status = 'promoted' and w.status = 'waiting'
                  and p.id > w.id""",
                                target))
                .isZero();
        // Every seat given is in the audit log, with its promotions told to the parents.
        assertThat(
                        count(
                                db,
                                "select count(*) from calendar_outbox o join booking b on b.id = o.booking_id where o.kind = 'confirmed' and b.session_id = ? and b.booked_by_staff is null and b.form_token is null",
                                target))
                .isEqualTo(promoted);
        assertThat(
                        count(
                                db,
                                "select count(*) from audit_log where action = 'book' and details->>'session' = ?",
                                String.valueOf(target)))
                .isEqualTo(10 + told.size());
    }

    /**
     * Sends again, as a parent presses again, while the server answers 503 (no database connection
     * came in time on this shared 2-core machine); every form here is safe to send twice.
     */
    private static HttpResponse<String> retried(
            java.util.function.Supplier<HttpResponse<String>> send) throws InterruptedException {
        HttpResponse<String> r = send.get();
        for (int attempt = 0; attempt < 20 && r.statusCode() == 503; attempt++) {
            Thread.sleep(250);
            r = send.get();
        }
        return r;
    }

    private static List<Racer> signIn(String prefix, int n, long sessionForToken) {
        List<String[]> families = Fixtures.addFamilies(db, prefix, n, FERRY);
        List<Racer> racers = new ArrayList<>();
        for (String[] f : families) {
            Http http = Fixtures.parent(app, f);
            String token = token(http.get("/sessions/" + sessionForToken));
            racers.add(new Racer(http, Fixtures.familyOf(db, f), token));
        }
        return racers;
    }
}
