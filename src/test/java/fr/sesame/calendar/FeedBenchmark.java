package fr.sesame.calendar;

import fr.sesame.support.TestApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Jdbi;

/**
 * A school feed with 1 000 sessions: cold build, warm serve (cached, and as 304), and feeds per
 * second with 500 subscribers polling. Prints figures; run it with the command in the README.
 */
public final class FeedBenchmark {
    public static void main(String[] args) throws Exception {
        int sessions = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int subscribers = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        System.out.printf(
                "cores=%d java=%s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        try (TestApp app = TestApp.start()) {
            Jdbi jdbi = app.jdbi();
            long school = seed(jdbi, sessions);
            CalendarFeeds feeds = app.app().calendarOutbox().feeds();
            String token = feeds.newToken(CalendarFeeds.SCHOOL, school, "fr");
            String url = feeds.feedUrl(token);

            // cold: built from the database (query, ical4j, folding), cache missed
            long t0 = System.nanoTime();
            int size = feeds.build(CalendarFeeds.SCHOOL, school, "fr").length();
            System.out.printf("feed: %d sessions, %d KiB%n", sessions, size / 1024);
            System.out.printf(
                    "cold build, first in a fresh JVM: %.1f ms%n", (System.nanoTime() - t0) / 1e6);
            for (int i = 0; i < 30; i++) feeds.build(CalendarFeeds.SCHOOL, school, "fr");
            double[] builds = new double[20];
            double[] buildCpu = new double[20];
            java.lang.management.ThreadMXBean threads =
                    java.lang.management.ManagementFactory.getThreadMXBean();
            for (int i = 0; i < builds.length; i++) {
                long s = System.nanoTime();
                long c = threads.getCurrentThreadCpuTime();
                feeds.build(CalendarFeeds.SCHOOL, school, "fr");
                buildCpu[i] = (threads.getCurrentThreadCpuTime() - c) / 1e6;
                builds[i] = (System.nanoTime() - s) / 1e6;
            }
            System.out.printf(
                    "cold build, JVM warmed up: median %.1f ms, best %.1f ms (CPU of this thread: median %.1f ms;"
                            + " the query's time in PostgreSQL is not in it)%n",
                    median(builds), min(builds), median(buildCpu));

            HttpClient client =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpRequest plain = HttpRequest.newBuilder(URI.create(url)).GET().build();
            // cold over HTTP: a change advances the counter, the next request rebuilds
            double[] coldHttp = new double[10];
            for (int i = 0; i < coldHttp.length; i++) {
                jdbi.useHandle(h -> h.execute("select nextval('calendar_change_seq')"));
                feeds.changed();
                long s = System.nanoTime();
                client.send(plain, HttpResponse.BodyHandlers.ofByteArray());
                coldHttp[i] = (System.nanoTime() - s) / 1e6;
            }
            System.out.printf(
                    "cold over HTTP (rebuild after a change): median %.1f ms%n", median(coldHttp));

            HttpResponse<byte[]> warm = client.send(plain, HttpResponse.BodyHandlers.ofByteArray());
            String etag = warm.headers().firstValue("ETag").orElseThrow();
            HttpRequest conditional =
                    HttpRequest.newBuilder(URI.create(url))
                            .header("If-None-Match", etag)
                            .GET()
                            .build();
            HttpRequest gzipped =
                    HttpRequest.newBuilder(URI.create(url))
                            .header("Accept-Encoding", "gzip")
                            .GET()
                            .build();
            int gzSize =
                    client.send(gzipped, HttpResponse.BodyHandlers.ofByteArray()).body().length;
            for (int i = 0; i < 2000; i++) {
                client.send(plain, HttpResponse.BodyHandlers.discarding());
                client.send(conditional, HttpResponse.BodyHandlers.discarding());
            }
            double[] warm200 = new double[1000];
            double[] warmGz = new double[1000];
            double[] warm304 = new double[1000];
            for (int i = 0; i < warm200.length; i++) {
                long s = System.nanoTime();
                HttpResponse<byte[]> r =
                        client.send(plain, HttpResponse.BodyHandlers.ofByteArray());
                warm200[i] = (System.nanoTime() - s) / 1e6;
                if (r.statusCode() != 200)
                    throw new IllegalStateException("status " + r.statusCode());
                s = System.nanoTime();
                client.send(gzipped, HttpResponse.BodyHandlers.ofByteArray());
                warmGz[i] = (System.nanoTime() - s) / 1e6;
                s = System.nanoTime();
                HttpResponse<Void> c =
                        client.send(conditional, HttpResponse.BodyHandlers.discarding());
                warm304[i] = (System.nanoTime() - s) / 1e6;
                if (c.statusCode() != 304)
                    throw new IllegalStateException("status " + c.statusCode());
            }
            System.out.printf(
                    "warm serve, cached 200 (%d KiB): median %.2f ms, p99 %.2f ms%n",
                    warm.body().length / 1024, median(warm200), percentile(warm200, 99));
            System.out.printf(
                    "warm serve, cached 200 gzipped (%d KiB): median %.2f ms, p99 %.2f ms%n",
                    gzSize / 1024, median(warmGz), percentile(warmGz, 99));
            System.out.printf(
                    "warm serve, 304 Not Modified: median %.2f ms, p99 %.2f ms%n",
                    median(warm304), percentile(warm304, 99));

            throughput(url, etag, subscribers, seconds, Mode.FULL);
            throughput(url, etag, subscribers, seconds, Mode.GZIP);
            throughput(url, etag, subscribers, seconds, Mode.NOT_MODIFIED);
        }
    }

    private enum Mode {
        FULL,
        GZIP,
        NOT_MODIFIED
    }

    /**
     * Subscribers polling the same feed as fast as the server answers; 32 requests in flight at
     * most.
     */
    private static void throughput(String url, String etag, int subscribers, int seconds, Mode mode)
            throws Exception {
        boolean conditional = mode == Mode.NOT_MODIFIED;
        int inFlight = 32;
        List<HttpClient> clients = new ArrayList<>();
        for (int i = 0; i < subscribers; i++) {
            clients.add(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build());
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
        if (conditional) b.header("If-None-Match", etag);
        if (mode == Mode.GZIP) b.header("Accept-Encoding", "gzip");
        HttpRequest request = b.build();
        AtomicLong done = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        ExecutorService pool = Executors.newFixedThreadPool(inFlight);
        AtomicLong next = new AtomicLong();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpuBefore = os.getProcessCpuTime();
        for (int t = 0; t < inFlight; t++) {
            pool.execute(
                    () -> {
                        while (System.nanoTime() < end) {
                            HttpClient c =
                                    clients.get((int) (next.getAndIncrement() % subscribers));
                            try {
                                HttpResponse<byte[]> r =
                                        c.send(request, HttpResponse.BodyHandlers.ofByteArray());
                                if (r.statusCode() == (conditional ? 304 : 200))
                                    done.incrementAndGet();
                                else errors.incrementAndGet();
                            } catch (Exception e) {
                                errors.incrementAndGet();
                            }
                        }
                    });
        }
        pool.shutdown();
        pool.awaitTermination(seconds + 30L, TimeUnit.SECONDS);
        double cpuMsPerFeed = (os.getProcessCpuTime() - cpuBefore) / 1e6 / Math.max(1, done.get());
        System.out.printf(
                "%d subscribers polling (%s), %d s: %.0f feeds/s (%d errors; client in the same JVM);"
                        + " CPU of server and client together %.2f ms per feed%n",
                subscribers,
                switch (mode) {
                    case FULL -> "full 200 feeds";
                    case GZIP -> "200 feeds, gzip";
                    case NOT_MODIFIED -> "304 answers";
                },
                seconds,
                done.get() / (double) seconds,
                errors.get(),
                cpuMsPerFeed);
    }

    /**
     * A school with a room, and sessions spread over the next three years; one in twenty cancelled.
     */
    private static long seed(Jdbi jdbi, int sessions) {
        return jdbi.inTransaction(
                h -> {
                    long school =
                            h.createQuery(
                                            """
                    insert into school (uai, name, address, postcode, city)
                    values ('0210001B', 'École élémentaire Benchmark', '1 rue de l''Étalon', '21000', 'Dijon') returning id""")
                                    .mapTo(Long.class)
                                    .one();
                    long room =
                            h.createQuery(
                                            "insert into room (school_id, name, seats) values (?, 'Salle informatique', 14) returning id")
                                    .bind(0, school)
                                    .mapTo(Long.class)
                                    .one();
                    long type =
                            h.createQuery(
                                            """
                    insert into workshop_type (code, title_fr, title_en, duration_minutes)
                    values ('bench', 'Premiers pas avec l''ordinateur', 'First steps', 120) returning id""")
                                    .mapTo(Long.class)
                                    .one();
                    h.createUpdate(
                                    """
                    insert into workshop_session (workshop_type_id, school_id, room_id, starts_at, ends_at, capacity, booked, status)
                    select :type, :school, :room, now() + make_interval(days => g) + interval '8 hours',
                           now() + make_interval(days => g) + interval '10 hours', 12, g % 13,
                           case when g % 20 = 0 then 'cancelled' else 'scheduled' end
                    from generate_series(1, :n) g""")
                            .bind("type", type)
                            .bind("school", school)
                            .bind("room", room)
                            .bind("n", sessions)
                            .execute();
                    return school;
                });
    }

    private static double median(double[] v) {
        return percentile(v, 50);
    }

    private static double percentile(double[] v, int p) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, (int) Math.ceil(p / 100.0 * s.length) - 1)];
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(0);
    }

    private FeedBenchmark() {}
}
