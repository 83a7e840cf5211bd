package fr.sesame.booking;

import fr.sesame.auth.Tokens;
import fr.sesame.demo.DemoSeed;
import fr.sesame.support.TestApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * The booking storm: the real app on an embedded PostgreSQL, N signed-in parents (default 2 000) booking
 * across 100 sessions over C concurrent connections (default 200), the way a browser does: GET the session
 * page (CSRF and form tokens), then POST the booking form. Then, in the same process and over the same kind of
 * data, the same booking transaction run directly over JDBC by C threads. Prints bookings per second,
 * latencies, sessions over capacity, and the ratio of the two.
 *
 * <pre>mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=fr.sesame.booking.BookingStorm
 *     [-Dexec.args="PARENTS CONCURRENCY"]</pre>
 */
public final class BookingStorm {
    private static final int SESSIONS = 100;
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private static final Pattern TOKEN = Pattern.compile("name=\"token\" value=\"([^\"]+)\"");

    private record Parent(long familyId, long guardianId, String cookie, long sessionId) {
    }

    private record Result(String name, int attempts, int booked, int refused, int errors, double seconds, long[] nanos) {
        double perSecond() {
            return booked / seconds;
        }

        double percentile(double p) {
            if (nanos.length == 0) return 0;
            return nanos[Math.min(nanos.length - 1, (int) Math.ceil(p * nanos.length) - 1)] / 1e6;
        }

        void print() {
            System.out.printf("  %-34s %5d booked, %4d full, %d errors in %.2f s: %.0f bookings/s; "
                            + "latency p50 %.1f ms, p95 %.1f ms, p99 %.1f ms%n", name, booked, refused, errors, seconds,
                    perSecond(), percentile(0.50), percentile(0.95), percentile(0.99));
        }
    }

    private BookingStorm() {
    }

    public static void main(String[] args) throws Exception {
        int parents = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        // capacity: 90% of the demand, so that some parents meet a full session
        int capacity = Math.max(1, parents * 9 / 10 / SESSIONS);
        System.out.printf("Booking storm: %d parents, %d sessions of %d seats, %d concurrent connections, %d cores%n",
                parents, SESSIONS, capacity, concurrency, Runtime.getRuntime().availableProcessors());
        try (TestApp app = TestApp.start()) {
            new DemoSeed(app.jdbi()).seed();
            Jdbi jdbi = app.jdbi();
            HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                    .executor(Executors.newFixedThreadPool(8)).connectTimeout(Duration.ofSeconds(10)).build();

            // Warm-up (JIT, pool, caches) on its own data.
            httpStorm(app, http, prepare(jdbi, "warm-h", Math.max(200, parents / 5), capacity), concurrency, "warm-up");
            jdbcStorm(app.app().database().dataSource(), prepare(jdbi, "warm-j", Math.max(200, parents / 5), capacity),
                    concurrency, "warm-up");

            Result web = httpStorm(app, http, prepare(jdbi, "http", parents, capacity), concurrency,
                    "HTTP (GET page + POST form)");
            Result direct = jdbcStorm(app.app().database().dataSource(), prepare(jdbi, "jdbc", parents, capacity),
                    concurrency, "direct JDBC, same transaction");

            int over = count(jdbi, "select count(*) from workshop_session where booked > capacity");
            int drift = count(jdbi, "select count(*) from workshop_session ws where ws.booked <> "
                    + "(select count(*) from booking b where b.session_id = ws.id and b.status = 'active')");
            System.out.println();
            web.print();
            direct.print();
            double ratio = web.perSecond() / direct.perSecond();
            System.out.printf("  sessions over capacity: %d; sessions whose counter differs from their bookings: %d%n", over, drift);
            System.out.printf("  HTTP / direct JDBC throughput: %.2f%n", ratio);
            System.out.printf("  goals: >= 500 bookings/s %s, p99 < 200 ms %s, >= half of direct JDBC %s, 0 over capacity %s%n",
                    ok(web.perSecond() >= 500), ok(web.percentile(0.99) < 200), ok(ratio >= 0.5), ok(over == 0 && drift == 0));
        }
        System.exit(0);
    }

    private static String ok(boolean met) {
        return met ? "MET" : "NOT MET";
    }

    /** Families with a guardian and a child, each signed in (a web session row, as after the letter-code page). */
    private static List<Parent> prepare(Jdbi jdbi, String prefix, int parents, int capacity) {
        List<Long> sessions = jdbi.withHandle(h -> h.createQuery("""
                insert into workshop_session (workshop_type_id, school_id, room_id, starts_at, ends_at, capacity, booking_opens_at)
                select (select id from workshop_type where code = 'premiers-pas'), r.school_id, r.id,
                       now() + make_interval(days => 3 + g), now() + make_interval(days => 3 + g, hours => 2), :capacity,
                       now() - interval '1 day'
                from generate_series(1, :n) g
                join lateral (select id, school_id from room order by id offset (g % (select count(*) from room)) limit 1) r on true
                returning id""").bind("capacity", capacity).bind("n", SESSIONS).mapTo(Long.class).list());
        List<long[]> families = jdbi.inTransaction(h -> h.createQuery("""
                with f as (
                    insert into family (reference) select :prefix || '-' || g from generate_series(1, :n) g returning id
                ), g as (
                    insert into guardian (family_id, first_name, last_name) select id, 'Parent', 'Storm' from f
                    returning id, family_id
                ), c as (
                    insert into child (family_id, school_id, first_name, last_name, class_level)
                    select id, (select min(id) from school), 'Enfant', 'Storm', 'CM1' from f
                )
                select family_id, id from g order by family_id""").bind("prefix", prefix).bind("n", parents)
                .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)}).list());
        List<Parent> list = new ArrayList<>();
        Random random = new Random(prefix.hashCode());
        jdbi.useTransaction(h -> {
            var batch = h.prepareBatch("insert into web_session (id_hash, data, principal_kind, principal_id) "
                    + "values (:hash, cast(:data as jsonb), 'parent', :guardian)");
            for (long[] f : families) {
                String cookie = Tokens.random(32);
                batch.bind("hash", Tokens.sha256(cookie)).bind("data", "{\"csrfToken\":\"" + Tokens.random(24) + "\"}")
                        .bind("guardian", f[1]).add();
                list.add(new Parent(f[0], f[1], cookie, sessions.get(random.nextInt(sessions.size()))));
            }
            batch.execute();
        });
        Collections.shuffle(list, random);
        return list;
    }

    private static Result httpStorm(TestApp app, HttpClient http, List<Parent> parents, int concurrency, String name)
            throws InterruptedException {
        ConcurrentLinkedQueue<Parent> queue = new ConcurrentLinkedQueue<>(parents);
        long[] nanos = new long[parents.size()];
        AtomicInteger index = new AtomicInteger();
        AtomicInteger booked = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        CountDownLatch done = new CountDownLatch(concurrency);
        long start = System.nanoTime();
        for (int t = 0; t < concurrency; t++) {
            pool.execute(() -> {
                try {
                    for (Parent p = queue.poll(); p != null; p = queue.poll()) {
                        try {
                            String cookie = "sesame_session=" + p.cookie();
                            HttpResponse<String> page = http.send(HttpRequest.newBuilder(
                                    URI.create(app.url("/sessions/" + p.sessionId()))).header("Cookie", cookie).GET().build(),
                                    HttpResponse.BodyHandlers.ofString());
                            Matcher csrf = CSRF.matcher(page.body());
                            Matcher token = TOKEN.matcher(page.body());
                            String form = "_csrf=" + (csrf.find() ? enc(csrf.group(1)) : "")
                                    + "&token=" + (token.find() ? enc(token.group(1)) : UUID.randomUUID());
                            long t0 = System.nanoTime();
                            HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                                    URI.create(app.url("/sessions/" + p.sessionId() + "/book")))
                                    .header("Cookie", cookie).header("Content-Type", "application/x-www-form-urlencoded")
                                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
                            nanos[index.getAndIncrement()] = System.nanoTime() - t0;
                            if (r.statusCode() == 302) booked.incrementAndGet();
                            else if (r.statusCode() == 409) refused.incrementAndGet();
                            else errors.incrementAndGet();
                        } catch (Exception e) {
                            errors.incrementAndGet();
                        }
                    }
                } finally {
                    done.countDown();
                }
            });
        }
        done.await();
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        long[] used = Arrays.copyOf(nanos, index.get());
        Arrays.sort(used);
        Result result = new Result(name, parents.size(), booked.get(), refused.get(), errors.get(), seconds, used);
        if (name.startsWith("warm")) System.out.printf("  warm-up over HTTP: %.0f bookings/s%n", result.perSecond());
        return result;
    }

    /** The booking transaction of BookingService.book, statement for statement, over plain JDBC. */
    private static Result jdbcStorm(DataSource ds, List<Parent> parents, int concurrency, String name)
            throws InterruptedException {
        ConcurrentLinkedQueue<Parent> queue = new ConcurrentLinkedQueue<>(parents);
        long[] nanos = new long[parents.size()];
        AtomicInteger index = new AtomicInteger();
        AtomicInteger booked = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        CountDownLatch done = new CountDownLatch(concurrency);
        long start = System.nanoTime();
        for (int t = 0; t < concurrency; t++) {
            pool.execute(() -> {
                try {
                    for (Parent p = queue.poll(); p != null; p = queue.poll()) {
                        long t0 = System.nanoTime();
                        try (Connection c = ds.getConnection()) {
                            boolean ok = bookOverJdbc(c, p);
                            if (ok) booked.incrementAndGet();
                            else refused.incrementAndGet();
                        } catch (SQLException e) {
                            errors.incrementAndGet();
                        }
                        nanos[index.getAndIncrement()] = System.nanoTime() - t0;
                    }
                } finally {
                    done.countDown();
                }
            });
        }
        done.await();
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        long[] used = Arrays.copyOf(nanos, index.get());
        Arrays.sort(used);
        Result result = new Result(name, parents.size(), booked.get(), refused.get(), errors.get(), seconds, used);
        if (name.startsWith("warm")) System.out.printf("  warm-up over JDBC: %.0f bookings/s%n", result.perSecond());
        return result;
    }

    private static boolean bookOverJdbc(Connection c, Parent p) throws SQLException {
        c.setAutoCommit(false);
        try {
            String token = UUID.randomUUID().toString();
            one(c, "select id from family where id = ? for update", p.familyId());
            one(c, "select id from booking where form_token = ?", token);
            one(c, "select exists (select 1 from guardian where id = ? and family_id = ?)", p.guardianId(), p.familyId());
            long type = one(c, "select workshop_type_id from workshop_session where id = ?", p.sessionId());
            one(c, "select exists (select 1 from booking where session_id = ? and family_id = ? and status = 'active')",
                    p.sessionId(), p.familyId());
            long limit = one(c, "select max_active_per_family from workshop_type where id = ?", type);
            String active = "select count(*) from booking b join workshop_session ws on ws.id = b.session_id "
                    + "where b.family_id = ? and b.status = 'active' and ws.workshop_type_id = ? and ws.ends_at > now()";
            if (one(c, active, p.familyId(), type) >= limit) return rollback(c);
            String window = "where id = ? and booked < capacity and status = 'scheduled' and starts_at > now() "
                    + "and (booking_opens_at is null or booking_opens_at <= now()) "
                    + "and starts_at - make_interval(hours => booking_closes_hours) > now()";
            if (one(c, "select count(*) from workshop_session " + window, p.sessionId()) == 0) return rollback(c);
            long booking = one(c, "insert into booking (session_id, family_id, guardian_id, form_token) values (?, ?, ?, ?) "
                    + "returning id", p.sessionId(), p.familyId(), p.guardianId(), token);
            if (one(c, active, p.familyId(), type) >= limit) {
                one(c, "with w as (update waiting_entry w set status = 'withdrawn', ended_at = now() from workshop_session ws "
                        + "where ws.id = w.session_id and w.family_id = ? and w.status = 'waiting' and ws.workshop_type_id = ? "
                        + "returning w.id) select count(*) from w", p.familyId(), type);
                one(c, active, p.familyId(), type);
            }
            one(c, "with a as (insert into audit_log (actor, action, entity, entity_id, details) values (?, 'book', 'booking', ?, "
                    + "cast(? as jsonb)) returning id) select count(*) from a", "guardian:" + p.guardianId(), booking,
                    "{\"session\":" + p.sessionId() + "}");
            if (one(c, "with s as (update workshop_session set booked = booked + 1, updated_at = now() " + window
                    + " returning id) select count(*) from s", p.sessionId()) == 0) {
                return rollback(c);
            }
            c.commit();
            return true;
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    private static boolean rollback(Connection c) throws SQLException {
        c.rollback();
        return false;
    }

    /** Runs a statement and returns the first column of its first row as a number (0 when no row or not a number). */
    private static long one(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) st.setObject(i + 1, args[i]);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) return 0;
                Object v = rs.getObject(1);
                if (v instanceof Number n) return n.longValue();
                if (v instanceof Boolean b) return b ? 1 : 0;
                return 0;
            }
        }
    }

    private static int count(Jdbi jdbi, String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Integer.class).one());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
