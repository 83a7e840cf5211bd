package fr.sesame.attendance;

import fr.sesame.support.Http;
import fr.sesame.support.SignIn;
import fr.sesame.support.Sql;
import fr.sesame.support.TestApp;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * 50 tablets marking a 30-guardian roster each, all at once, over HTTP against the real app and
 * PostgreSQL. Every mark is "present" at a qualifying session, so each one also unlocks its
 * family's device in the same transaction. Prints marks per second and the latency percentiles of a
 * mark (request to answer).
 *
 * <pre>mvn -q -B test-compile org.codehaus.mojo:exec-maven-plugin:3.5.0:java \
 *     -Dexec.mainClass=fr.sesame.attendance.MarkBenchmark -Dexec.classpathScope=test</pre>
 *
 * Arguments (optional): tablets, guardians per roster.
 */
public final class MarkBenchmark {
    private MarkBenchmark() {}

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable e) {
            e.printStackTrace(System.out);
            System.exit(1);
        }
        System.exit(0);
    }

    private static void run(String[] args) throws Exception {
        int tablets = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int perRoster = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        try (TestApp app = SignIn.demoApp()) {
            List<Long> sessions = new ArrayList<>();
            List<List<Long>> rosters = new ArrayList<>();
            for (int t = 0; t < tablets; t++) {
                long session = AttendanceFixture.session(app.jdbi(), true, false);
                sessions.add(session);
                rosters.add(newFamilies(app, session, t, perRoster));
            }
            System.out.printf(
                    "Seeded %d sessions of %d booked guardians, each family with a device at school.%n",
                    tablets, perRoster);
            List<Http> clients = new ArrayList<>();
            for (int t = 0; t < tablets; t++) {
                Http client = SignIn.trainer(app);
                AttendanceFixture.open(client, sessions.get(t));
                clients.add(client);
            }
            // Warm-up: a whole burst on rosters of their own, unreported, so that the JIT compiler
            // (which otherwise
            // takes as much of the two cores as the app) and the pool are settled before anything
            // is measured.
            List<Long> warmSessions = new ArrayList<>();
            List<List<Long>> warmRosters = new ArrayList<>();
            for (int t = 0; t < tablets; t++) {
                long session = AttendanceFixture.session(app.jdbi(), true, false);
                warmSessions.add(session);
                warmRosters.add(newFamilies(app, session, 200 + t, perRoster));
                AttendanceFixture.open(clients.get(t), session);
            }
            Round warmUp = run(clients, warmSessions, warmRosters, 0);
            System.out.printf(
                    "Warm-up: %d marks at %.0f marks/s%n",
                    warmUp.nanos().size(), warmUp.nanos().size() / warmUp.seconds());
            for (int t = 0; t < tablets; t++)
                AttendanceFixture.open(clients.get(t), sessions.get(t));

            report("Burst, every tablet as fast as it can", run(clients, sessions, rosters, 0));
            // A second round at a trainer's pace: every tablet taps once a second, all of them
            // during the same 30 s,
            // each from its own moment in the first second.
            for (int t = 0; t < tablets; t++) {
                long session = AttendanceFixture.session(app.jdbi(), true, false);
                sessions.set(t, session);
                rosters.set(t, newFamilies(app, session, 100 + t, perRoster));
                AttendanceFixture.open(clients.get(t), session);
            }
            report("Paced, one tap per second per tablet", run(clients, sessions, rosters, 1000));
            int attended =
                    Sql.count(app.jdbi(), "select count(*) from attendance where mark = 'present'");
            int unlocked =
                    Sql.count(
                            app.jdbi(),
                            "select count(*) from device d join child c on c.id = d.child_id "
                                    + "join family f on f.id = c.family_id where f.reference like 'BENCH-%' and d.state = 'home_use'");
            System.out.printf(
                    "Check: %d present marks, %d benchmark devices unlocked (expected %d each)%n",
                    attended, unlocked, 3 * tablets * perRoster);
        }
    }

    /**
     * The latencies of one round (sorted, in nanoseconds), how long it took, and how many tablets
     * took part.
     */
    private record Round(List<Long> nanos, double seconds, int tablets) {}

    private static void report(String title, Round round) {
        List<Long> all = round.nanos();
        double seconds = round.seconds();
        int marks = all.size();
        System.out.printf(
                "%s: %d marks by %d tablets on %d cores (pool of %d connections)%n",
                title,
                marks,
                round.tablets(),
                Runtime.getRuntime().availableProcessors(),
                2 * Runtime.getRuntime().availableProcessors() + 1);
        System.out.printf("  throughput %.0f marks/s over %.2f s%n", marks / seconds, seconds);
        System.out.printf(
                "  latency of a mark with its unlock: p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                ms(all, 0.50), ms(all, 0.95), ms(all, 0.99), all.get(marks - 1) / 1e6);
    }

    /**
     * Every tablet marks its roster present. With a period of 0, each tablet taps again as soon as
     * it has its answer (a closed loop: the server's limit). Otherwise each tablet taps once per
     * period, starting at its own moment within the first period (trainers do not tap in step); a
     * tap's latency then counts from when it was due, so a slow answer that delays the next tap is
     * counted too.
     */
    private static Round run(
            List<Http> clients, List<Long> sessions, List<List<Long>> rosters, long periodMillis)
            throws Exception {
        int tablets = clients.size();
        ExecutorService pool =
                Executors.newFixedThreadPool(
                        tablets,
                        r -> {
                            Thread thread = new Thread(r, "tablet");
                            thread.setDaemon(true);
                            return thread;
                        });
        CountDownLatch start = new CountDownLatch(1);
        long began = System.nanoTime() + 200_000_000L;
        java.util.Random random = new java.util.Random(42);
        List<Future<long[]>> results = new ArrayList<>();
        for (int t = 0; t < tablets; t++) {
            final int tablet = t;
            final long offset =
                    periodMillis == 0
                            ? 0
                            : (long) (random.nextDouble() * periodMillis * 1_000_000L);
            results.add(
                    pool.submit(
                            () -> {
                                start.await();
                                long[] nanos = new long[rosters.get(tablet).size()];
                                int i = 0;
                                for (long guardian : rosters.get(tablet)) {
                                    long due = began + offset + i * periodMillis * 1_000_000L;
                                    long wait = due - System.nanoTime();
                                    if ((periodMillis > 0 || i == 0) && wait > 0)
                                        Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
                                    long t0 = periodMillis > 0 ? due : System.nanoTime();
                                    HttpResponse<String> r =
                                            AttendanceFixture.mark(
                                                    clients.get(tablet),
                                                    sessions.get(tablet),
                                                    guardian,
                                                    "present",
                                                    UUID.randomUUID(),
                                                    Instant.now());
                                    nanos[i++] = System.nanoTime() - t0;
                                    if (r.statusCode() != 200
                                            || !r.body().contains("\"homeUse\":true")) {
                                        throw new IllegalStateException(
                                                "mark refused: " + r.statusCode() + " " + r.body());
                                    }
                                }
                                return nanos;
                            }));
        }
        start.countDown();
        List<Long> all = new ArrayList<>();
        for (Future<long[]> f : results) for (long n : f.get()) all.add(n);
        double seconds = (System.nanoTime() - began) / 1e9;
        pool.shutdown();
        Collections.sort(all);
        return new Round(all, seconds, tablets);
    }

    private static double ms(List<Long> sorted, double quantile) {
        int index = (int) Math.ceil(quantile * sorted.size()) - 1;
        return sorted.get(Math.max(0, index)) / 1e6;
    }

    /**
     * n new families (a guardian, a child, a device at school) booked on the session; returns the
     * guardians.
     */
    private static List<Long> newFamilies(TestApp app, long session, int tablet, int n) {
        return app.jdbi()
                .inTransaction(
                        h -> {
                            List<Long> guardians = new ArrayList<>();
                            long school =
                                    h.createQuery("select id from school where uai = '0215678B'")
                                            .mapTo(Long.class)
                                            .one();
                            for (int i = 0; i < n; i++) {
                                String ref = String.format("BENCH-%03d-%02d", tablet, i);
                                long family =
                                        h.createUpdate("insert into family (reference) values (?)")
                                                .bind(0, ref)
                                                .executeAndReturnGeneratedKeys("id")
                                                .mapTo(Long.class)
                                                .one();
                                long guardian =
                                        h.createUpdate(
                                                        "insert into guardian (family_id, first_name, last_name) values (?, ?, ?)")
                                                .bind(0, family)
                                                .bind(1, "Parent" + i)
                                                .bind(2, "Bench" + tablet)
                                                .executeAndReturnGeneratedKeys("id")
                                                .mapTo(Long.class)
                                                .one();
                                long child =
                                        h.createUpdate(
                                                        "insert into child (family_id, school_id, first_name, last_name, class_level) "
                                                                + "values (?, ?, ?, ?, 'CM1')")
                                                .bind(0, family)
                                                .bind(1, school)
                                                .bind(2, "Child" + i)
                                                .bind(3, "Bench" + tablet)
                                                .executeAndReturnGeneratedKeys("id")
                                                .mapTo(Long.class)
                                                .one();
                                h.execute(
                                        "insert into device (asset_tag, serial_number, model, child_id, lent_on, state) "
                                                + "values (?, ?, 'Bench', ?, current_date, 'school_only')",
                                        ref,
                                        "SN-" + ref,
                                        child);
                                h.execute(
                                        "insert into booking (session_id, family_id, guardian_id) values (?, ?, ?)",
                                        session,
                                        family,
                                        guardian);
                                guardians.add(guardian);
                            }
                            return guardians;
                        });
    }
}
