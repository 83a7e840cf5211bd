package fr.sesame.booking;

import fr.sesame.booking.StormClient.Kind;
import fr.sesame.booking.StormClient.Visit;
import fr.sesame.booking.StormParents.Parent;
import fr.sesame.demo.DemoSeed;
import fr.sesame.support.TestApp;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/**
 * The scale-out storm: two instances of the app (each in its own JVM) on one PostgreSQL server from
 * Debian's package, behind HAProxy (Debian's package: round robin, a health check on /health/ready
 * every 500 ms). Signed-in parents book through HAProxy at a steady rate; mid-run instance {@code
 * a} is killed with SIGKILL, the load stays on, and it is started again on the same port; once it
 * answers, 10 s more of parents show HAProxy sending it traffic. It prints the answers by kind
 * before and after the kill, the bookings answered as made that the database does not hold, the
 * sessions over capacity, the deadlocks, the parents of the killed instance who had to sign in
 * again, and the requests the restarted instance answered. Exit status 0 when every check holds, 1
 * when one fails, 2 when PostgreSQL or HAProxy is not installed. Nothing it started outlives it (a
 * shutdown hook stops the JVMs, HAProxy and PostgreSQL even when the run fails).
 *
 * <p>Options: {@code --rate R} parents per second (40), {@code --seconds S} of load (90), {@code
 * --kill-at S} (25), {@code --warmup S} (10).
 */
final class StormScaleOut {
    private static final Path HAPROXY = Path.of("/usr/sbin/haproxy");
    private static final int SESSIONS = 100;

    private final Map<String, String> options;
    private final List<String> serverJvm;
    private volatile StormPostgres pg;
    private volatile Process haproxy;
    private final List<StormServer> instances = new java.util.concurrent.CopyOnWriteArrayList<>();
    private Path dir;

    private StormScaleOut(Map<String, String> options, List<String> serverJvm) {
        this.options = options;
        this.serverJvm = serverJvm;
    }

    static int run(Map<String, String> options, List<String> serverJvm) throws Exception {
        Path bin = StormPostgres.binaries();
        if (bin == null || !Files.isExecutable(HAPROXY)) {
            System.err.println(
                    "scaleout needs Debian's postgresql and haproxy packages (apt-get install postgresql "
                            + "haproxy): "
                            + (bin == null
                                    ? "no /usr/lib/postgresql/*/bin/pg_ctl"
                                    : "no " + HAPROXY));
            return 2;
        }
        StormScaleOut storm = new StormScaleOut(options, serverJvm);
        Thread hook = new Thread(storm::stopEverything, "storm-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return storm.storm(bin) ? 0 : 1;
        } finally {
            storm.stopEverything();
        }
    }

    private int option(String name, int fallback) {
        return options.containsKey(name) ? Integer.parseInt(options.get(name)) : fallback;
    }

    /** Idempotent: the run's end and the shutdown hook both call it. */
    private synchronized void stopEverything() {
        for (StormServer s : instances) {
            try {
                s.close();
            } catch (Exception e) {
                s.destroyNow();
            }
        }
        instances.clear();
        if (haproxy != null) {
            haproxy.destroyForcibly();
            try {
                haproxy.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            haproxy = null;
        }
        if (pg != null) {
            pg.close();
            pg = null;
        }
        if (dir != null) {
            for (String file : List.of("haproxy.cfg", "haproxy.log"))
                dir.resolve(file).toFile().delete();
            dir.toFile().delete();
            dir = null;
        }
    }

    private boolean storm(Path bin) throws Exception {
        pg = StormPostgres.start(bin);
        System.out.printf("PostgreSQL from %s on %s%n", bin, pg.jdbcUrl());
        int portA = TestApp.freePort();
        int portB = TestApp.freePort();
        // one after the other: the first applies the migrations
        StormServer a = startInstance(portA);
        StormServer b = startInstance(portB);
        new DemoSeed(b.jdbi()).seed();
        String front = startHaproxy(portA, portB);
        System.out.printf(
                "instances a (pid %d, port %d) and b (pid %d, port %d) behind HAProxy at %s; logs %s, %s%n",
                a.pid(), portA, b.pid(), portB, front, a.log(), b.log());

        StormClient client = new StormClient(front);
        int rate = option("rate", 40);
        int warmup = option("warmup", 10);
        if (warmup > 0) {
            run(client, prepare(b, "warm", rate * warmup), rate, Long.MAX_VALUE, null);
            System.out.printf("warm-up: %d s at %d parents/s through HAProxy%n", warmup, rate);
        }
        long deadlocks0 = b.deadlocks();

        int seconds = option("seconds", 90);
        int killAt = option("kill-at", 25);
        List<Parent> parents = prepare(b, "scale", rate * seconds);
        Killing killing = new Killing(a, portA, front);
        long start = System.nanoTime() + 50_000_000L;
        List<Served> served =
                run(
                        client,
                        parents,
                        rate,
                        start,
                        start + TimeUnit.SECONDS.toNanos(killAt),
                        killing);
        killing.thread.join(TimeUnit.MINUTES.toMillis(5));
        // once a answers again: more parents, so that HAProxy's sending it traffic shows whenever
        // the restart ended
        List<Served> rejoin = List.of();
        if (killing.restartedAt != Long.MAX_VALUE) {
            Thread.sleep(2_000); // HAProxy's "rise 2" at 500 ms
            rejoin = run(client, prepare(b, "rejoin", rate * 10), rate, Long.MAX_VALUE, null);
        }
        client.close();
        Thread.sleep(1_500);

        long killedAt = killing.killedAt;
        List<Served> before = served.stream().filter(s -> s.visit.answered() < killedAt).toList();
        List<Served> inFlight =
                served.stream()
                        .filter(s -> s.visit.due() < killedAt && s.visit.answered() >= killedAt)
                        .toList();
        List<Served> after = served.stream().filter(s -> s.visit.due() >= killedAt).toList();
        System.out.printf(
                "load: %d parents at %d/s for %d s; instance a killed (SIGKILL) at %d s%s; %s%n",
                parents.size(),
                rate,
                seconds,
                killAt,
                killing.gone ? " and gone" : " BUT STILL THERE",
                killing.restartedAt == Long.MAX_VALUE
                        ? "NOT STARTED AGAIN"
                        : String.format(
                                "answering again on port %d %.1f s later",
                                portA, (killing.restartedAt - killedAt) / 1e9));
        System.out.println("  answered before the kill:     " + kinds(before));
        System.out.println("  in flight at the kill:        " + kinds(inFlight));
        System.out.println("  arrived after the kill:       " + kinds(after));
        System.out.println("  visits answered by (instance): " + byInstance(served));
        System.out.println(
                "  10 s more once a answered again: "
                        + kinds(rejoin)
                        + ", by instance "
                        + byInstance(rejoin));
        if (!client.failures().isEmpty())
            System.out.println("  requests without an answer: " + client.failures());

        List<Served> all = new ArrayList<>(served);
        all.addAll(rejoin);
        long[] booked =
                all.stream()
                        .filter(s -> s.visit.kind() == Kind.BOOKED)
                        .mapToLong(s -> s.parent.familyId())
                        .toArray();
        int missing =
                b.jdbi()
                        .withHandle(
                                h ->
                                        h.createQuery(
                                                        """
                select count(*) from unnest(cast(:ids as bigint[])) f(id)
                where not exists (select 1 from booking bk where bk.family_id = f.id and bk.status = 'active')""")
                                                .bind("ids", booked)
                                                .mapTo(Integer.class)
                                                .one());
        int[] oc = b.overCapacityAndDrift();
        long deadlocks = b.deadlocks() - deadlocks0;
        long rejoined =
                all.stream()
                        .filter(
                                s ->
                                        "a".equals(s.visit.instance())
                                                && s.visit.answered() > killing.restartedAt)
                        .count();
        System.out.printf(
                "  bookings answered as made (302 to /me?done=booked): %d, of which not in the database: %d%n",
                booked.length, missing);
        System.out.printf(
                "  sessions over capacity: %d, whose counter differs from their bookings: %d; deadlocks: %d%n",
                oc[0], oc[1], deadlocks);
        System.out.printf(
                "  parents last answered by a, asked for /me after the kill: %d still signed in (answered by %s),"
                        + " %d had to sign in again, %d got no answer within 60 s%n",
                killing.stillSignedIn, killing.answeredBy, killing.signInAgain, killing.noAnswer);
        System.out.printf("  the restarted instance a answered %d requests%n", rejoined);
        boolean ok =
                killing.gone
                        && missing == 0
                        && oc[0] == 0
                        && oc[1] == 0
                        && deadlocks == 0
                        && killing.signInAgain == 0
                        && killing.stillSignedIn > 0
                        && rejoined > 0;
        System.out.println("scale-out: " + (ok ? "every check held" : "A CHECK FAILED"));
        return ok;
    }

    private StormServer startInstance(int port) throws IOException, InterruptedException {
        StormServer s = StormServer.startInstance(serverJvm, port, pg);
        instances.add(s);
        return s;
    }

    private List<Parent> prepare(StormServer any, String prefix, int n) {
        List<Parent> parents =
                StormParents.prepare(
                        any.jdbi(), prefix, n, SESSIONS, (int) Math.ceil(1.3 * n / SESSIONS) + 2);
        StormParents.analyze(any.jdbi());
        return parents;
    }

    /**
     * HAProxy in front of both, in the foreground as a child process; returns its address once both
     * answer through it.
     */
    private String startHaproxy(int portA, int portB) throws Exception {
        dir = Files.createTempDirectory("sesame-haproxy");
        int port = TestApp.freePort();
        Path cfg = dir.resolve("haproxy.cfg");
        Files.writeString(
                cfg,
                """
                global
                    maxconn 4000
                defaults
                    mode http
                    timeout connect 2s
                    timeout client 60s
                    timeout server 60s
                    # a connection refused (a dead instance not yet marked down) goes to the other instance
                    retries 2
                    option redispatch
                frontend parents
                    bind 127.0.0.1:%d
                    default_backend app
                backend app
                    balance roundrobin
                    option httpchk GET /health/ready
                    http-check expect status 200
                    # a check every 500 ms; a busy instance has 3 s to answer (the app answers it outside its queue)
                    timeout check 3s
                    default-server inter 500ms fastinter 250ms downinter 500ms fall 2 rise 2
                    http-response set-header %s %%s
                    server a 127.0.0.1:%d check
                    server b 127.0.0.1:%d check
                """
                        .formatted(port, StormClient.INSTANCE_HEADER, portA, portB));
        haproxy =
                new ProcessBuilder(HAPROXY.toString(), "-f", cfg.toString(), "-db")
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("haproxy.log").toFile())
                        .start();
        String front = "http://127.0.0.1:" + port;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        java.util.Set<String> seen = new java.util.HashSet<>();
        HttpClient http = HttpClient.newHttpClient();
        while (seen.size() < 2) {
            if (!haproxy.isAlive())
                throw new IllegalStateException(
                        "HAProxy stopped: " + Files.readString(dir.resolve("haproxy.log")));
            if (System.nanoTime() > deadline)
                throw new IllegalStateException("HAProxy did not reach both instances in 30 s");
            try {
                HttpResponse<Void> r =
                        http.send(
                                HttpRequest.newBuilder(URI.create(front + "/health/ready")).build(),
                                HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200)
                    r.headers().firstValue(StormClient.INSTANCE_HEADER).ifPresent(seen::add);
            } catch (IOException notYet) {
                // HAProxy still starting
            }
            Thread.sleep(100);
        }
        return front;
    }

    /** A visit and its parent. */
    private record Served(Parent parent, Visit visit) {}

    /**
     * Parents arriving at {@code rate} per second (Poisson), open loop; the kill starts in its own
     * thread at {@code killAt} (a later arrival is never delayed by it).
     */
    private List<Served> run(
            StormClient client, List<Parent> parents, double rate, long killAt, Killing killing)
            throws Exception {
        return run(client, parents, rate, System.nanoTime() + 50_000_000L, killAt, killing);
    }

    /** From {@code start}, the kill (if any) starting at {@code killAt}. */
    private List<Served> run(
            StormClient client,
            List<Parent> parents,
            double rate,
            long start,
            long killAt,
            Killing killing)
            throws Exception {
        Random random = new Random(parents.size());
        double at = 0;
        List<CompletableFuture<Served>> visits = new ArrayList<>(parents.size());
        boolean killStarted = false;
        for (Parent p : parents) {
            at += -Math.log(1 - random.nextDouble()) / rate;
            long due = start + (long) (at * 1e9);
            if (!killStarted && killing != null && due >= killAt) {
                killing.start(visits);
                killStarted = true;
            }
            long wait = due - System.nanoTime();
            if (wait > 0) LockSupport.parkNanos(wait);
            visits.add(client.visit(p, due).thenApply(v -> new Served(p, v)));
        }
        CompletableFuture.allOf(visits.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
        return visits.stream().map(CompletableFuture::join).toList();
    }

    /**
     * The kill, the check that instance a's parents are still signed in, the restart: in a thread
     * of its own.
     */
    private final class Killing {
        final StormServer victim;
        final int port;
        final String front;
        Thread thread = new Thread(() -> {}, "storm-kill");
        volatile long killedAt = Long.MAX_VALUE;
        volatile long restartedAt = Long.MAX_VALUE;
        volatile boolean gone;
        volatile int stillSignedIn;
        volatile int signInAgain;
        volatile int noAnswer;
        volatile String answeredBy = "";

        Killing(StormServer victim, int port, String front) {
            this.victim = victim;
            this.port = port;
            this.front = front;
        }

        void start(List<CompletableFuture<Served>> visits) {
            // the parents whose last answer came from a, among the visits ended so far
            List<CompletableFuture<Served>> sofar = List.copyOf(visits);
            thread =
                    new Thread(
                            () -> {
                                try {
                                    List<Parent> ofA =
                                            sofar.stream()
                                                    .filter(CompletableFuture::isDone)
                                                    .map(CompletableFuture::join)
                                                    .filter(s -> "a".equals(s.visit.instance()))
                                                    .map(Served::parent)
                                                    .toList();
                                    killedAt = System.nanoTime();
                                    gone = victim.kill();
                                    instances.remove(victim);
                                    victim.close();
                                    signedIn(ofA.subList(0, Math.min(200, ofA.size())));
                                    instances.add(StormServer.startInstance(serverJvm, port, pg));
                                    restartedAt = System.nanoTime();
                                } catch (Exception e) {
                                    System.err.println("the kill and restart failed: " + e);
                                }
                            },
                            "storm-kill");
            thread.start();
        }

        /**
         * /me through HAProxy with each parent's cookie: 200 is still signed in, a redirect to
         * /sign-in is not. Any other answer (a 503 from a busy machine, no answer) says nothing of
         * the sign-in: asked again, for 60 s.
         */
        private void signedIn(List<Parent> parents) throws Exception {
            HttpClient http =
                    HttpClient.newBuilder()
                            .followRedirects(HttpClient.Redirect.NEVER)
                            .connectTimeout(Duration.ofSeconds(10))
                            .build();
            Map<String, Integer> by = new TreeMap<>();
            int yes = 0;
            int no = 0;
            int unknown = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            for (Parent p : parents) {
                while (true) {
                    HttpResponse<Void> r;
                    try {
                        r =
                                http.send(
                                        HttpRequest.newBuilder(URI.create(front + "/me"))
                                                .header("Cookie", p.cookieHeader())
                                                .timeout(Duration.ofSeconds(30))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding());
                    } catch (IOException noAnswer) {
                        r = null;
                    }
                    boolean signedOut =
                            r != null
                                    && r.statusCode() / 100 == 3
                                    && r.headers()
                                            .firstValue("Location")
                                            .orElse("")
                                            .startsWith("/sign-in");
                    if (r != null && (r.statusCode() == 200 || signedOut)) {
                        if (signedOut) no++;
                        else yes++;
                        by.merge(
                                r.headers()
                                        .firstValue(StormClient.INSTANCE_HEADER)
                                        .orElse("HAProxy"),
                                1,
                                Integer::sum);
                        break;
                    }
                    if (System.nanoTime() > deadline) {
                        unknown++;
                        break;
                    }
                    Thread.sleep(200);
                }
            }
            stillSignedIn = yes;
            signInAgain = no;
            noAnswer = unknown;
            answeredBy = by.toString();
        }
    }

    private static String kinds(List<Served> served) {
        Map<String, Long> byKind =
                served.stream()
                        .collect(
                                Collectors.groupingBy(
                                        s ->
                                                s.visit.kind().name().toLowerCase()
                                                        + (s.visit.kind() == Kind.OTHER
                                                                        || s.visit.kind()
                                                                                == Kind.SERVER_ERROR
                                                                ? " "
                                                                        + s.visit.status()
                                                                        + (s.visit.status() > 0
                                                                                        && s.visit
                                                                                                        .instance()
                                                                                                == null
                                                                                ? " from HAProxy"
                                                                                : "")
                                                                : ""),
                                        TreeMap::new,
                                        Collectors.counting()));
        long[] ms =
                served.stream().mapToLong(s -> s.visit.totalNanos() / 1_000_000).sorted().toArray();
        return served.size()
                + " visits "
                + byKind
                + (ms.length == 0
                        ? ""
                        : String.format(
                                ", p50 %d ms, p99 %d ms, slowest %d ms",
                                ms[(ms.length - 1) / 2],
                                ms[(int) Math.ceil(0.99 * ms.length) - 1],
                                ms[ms.length - 1]));
    }

    private static String byInstance(List<Served> served) {
        return served.stream()
                .collect(
                        Collectors.groupingBy(
                                s -> s.visit.instance() == null ? "none" : s.visit.instance(),
                                TreeMap::new,
                                Collectors.counting()))
                .toString();
    }
}
