package fr.sesame.booking;

import fr.sesame.auth.Tokens;
import fr.sesame.demo.DemoSeed;
import fr.sesame.support.TestApp;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

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

    private record Result(String name, int attempts, int booked, int refused, int errors, double seconds, long[] nanos,
                          Cpu cpu) {
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
            System.out.printf("  %-34s CPU per attempt: web server threads %.2f ms, whole JVM (with the simulated "
                            + "parents and the JIT) %.2f ms, PostgreSQL %.2f ms%n", "",
                    cpu.serverMillis() / attempts, cpu.jvmMillis() / attempts, cpu.postgresMillis() / attempts);
        }
    }

    /**
     * CPU time spent during a run, in ms: by this JVM as a whole (the app, the simulated parents and the JIT
     * compiler), by the web server's threads alone, and by the PostgreSQL server. Less sensitive than throughput to
     * other work on the machine.
     */
    private record Cpu(double jvmMillis, double serverMillis, double postgresMillis) {
        static long postmaster;

        static Cpu now() {
            var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            var threads = java.lang.management.ManagementFactory.getThreadMXBean();
            long server = 0;
            for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
                if (info != null && info.getThreadName().startsWith("JettyServerThreadPool")) {
                    server += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
                }
            }
            double postgres = ProcessHandle.of(postmaster).stream()
                    .flatMap(p -> java.util.stream.Stream.concat(java.util.stream.Stream.of(p), p.descendants()))
                    .mapToDouble(Cpu::ticksOf).sum() * 10.0;
            return new Cpu(os.getProcessCpuTime() / 1e6, server / 1e6, postgres);
        }

        Cpu since(Cpu before) {
            return new Cpu(jvmMillis - before.jvmMillis, serverMillis - before.serverMillis,
                    postgresMillis - before.postgresMillis);
        }

        /** utime + stime of a process in clock ticks (1/100 s), from /proc; 0 where there is no /proc. */
        private static double ticksOf(ProcessHandle process) {
            try {
                String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + process.pid() + "/stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            } catch (java.io.IOException | RuntimeException e) {
                return 0;
            }
        }
    }

    private BookingStorm() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("http.maxConnections", "1000");
        int parents = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        // capacity: 90% of the demand, so that some parents meet a full session
        int capacity = Math.max(1, parents * 9 / 10 / SESSIONS);
        System.out.printf("Booking storm: %d parents, %d sessions of %d seats, %d concurrent connections, %d cores%n",
                parents, SESSIONS, capacity, concurrency, Runtime.getRuntime().availableProcessors());
        try (TestApp app = TestApp.start()) {
            new DemoSeed(app.jdbi()).seed();
            Jdbi jdbi = app.jdbi();
            Cpu.postmaster = postmasterPid(jdbi);
            // Warm-up as long as the run, on its own data: on two cores the JIT compiler otherwise takes as much CPU
            // as the app during the measure.
            httpStorm(app, prepare(jdbi, "warm-h", parents, capacity), concurrency, "warm-up");
            jdbcStorm(app.app().database().dataSource(), prepare(jdbi, "warm-j", parents, capacity), concurrency, "warm-up");

            Result web = httpStorm(app, prepare(jdbi, "http", parents, capacity), concurrency,
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

    /** Every parent as a browser: the session's page, then its form with the CSRF token; only the form is timed. */
    private static Result httpStorm(TestApp app, List<Parent> parents, int concurrency, String name)
            throws InterruptedException {
        return storm(parents, concurrency, name, "HTTP", p -> {
            String cookie = "sesame_session=" + p.cookie();
            Page page = send(app.url("/sessions/" + p.sessionId()), cookie, null);
            Matcher csrf = CSRF.matcher(page.body());
            Matcher token = TOKEN.matcher(page.body());
            String form = "_csrf=" + (csrf.find() ? enc(csrf.group(1)) : "")
                    + "&token=" + (token.find() ? enc(token.group(1)) : UUID.randomUUID());
            long t0 = System.nanoTime();
            Page r = send(app.url("/sessions/" + p.sessionId() + "/book"), cookie, form);
            Outcome outcome = r.status() == 302 ? Outcome.BOOKED : r.status() == 409 ? Outcome.FULL : Outcome.ERROR;
            return new Attempt(outcome, System.nanoTime() - t0);
        });
    }

    /** Every parent's booking transaction over plain JDBC, timed from asking the pool for a connection. */
    private static Result jdbcStorm(DataSource ds, List<Parent> parents, int concurrency, String name)
            throws InterruptedException {
        return storm(parents, concurrency, name, "JDBC", p -> {
            long t0 = System.nanoTime();
            try (Connection c = ds.getConnection()) {
                return new Attempt(bookOverJdbc(c, p) ? Outcome.BOOKED : Outcome.FULL, System.nanoTime() - t0);
            } catch (SQLException e) {
                return new Attempt(Outcome.ERROR, System.nanoTime() - t0);
            }
        });
    }

    private enum Outcome { BOOKED, FULL, ERROR }

    private record Attempt(Outcome outcome, long nanos) {
    }

    private interface Booking {
        Attempt attempt(Parent parent) throws Exception;
    }

    /** Runs the parents' bookings on {@code concurrency} threads, each taking the next parent as soon as it is done. */
    private static Result storm(List<Parent> parents, int concurrency, String name, String over, Booking booking)
            throws InterruptedException {
        ConcurrentLinkedQueue<Parent> queue = new ConcurrentLinkedQueue<>(parents);
        long[] nanos = new long[parents.size()];
        AtomicInteger index = new AtomicInteger();
        java.util.concurrent.atomic.AtomicIntegerArray counts = new java.util.concurrent.atomic.AtomicIntegerArray(
                Outcome.values().length);
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        CountDownLatch done = new CountDownLatch(concurrency);
        Cpu cpuBefore = Cpu.now();
        long start = System.nanoTime();
        for (int t = 0; t < concurrency; t++) {
            pool.execute(() -> {
                try {
                    for (Parent p = queue.poll(); p != null; p = queue.poll()) {
                        Attempt attempt;
                        try {
                            attempt = booking.attempt(p);
                        } catch (Exception e) {
                            attempt = new Attempt(Outcome.ERROR, -1);
                        }
                        counts.incrementAndGet(attempt.outcome().ordinal());
                        if (attempt.nanos() >= 0) nanos[index.getAndIncrement()] = attempt.nanos();
                    }
                } finally {
                    done.countDown();
                }
            });
        }
        done.await();
        double seconds = (System.nanoTime() - start) / 1e9;
        Cpu cpu = Cpu.now().since(cpuBefore);
        pool.shutdown();
        long[] used = Arrays.copyOf(nanos, index.get());
        Arrays.sort(used);
        Result result = new Result(name, parents.size(), counts.get(Outcome.BOOKED.ordinal()),
                counts.get(Outcome.FULL.ordinal()), counts.get(Outcome.ERROR.ordinal()), seconds, used, cpu);
        if (name.startsWith("warm")) System.out.printf("  warm-up over %s: %.0f bookings/s%n", over, result.perSecond());
        return result;
    }

    private record Page(int status, String body) {
    }

    /**
     * One request as a browser makes it: a GET, or a POST of a form; the connection is kept alive for the next one
     * (the JDK keeps up to http.maxConnections idle connections per server, set in main).
     */
    private static Page send(String url, String cookie, String form) throws java.io.IOException {
        java.net.HttpURLConnection c = (java.net.HttpURLConnection) URI.create(url).toURL().openConnection();
        c.setInstanceFollowRedirects(false);
        c.setRequestProperty("Cookie", cookie);
        if (form != null) {
            c.setRequestMethod("POST");
            c.setDoOutput(true);
            c.setRequestProperty("Content-Type", "application/x-www-form-urlencoded");
            try (var out = c.getOutputStream()) {
                out.write(form.getBytes(StandardCharsets.UTF_8));
            }
        }
        int status = c.getResponseCode();
        try (var in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
            return new Page(status, in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /**
     * The statements of BookingService.book, in its order, taken from the DAOs' own annotations: the same SQL text,
     * run over plain JDBC. Only the invitation text is fixed here instead of being composed for each booking.
     */
    private static final DaoSql LOCK_FAMILY = DaoSql.of(fr.sesame.db.LockDao.class, "lockFamily");
    private static final DaoSql CHECK = DaoSql.of(BookingDao.class, "check");
    private static final DaoSql INSERT_BOOKING = DaoSql.of(BookingDao.class, "insertBooking");
    private static final DaoSql LEAVE_WAITING_LISTS = DaoSql.of(BookingDao.class, "leaveWaitingLists");
    private static final DaoSql AUDIT = DaoSql.of(BookingDao.class, "audit");
    private static final DaoSql INVITATION_BOOKING = DaoSql.of(fr.sesame.calendar.CalendarDao.class, "booking");
    private static final DaoSql INSERT_INVITATION = DaoSql.of(fr.sesame.calendar.CalendarDao.class, "insertInvitation");
    private static final DaoSql ENQUEUE = DaoSql.of(fr.sesame.calendar.CalendarDao.class, "enqueue");
    private static final DaoSql TAKE_SEAT = DaoSql.of(BookingDao.class, "takeSeat");
    private static final String INVITATION_TEXT = "BEGIN:VCALENDAR\r\n" + "X-FILLER:invitation\r\n".repeat(60) + "END:VCALENDAR\r\n";

    private static boolean bookOverJdbc(Connection c, Parent p) throws SQLException {
        c.setAutoCommit(false);
        try {
            String token = UUID.randomUUID().toString();
            LOCK_FAMILY.query(c, Map.of("id", p.familyId()));
            Map<String, Object> check = CHECK.query(c, Map.of("family", p.familyId(), "guardian", p.guardianId(),
                    "session", p.sessionId(), "token", token, "staff", false));
            long type = ((Number) check.get("workshop_type_id")).longValue();
            long limit = ((Number) check.get("max_active_per_family")).longValue();
            long active = ((Number) check.get("active_of_type")).longValue();
            if (Boolean.TRUE.equals(check.get("already_booked")) || active >= limit
                    || !Boolean.TRUE.equals(check.get("seat_likely"))) {
                return rollback(c);
            }
            Map<String, Object> args = new HashMap<>();
            args.put("session", p.sessionId());
            args.put("family", p.familyId());
            args.put("guardian", p.guardianId());
            args.put("token", token);
            args.put("staff", null);
            long booking = INSERT_BOOKING.insert(c, args);
            LEAVE_WAITING_LISTS.update(c, Map.of("family", p.familyId(), "session", p.sessionId(), "type", type,
                    "limitReached", active + 1 >= limit));
            AUDIT.update(c, Map.of("actor", "guardian:" + p.guardianId(), "action", "book", "entity", "booking",
                    "entityId", booking, "details", "{\"session\":" + p.sessionId() + "}"));
            Map<String, Object> row = INVITATION_BOOKING.query(c, Map.of("id", booking));
            UUID uid = (UUID) row.get("calendar_uid");
            INSERT_INVITATION.update(c, Map.of("booking", booking, "uid", uid, "sequence", 0));
            Map<String, Object> mail = new HashMap<>();
            mail.put("key", "invitation:" + uid + ":0:REQUEST");
            mail.put("booking", booking);
            mail.put("guardian", p.guardianId());
            mail.put("recipient", null);
            mail.put("language", "fr");
            mail.put("kind", "confirmed");
            mail.put("subject", "Inscription confirmée");
            mail.put("body", "Votre inscription est confirmée.");
            mail.put("ics", INVITATION_TEXT);
            mail.put("method", "REQUEST");
            ENQUEUE.update(c, mail);
            if (TAKE_SEAT.query(c, Map.of("id", p.sessionId(), "staff", false)) == null) return rollback(c);
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

    /** A DAO method's SQL with its :named parameters turned into JDBC's positional ones. */
    private record DaoSql(String sql, List<String> names) {
        private static final Pattern NAMED = Pattern.compile("(?<!:):([A-Za-z][A-Za-z0-9]*)");

        static DaoSql of(Class<?> dao, String method) {
            java.lang.reflect.Method m = Arrays.stream(dao.getMethods()).filter(x -> x.getName().equals(method))
                    .findFirst().orElseThrow();
            SqlQuery query = m.getAnnotation(SqlQuery.class);
            String text = query != null ? query.value() : m.getAnnotation(SqlUpdate.class).value();
            List<String> names = new ArrayList<>();
            Matcher matcher = NAMED.matcher(text);
            StringBuilder sql = new StringBuilder();
            while (matcher.find()) {
                names.add(matcher.group(1));
                matcher.appendReplacement(sql, "?");
            }
            matcher.appendTail(sql);
            return new DaoSql(sql.toString(), names);
        }

        private PreparedStatement bind(PreparedStatement st, Map<String, Object> args) throws SQLException {
            for (int i = 0; i < names.size(); i++) {
                if (!args.containsKey(names.get(i))) throw new IllegalArgumentException("no value for :" + names.get(i));
                st.setObject(i + 1, args.get(names.get(i)));
            }
            return st;
        }

        /** The first row as column name to value, or null when there is none. */
        Map<String, Object> query(Connection c, Map<String, Object> args) throws SQLException {
            try (PreparedStatement st = bind(c.prepareStatement(sql), args); ResultSet rs = st.executeQuery()) {
                if (!rs.next()) return null;
                Map<String, Object> row = new HashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                return row;
            }
        }

        int update(Connection c, Map<String, Object> args) throws SQLException {
            try (PreparedStatement st = bind(c.prepareStatement(sql), args)) {
                return st.executeUpdate();
            }
        }

        long insert(Connection c, Map<String, Object> args) throws SQLException {
            try (PreparedStatement st = bind(c.prepareStatement(sql, new String[] {"id"}), args)) {
                st.executeUpdate();
                try (ResultSet keys = st.getGeneratedKeys()) {
                    keys.next();
                    return keys.getLong(1);
                }
            }
        }
    }

    /** The pid of the PostgreSQL server, from postmaster.pid in its data directory (0 when it cannot be read). */
    private static long postmasterPid(Jdbi jdbi) {
        try {
            String dir = jdbi.withHandle(h -> h.createQuery("show data_directory").mapTo(String.class).one());
            return Long.parseLong(java.nio.file.Files.readAllLines(java.nio.file.Path.of(dir, "postmaster.pid")).get(0).trim());
        } catch (Exception e) {
            return 0;
        }
    }

    private static int count(Jdbi jdbi, String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Integer.class).one());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
