package fr.sesame.booking;

import fr.sesame.booking.StormClient.Kind;
import fr.sesame.booking.StormClient.Visit;
import fr.sesame.booking.StormParents.Parent;
import fr.sesame.demo.DemoSeed;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The booking storm: the app in a JVM of its own ({@link StormServer}), parents coming from this
 * one ({@link StormClient}) in an open loop: they arrive at a set rate (Poisson), each loads a
 * session's page and posts its booking form with the page's tokens, and a visit's latency counts
 * from the moment the parent arrived, however late the client or the server is (no coordinated
 * omission).
 *
 * <ul>
 *   <li>{@code step} (the default): raises the rate step by step until the p99 of a visit passes
 *       200 ms (or a 5xx or a failed request appears, or the server falls behind the offered rate),
 *       and reports the highest rate that held; then the same booking transaction over plain JDBC
 *       ({@link JdbcTwin}) and the CPU ratio of the two.
 *   <li>{@code rate R}: one step at R parents per second, then the JDBC twin.
 *   <li>{@code rush}: 2 500 signed-in parents (their pages loaded before, over 500 connections)
 *       post their booking within one second; the answers by kind, the slowest, the database
 *       checks.
 * </ul>
 *
 * Options: {@code --seconds S} per step (10), {@code --from R} (100), {@code --by R} (50), {@code
 * --warmup S} (20) at {@code --warmup-rate R} (150), {@code --parents N} and {@code --connections
 * C} (rush: 2500, 500), {@code --server-jvm "OPTIONS"} for the app's JVM (e.g. a flight recording).
 *
 * <ul>
 *   <li>{@code scaleout}: two instances behind HAProxy on a PostgreSQL server from Debian's
 *       package, one killed mid-run and started again ({@link StormScaleOut}).
 * </ul>
 *
 * See README, "Booking".
 */
public final class BookingStorm {
    private static final int SESSIONS = 100;
    private static final double P99_GOAL_MS = 200;

    private final StormServer server;
    private final StormClient client;
    private final Map<String, String> options;
    private int batch;
    private List<StormTowns.Town> towns = List.of();

    private BookingStorm(StormServer server, Map<String, String> options) {
        this.server = server;
        this.client = new StormClient(server);
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        // the parents of several towns name their town's host (--towns)
        System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
        String mode = args.length > 0 && !args[0].startsWith("--") ? args[0] : "step";
        Map<String, String> options = options(args);
        List<String> serverJvm =
                options.containsKey("server-jvm")
                        ? Arrays.asList(options.get("server-jvm").trim().split("\\s+"))
                        : List.of();
        System.out.printf(
                "Booking storm, mode %s, %d cores; machine load (1, 5, 15 min): %s%n",
                mode, Runtime.getRuntime().availableProcessors(), load());
        if (mode.equals("scaleout")) System.exit(StormScaleOut.run(options, serverJvm));
        try (StormServer server = StormServer.start(serverJvm)) {
            new DemoSeed(server.jdbi()).seed();
            BookingStorm storm = new BookingStorm(server, options);
            if (options.containsKey("towns")) {
                int count = Integer.parseInt(options.get("towns"));
                int pupils = storm.option("pupils", 400);
                long t = System.nanoTime();
                storm.towns = StormTowns.make(server, count, pupils);
                System.out.printf(
                        "%d towns of %d pupils each in one database, each on its own host; the parents spread over"
                                + " them (made in %.0f s)%n",
                        count, pupils, (System.nanoTime() - t) / 1e9);
            }
            System.out.printf(
                    "The app runs in its own JVM (pid %d), log %s%n", server.pid(), server.log());
            switch (mode) {
                case "step" -> storm.steps();
                case "rate" -> storm.rate(Double.parseDouble(args[1]));
                case "rush" -> storm.rush();
                default ->
                        throw new IllegalArgumentException("modes: step, rate R, rush, scaleout");
            }
            storm.client.close();
        }
        System.exit(0);
    }

    private int option(String name, int fallback) {
        return options.containsKey(name) ? Integer.parseInt(options.get(name)) : fallback;
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--") && i + 1 < args.length)
                map.put(args[i].substring(2), args[++i]);
        }
        return map;
    }

    // --- modes

    private void steps() throws Exception {
        warmUp();
        int seconds = option("seconds", 10);
        List<Step> held = new ArrayList<>();
        List<Step> all = new ArrayList<>();
        for (double rate = option("from", 100);
                rate <= option("max", 2000);
                rate += option("by", 50)) {
            Step step = step(rate, seconds);
            all.add(step);
            if (!step.held()) break;
            held.add(step);
        }
        System.out.println();
        System.out.printf(
                "Highest rate that held (p99 < %.0f ms, no 5xx, no failed request, kept up): %s%n",
                P99_GOAL_MS,
                held.isEmpty()
                        ? "none"
                        : String.format(
                                "%.0f parents/s, %.0f bookings/s",
                                held.get(held.size() - 1).offered,
                                held.get(held.size() - 1).bookedPerSecond()));
        summary(all);
    }

    private void rate(double rate) throws Exception {
        warmUp();
        Step step = step(rate, option("seconds", 20));
        summary(List.of(step));
    }

    /**
     * The JIT compiles the app's hot path before anything is measured (on two cores it competes
     * with the app).
     */
    private void warmUp() throws Exception {
        int seconds = option("warmup", 20);
        if (seconds <= 0) return;
        double rate = option("warmup-rate", 150);
        List<Parent> parents = prepare((int) (rate * seconds));
        openLoop(parents, rate);
        JdbcTwin.run(server.dataSource(), prepare(3000), server.dataSource().getMaximumPoolSize());
        System.out.printf(
                "warm-up: %d s at %.0f parents/s, and 3000 bookings over JDBC%n", seconds, rate);
    }

    private List<Parent> prepare(int parents) {
        // enough seats that nearly every parent books: the steps measure bookings, the rush
        // measures a full house
        String prefix = "storm" + (++batch);
        List<Parent> list = new ArrayList<>();
        if (towns.isEmpty()) {
            int capacity = (int) Math.ceil(1.3 * parents / SESSIONS) + 2;
            list.addAll(StormParents.prepare(server.jdbi(), prefix, parents, SESSIONS, capacity));
        } else {
            // the parents spread evenly over the towns, each town with its share of the sessions
            int sessions = Math.max(1, SESSIONS / towns.size());
            for (int i = 0; i < towns.size(); i++) {
                StormTowns.Town town = towns.get(i);
                int share = parents / towns.size() + (i < parents % towns.size() ? 1 : 0);
                if (share == 0) continue;
                int capacity = (int) Math.ceil(1.3 * share / sessions) + 2;
                list.addAll(
                        StormParents.prepare(
                                server.jdbiIn(town.id()),
                                prefix + "-" + town.slug(),
                                share,
                                sessions,
                                capacity,
                                town.id(),
                                town.host()));
            }
            java.util.Collections.shuffle(list, new java.util.Random(batch));
        }
        StormParents.analyze(server.jdbi());
        return list;
    }

    /** What one step measured. */
    private record Step(
            double offered,
            int seconds,
            Stats stats,
            StormServer.Cpu cpu,
            double clientCpu,
            JdbcTwin.Result twin,
            StormServer.Cpu twinCpu) {
        boolean held() {
            return stats.p99() < P99_GOAL_MS
                    && stats.count(Kind.SERVER_ERROR) == 0
                    && stats.count(Kind.OTHER) == 0
                    && stats.achieved() >= 0.95 * offered;
        }

        double bookedPerSecond() {
            return stats.count(Kind.BOOKED) / stats.seconds();
        }
    }

    private Step step(double rate, int seconds) throws Exception {
        List<Parent> parents = prepare((int) (rate * seconds));
        String loadBefore = load();
        StormServer.Cpu cpu0 = server.cpu();
        double client0 = clientCpu();
        Stats stats = openLoop(parents, rate);
        StormServer.Cpu cpu = server.cpu().minus(cpu0);
        double clientCpu = clientCpu() - client0;
        // the bare transaction at the same rate, for as many parents (JdbcTwin.runAtRate)
        List<Parent> twinParents = prepare((int) (rate * seconds));
        StormServer.Cpu twin0 = server.cpu();
        JdbcTwin.Result twin =
                JdbcTwin.runAtRate(
                        server.dataSource(),
                        twinParents,
                        server.dataSource().getMaximumPoolSize(),
                        rate);
        StormServer.Cpu twinCpu = server.cpu().minus(twin0);
        Step step = new Step(rate, seconds, stats, cpu, clientCpu, twin, twinCpu);
        int n = Math.max(1, stats.visits.size());
        System.out.printf(
                "step %4.0f parents/s: achieved %5.1f visits/s, %5.1f bookings/s; visit p50 %5.1f, p95 %6.1f,"
                        + " p99 %6.1f ms (post alone p99 %6.1f ms); 5xx %d, failed %d, full %d; %s%n",
                rate,
                stats.achieved(),
                step.bookedPerSecond(),
                stats.percentile(0.50),
                stats.percentile(0.95),
                stats.p99(),
                stats.postPercentile(0.99),
                stats.count(Kind.SERVER_ERROR),
                stats.count(Kind.OTHER),
                stats.count(Kind.FULL),
                step.held() ? "held" : "NOT HELD");
        System.out.printf(
                "     CPU per visit: web threads %.2f ms, server JVM %.2f ms, PostgreSQL %.2f ms, this client "
                        + "%.2f ms; load %s -> %s%n",
                cpu.webThreads() / n,
                cpu.serverJvm() / n,
                cpu.postgres() / n,
                clientCpu / n,
                loadBefore,
                load());
        int booked = Math.max(1, stats.count(Kind.BOOKED));
        int twinBooked = Math.max(1, twin.booked());
        double http = (cpu.webThreads() + cpu.postgres()) / booked;
        double bare = (twin.clientCpuMillis() + twinCpu.postgres()) / twinBooked;
        System.out.printf(
                "     per booking: over HTTP %.2f + %.2f = %.2f ms; the bare transaction at the same rate"
                        + " (%d bookings, %.0f/s) %.2f + %.2f = %.2f ms; ratio %.2f%n",
                cpu.webThreads() / booked,
                cpu.postgres() / booked,
                http,
                twin.booked(),
                twin.booked() / twin.seconds(),
                twin.clientCpuMillis() / twinBooked,
                twinCpu.postgres() / twinBooked,
                bare,
                bare / http);
        return step;
    }

    private void summary(List<Step> steps) throws Exception {
        int booked = 0;
        double web = 0;
        double jvm = 0;
        double postgres = 0;
        for (Step s : steps) {
            booked += s.stats.count(Kind.BOOKED);
            web += s.cpu.webThreads();
            jvm += s.cpu.serverJvm();
            postgres += s.cpu.postgres();
        }
        List<Parent> twinParents = prepare(option("jdbc", 5000));
        StormServer.Cpu cpu0 = server.cpu();
        JdbcTwin.Result twin =
                JdbcTwin.run(
                        server.dataSource(), twinParents, server.dataSource().getMaximumPoolSize());
        StormServer.Cpu twinCpu = server.cpu().minus(cpu0);
        double httpPerBooking = (web + postgres) / Math.max(1, booked);
        double twinPerBooking =
                (twin.clientCpuMillis() + twinCpu.postgres()) / Math.max(1, twin.booked());
        System.out.printf(
                "over HTTP, per booking (page + form, %d bookings): web threads %.2f ms + PostgreSQL %.2f ms"
                        + " = %.2f ms (whole server JVM %.2f ms)%n",
                booked,
                web / Math.max(1, booked),
                postgres / Math.max(1, booked),
                httpPerBooking,
                jvm / Math.max(1, booked));
        System.out.printf(
                "over JDBC, the same transaction (%d bookings, %d threads, %.0f bookings/s): client threads "
                        + "%.2f ms + PostgreSQL %.2f ms = %.2f ms%n",
                twin.booked(),
                server.dataSource().getMaximumPoolSize(),
                twin.booked() / twin.seconds(),
                twin.clientCpuMillis() / Math.max(1, twin.booked()),
                twinCpu.postgres() / Math.max(1, twin.booked()),
                twinPerBooking);
        int sameRateBooked = 0;
        double sameRateCpu = 0;
        for (Step s : steps) {
            sameRateBooked += s.twin.booked();
            sameRateCpu += s.twin.clientCpuMillis() + s.twinCpu.postgres();
        }
        double sameRatePerBooking = sameRateCpu / Math.max(1, sameRateBooked);
        System.out.printf(
                "over JDBC at each step's rate (%d bookings): client threads + PostgreSQL = %.2f ms%n",
                sameRateBooked, sameRatePerBooking);
        double flatOut = twinPerBooking / httpPerBooking;
        double ratio = sameRatePerBooking / httpPerBooking;
        System.out.printf(
                "ratio (JDBC / HTTP CPU per booking, at the same rates): %.2f (goal >= 0.5: %s);"
                        + " against the flat-out JDBC run: %.2f%n",
                ratio, ratio >= 0.5 ? "MET" : "NOT MET", flatOut);
        checks();
    }

    /**
     * Over capacity, counters, and the deadlocks of the whole run (PostgreSQL's statistics lag:
     * wait for them).
     */
    private void checks() throws InterruptedException {
        Thread.sleep(1_500);
        int[] oc = server.overCapacityAndDrift();
        System.out.printf(
                "database: %d deadlocks since the start, %d sessions over capacity, %d sessions whose counter "
                        + "differs from their bookings; machine load %s%n",
                server.deadlocks(), oc[0], oc[1], load());
    }

    private void rush() throws Exception {
        warmUp();
        int parents = option("parents", 2500);
        int connections = option("connections", 500);
        // a full house: 80% as many seats as parents
        int sessions = 125;
        List<Parent> list =
                StormParents.prepare(
                        server.jdbi(),
                        "rush",
                        parents,
                        sessions,
                        Math.max(1, parents * 8 / 10 / sessions));
        StormParents.analyze(server.jdbi());
        System.out.printf(
                "rush: %d parents load their session's page beforehand over %d connections...%n",
                parents, connections);
        List<StormClient.Form> forms = loadPages(list, connections);
        long missing = forms.stream().filter(f -> f.token() == null).count();
        if (missing > 0)
            System.out.printf(
                    "  %d pages came without a booking form (they count by their status below)%n",
                    missing);
        client.takePeakInFlight();
        Random random = new Random(42);
        long[] offsets =
                random.doubles(parents, 0, 1e9).mapToLong(d -> (long) d).sorted().toArray();
        String loadBefore = load();
        StormServer.Cpu cpu0 = server.cpu();
        long start = System.nanoTime() + 100_000_000L;
        List<CompletableFuture<Visit>> visits = new ArrayList<>();
        for (int i = 0; i < parents; i++) {
            long due = start + offsets[i];
            LockSupport.parkNanos(due - System.nanoTime());
            StormClient.Form form = forms.get(i);
            visits.add(
                    form.token() == null
                            ? CompletableFuture.completedFuture(
                                    new Visit(
                                            StormClient.kindOfPage(form.status()),
                                            form.status(),
                                            due,
                                            due,
                                            due,
                                            due))
                            : client.post(list.get(i), form, due, due));
        }
        long lastSent = System.nanoTime();
        Stats stats = new Stats(join(visits), start);
        StormServer.Cpu cpu = server.cpu().minus(cpu0);
        System.out.printf(
                "rush: %d posts sent within %.2f s, at most %d requests (connections) open at once%n",
                parents, (lastSent - start) / 1e9, client.takePeakInFlight());
        System.out.printf(
                "  answers: %d booked, %d full (waiting list offered), %d 5xx, %d other%n",
                stats.count(Kind.BOOKED),
                stats.count(Kind.FULL),
                stats.count(Kind.SERVER_ERROR),
                stats.count(Kind.OTHER));
        Map<Integer, Integer> others = new HashMap<>();
        for (Visit v : stats.visits)
            if (v.kind() == Kind.OTHER) others.merge(v.status(), 1, Integer::sum);
        if (!others.isEmpty())
            System.out.printf("  other answers by status (0: no answer): %s%n", others);
        System.out.printf(
                "  from the moment each was due: p50 %.0f ms, p95 %.0f ms, p99 %.0f ms, slowest %.0f ms (goal: every "
                        + "answer within 15 s: %s)%n",
                stats.percentile(0.5),
                stats.percentile(0.95),
                stats.p99(),
                stats.percentile(1.0),
                stats.percentile(1.0) <= 15_000 && stats.count(Kind.OTHER) == 0
                        ? "MET"
                        : "NOT MET");
        System.out.printf(
                "  CPU per post: web threads %.2f ms, server JVM %.2f ms, PostgreSQL %.2f ms; load %s -> %s%n",
                cpu.webThreads() / parents,
                cpu.serverJvm() / parents,
                cpu.postgres() / parents,
                loadBefore,
                load());
        checks();
    }

    private List<StormClient.Form> loadPages(List<Parent> parents, int connections)
            throws Exception {
        Semaphore open = new Semaphore(connections);
        List<CompletableFuture<StormClient.Form>> pages = new ArrayList<>();
        for (Parent p : parents) {
            open.acquire();
            pages.add(
                    client.page(p)
                            .whenComplete((f, e) -> open.release())
                            .exceptionally(e -> new StormClient.Form(null, null, 0)));
        }
        return pages.stream().map(CompletableFuture::join).toList();
    }

    // --- the open loop

    /**
     * Parents arriving at {@code rate} per second on average, with exponential gaps (a Poisson
     * process).
     */
    private Stats openLoop(List<Parent> parents, double rate) throws Exception {
        Random random = new Random(parents.size());
        long start = System.nanoTime() + 50_000_000L;
        double at = 0;
        List<CompletableFuture<Visit>> visits = new ArrayList<>(parents.size());
        for (Parent p : parents) {
            at += -Math.log(1 - random.nextDouble()) / rate;
            long due = start + (long) (at * 1e9);
            long wait = due - System.nanoTime();
            if (wait > 0) LockSupport.parkNanos(wait);
            visits.add(client.visit(p, due));
        }
        return new Stats(join(visits), start);
    }

    static List<Visit> join(List<CompletableFuture<Visit>> visits) throws Exception {
        CompletableFuture.allOf(visits.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
        return visits.stream().map(CompletableFuture::join).toList();
    }

    /** The visits of a step. */
    record Stats(List<Visit> visits, long start, long[] totals, long[] posts) {
        Stats(List<Visit> visits, long start) {
            this(
                    visits,
                    start,
                    visits.stream().mapToLong(Visit::totalNanos).sorted().toArray(),
                    visits.stream()
                            .filter(v -> v.kind() == Kind.BOOKED || v.kind() == Kind.FULL)
                            .mapToLong(Visit::postNanos)
                            .sorted()
                            .toArray());
        }

        int count(Kind kind) {
            return (int) visits.stream().filter(v -> v.kind() == kind).count();
        }

        /** From the first parent's arrival to the last answer. */
        double seconds() {
            return (visits.stream().mapToLong(Visit::answered).max().orElse(start) - start) / 1e9;
        }

        double achieved() {
            return visits.size() / seconds();
        }

        double percentile(double p) {
            return pick(totals, p);
        }

        double p99() {
            return percentile(0.99);
        }

        double postPercentile(double p) {
            return pick(posts, p);
        }

        private static double pick(long[] sorted, double p) {
            if (sorted.length == 0) return 0;
            return sorted[
                            Math.max(
                                    0,
                                    Math.min(
                                            sorted.length - 1,
                                            (int) Math.ceil(p * sorted.length) - 1))]
                    / 1e6;
        }
    }

    private static double clientCpu() {
        var os =
                (com.sun.management.OperatingSystemMXBean)
                        ManagementFactory.getOperatingSystemMXBean();
        return os.getProcessCpuTime() / 1e6;
    }

    static String load() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException e) {
            return "?";
        }
    }
}
