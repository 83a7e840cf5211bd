package fr.sesame.booking;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import fr.sesame.db.Database;
import fr.sesame.support.TestApp;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jdbi.v3.core.Jdbi;

/**
 * The app under test in a JVM of its own: {@code java -cp <main classpath> fr.sesame.App}, as the
 * jar runs it, on an embedded PostgreSQL in a temporary data folder. The benchmark reaches it over
 * HTTP, and its database over JDBC (to prepare parents and check the outcome), and reads the CPU
 * time of both from /proc.
 */
final class StormServer implements AutoCloseable {
    private static final int TICKS_PER_SECOND = 100;

    /**
     * The request threads (WebApp names its Jetty pool sesame-http) as the kernel names them (15
     * characters at most).
     */
    private static final String WEB_THREAD_PREFIX = "sesame-http";

    private final Process process;
    private final Path dataDir;
    private final String baseUrl;
    private final long postmasterPid;
    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private HikariDataSource townPool;

    /** False for an instance of the scale-out storm, whose database the storm owns and stops. */
    private final boolean ownsDatabase;

    private StormServer(
            Process process,
            Path dataDir,
            String baseUrl,
            long postmasterPid,
            HikariDataSource dataSource,
            boolean ownsDatabase) {
        this.process = process;
        this.dataDir = dataDir;
        this.baseUrl = baseUrl;
        this.postmasterPid = postmasterPid;
        this.dataSource = dataSource;
        this.jdbi = Database.createJdbi(dataSource);
        this.ownsDatabase = ownsDatabase;
    }

    /**
     * Starts the app with these extra JVM options (e.g. a flight recording) and waits until /health
     * answers 200.
     */
    static StormServer start(List<String> jvmOptions) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("sesame-storm");
        int port = TestApp.freePort();
        Process process = launch(jvmOptions, port, dir, null);
        try {
            String baseUrl = "http://localhost:" + port;
            awaitHealthy(process, baseUrl, dir);
            List<String> pid = Files.readAllLines(dir.resolve("pg").resolve("postmaster.pid"));
            HikariConfig hc = new HikariConfig();
            hc.setJdbcUrl("jdbc:postgresql://localhost:" + pid.get(3).trim() + "/postgres");
            hc.setUsername("postgres");
            // the embedded PostgreSQL takes only its password, kept in its data folder
            // (db/EmbeddedPassword)
            hc.setPassword(Files.readString(dir.resolve("pg").resolve("sesame-password")).trim());
            hc.setMaximumPoolSize(2 * Runtime.getRuntime().availableProcessors() + 1);
            hc.setPoolName("storm");
            // the storm seeds and reads the first town (db/Towns sets it for the app's own pool)
            hc.setConnectionInitSql("select set_config('sesame.town', '1', false)");
            return new StormServer(
                    process,
                    dir,
                    baseUrl,
                    Long.parseLong(pid.get(0).trim()),
                    new HikariDataSource(hc),
                    true);
        } catch (Exception | Error e) {
            // nothing outlives a storm that could not start: the app's JVM and its embedded
            // PostgreSQL go too
            process.destroy();
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS))
                process.destroyForcibly();
            throw e;
        }
    }

    /**
     * An instance of the scale-out storm on {@code port}, on the storm's own PostgreSQL, once
     * /health/ready answers 200.
     */
    static StormServer startInstance(List<String> jvmOptions, int port, StormPostgres pg)
            throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("sesame-instance");
        Process process = launch(jvmOptions, port, dir, pg.jdbcUrl());
        try {
            String baseUrl = "http://localhost:" + port;
            awaitHealthy(process, baseUrl, dir);
            return new StormServer(
                    process, dir, baseUrl, pg.postmasterPid(), pg.dataSource(), false);
        } catch (Exception | Error e) {
            process.destroyForcibly().waitFor();
            throw e;
        }
    }

    /**
     * {@code java -cp <the app's classpath> fr.sesame.App} on this port; on an embedded PostgreSQL
     * when databaseUrl is null.
     */
    private static Process launch(List<String> jvmOptions, int port, Path dir, String databaseUrl)
            throws IOException {
        // the app's own classes and libraries, without the tests' (their logback-test.xml would
        // quiet the app)
        String classpath =
                Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                        .filter(
                                entry ->
                                        !entry.endsWith("test-classes")
                                                && !entry.endsWith("test-classes/"))
                        .collect(Collectors.joining(File.pathSeparator));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classpath, "fr.sesame.App"));
        ProcessBuilder builder =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(
                                ProcessBuilder.Redirect.appendTo(
                                        dir.resolve("server.log").toFile()));
        builder.environment()
                .keySet()
                .removeIf(
                        k ->
                                k.startsWith("DATABASE_")
                                        || k.startsWith("SMTP_")
                                        || k.startsWith("ENT_")
                                        || k.startsWith("SESAME_"));
        builder.environment().put("PORT", String.valueOf(port));
        builder.environment().put("SESAME_DATA_DIR", dir.toString());
        if (databaseUrl != null) {
            builder.environment().put("DATABASE_URL", databaseUrl);
            builder.environment().put("DATABASE_USER", "postgres");
        }
        return builder.start();
    }

    private static void awaitHealthy(Process process, String baseUrl, Path dir)
            throws InterruptedException {
        // /health/ready: what the load balancer asks (the same answer as /health)
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive())
                throw new IllegalStateException(
                        "the app stopped; see " + dir.resolve("server.log"));
            try {
                HttpResponse<Void> r =
                        client.send(
                                HttpRequest.newBuilder(URI.create(baseUrl + "/health/ready"))
                                        .build(),
                                HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) return;
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(
                "the app did not answer /health within 3 minutes; see "
                        + dir.resolve("server.log"));
    }

    String url(String path) {
        return baseUrl + path;
    }

    /** A Jdbi on the storm's pool, in the first town. */
    Jdbi jdbi() {
        return jdbi;
    }

    /**
     * A Jdbi in this town, as the app's role: under row-level security like the app, so that what
     * it reads is the town's and what it inserts lands there (the storm's own pool is the owner's,
     * who reads every town).
     */
    Jdbi jdbiIn(long town) {
        synchronized (this) {
            if (townPool == null) {
                HikariConfig hc = new HikariConfig();
                hc.setJdbcUrl(dataSource.getJdbcUrl());
                hc.setUsername(dataSource.getUsername());
                hc.setPassword(dataSource.getPassword());
                hc.setMaximumPoolSize(2);
                hc.setPoolName("storm-towns");
                hc.setConnectionInitSql("set role sesame_app");
                townPool = new HikariDataSource(hc);
            }
        }
        return Database.createJdbi(
                () -> {
                    java.sql.Connection c = townPool.getConnection();
                    try (java.sql.PreparedStatement st =
                            c.prepareStatement("select set_config('sesame.town', ?, false)")) {
                        st.setString(1, String.valueOf(town));
                        st.execute();
                        return c;
                    } catch (java.sql.SQLException | RuntimeException e) {
                        c.close();
                        throw e;
                    }
                });
    }

    HikariDataSource dataSource() {
        return dataSource;
    }

    long pid() {
        return process.pid();
    }

    /**
     * CPU time used so far, in ms: the web server's request threads, its whole JVM, the PostgreSQL
     * processes.
     */
    record Cpu(double webThreads, double serverJvm, double postgres) {
        Cpu minus(Cpu before) {
            return new Cpu(
                    webThreads - before.webThreads,
                    serverJvm - before.serverJvm,
                    postgres - before.postgres);
        }
    }

    Cpu cpu() {
        double web = 0;
        try (Stream<Path> tasks =
                Files.list(Path.of("/proc", String.valueOf(process.pid()), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    if (Files.readString(task.resolve("comm")).startsWith(WEB_THREAD_PREFIX))
                        web += ticks(task.resolve("stat"));
                } catch (IOException gone) {
                    // a thread that ended meanwhile
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc: this benchmark needs Linux", e);
        }
        double postgres =
                ProcessHandle.of(postmasterPid).stream()
                        .flatMap(p -> Stream.concat(Stream.of(p), p.descendants()))
                        .mapToDouble(
                                p -> ticksOrZero(Path.of("/proc", String.valueOf(p.pid()), "stat")))
                        .sum();
        double jvm = ticksOrZero(Path.of("/proc", String.valueOf(process.pid()), "stat"));
        double ms = 1000.0 / TICKS_PER_SECOND;
        return new Cpu(web * ms, jvm * ms, postgres * ms);
    }

    /** utime + stime, in clock ticks, of a /proc/.../stat file. */
    private static long ticks(Path stat) throws IOException {
        String s = Files.readString(stat);
        String[] fields = s.substring(s.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    private static long ticksOrZero(Path stat) {
        try {
            return ticks(stat);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /**
     * Deadlocks PostgreSQL has broken in this database so far (its statistics lag by up to a
     * second).
     */
    int deadlocks() {
        return jdbi.withHandle(
                h ->
                        h.createQuery(
                                        "select deadlocks from pg_stat_database where datname = current_database()")
                                .mapTo(Integer.class)
                                .one());
    }

    /**
     * Sessions holding more bookings than seats, and sessions whose counter differs from their
     * active bookings.
     */
    int[] overCapacityAndDrift() {
        return jdbi.withHandle(
                h ->
                        new int[] {
                            h.createQuery(
                                            "select count(*) from workshop_session where booked > capacity")
                                    .mapTo(Integer.class)
                                    .one(),
                            h.createQuery(
                                            """
                    select count(*) from workshop_session ws where ws.booked <>
                    (select count(*) from booking b where b.session_id = ws.id and b.status = 'active')""")
                                    .mapTo(Integer.class)
                                    .one()
                        });
    }

    /** Stops the app as a service manager would (SIGTERM: it drains, then stops its PostgreSQL). */
    @Override
    public void close() throws Exception {
        synchronized (this) {
            if (townPool != null) townPool.close();
        }
        if (ownsDatabase) dataSource.close();
        process.destroy();
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS))
            process.destroyForcibly().waitFor();
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }

    /**
     * SIGKILL, as a machine that dies: returns once the process is gone (false if it still shows
     * after 10 s).
     */
    boolean kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        return !ProcessHandle.of(process.pid()).map(ProcessHandle::isAlive).orElse(false);
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Ends the JVM without waiting for anything (the storm's shutdown hook). */
    void destroyNow() {
        process.destroyForcibly();
    }

    Path log() {
        return dataDir.resolve("server.log");
    }
}
