package fr.sesame.booking;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import fr.sesame.db.Database;
import fr.sesame.support.TestApp;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jdbi.v3.core.Jdbi;

/**
 * A PostgreSQL server from Debian's package (its binaries under /usr/lib/postgresql/VERSION/bin)
 * for the scale-out storm: a fresh cluster in a temporary folder, on a free port of localhost,
 * trusted local connections only; stopped and deleted by {@link #close}. As root, its programs run
 * as the package's user {@code postgres} (initdb refuses root).
 */
final class StormPostgres implements AutoCloseable {
    private final Path bin;
    private final Path dir;
    private final int port;
    private final boolean asPostgresUser;
    private HikariDataSource dataSource;
    private Jdbi jdbi;

    private StormPostgres(Path bin, Path dir, int port, boolean asPostgresUser) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.asPostgresUser = asPostgresUser;
    }

    /**
     * The newest installed server's binaries, or null when Debian's postgresql package is not
     * installed.
     */
    static Path binaries() {
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("pg_ctl")))
                    .max(
                            Comparator.comparingInt(
                                    b ->
                                            Integer.parseInt(
                                                    b.getParent()
                                                            .getFileName()
                                                            .toString()
                                                            .replaceAll("\\D", "0"))))
                    .orElse(null);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static StormPostgres start(Path bin) throws IOException, InterruptedException {
        boolean root = "root".equals(System.getProperty("user.name"));
        Path dir = Files.createTempDirectory("sesame-scaleout-pg");
        StormPostgres pg = new StormPostgres(bin, dir, TestApp.freePort(), root);
        try {
            if (root) pg.run(List.of("chown", "-R", "postgres:postgres", dir.toString()), false);
            pg.run(
                    List.of(
                            bin.resolve("initdb").toString(),
                            "-D",
                            dir.resolve("data").toString(),
                            "-U",
                            "postgres",
                            "--auth=trust",
                            "--encoding=UTF8",
                            "--locale=C.UTF-8"),
                    true);
            // the app's pools (two instances) and the storm's own, with room to spare; the socket
            // in our folder
            pg.run(
                    List.of(
                            bin.resolve("pg_ctl").toString(),
                            "-D",
                            dir.resolve("data").toString(),
                            "-w",
                            "-t",
                            "60",
                            "-l",
                            dir.resolve("postgres.log").toString(),
                            "-o",
                            "-p "
                                    + pg.port
                                    + " -k "
                                    + dir
                                    + " -c listen_addresses=localhost -c max_connections=100",
                            "start"),
                    true);
            pg.run(
                    List.of(
                            bin.resolve("createdb").toString(),
                            "-h",
                            "localhost",
                            "-p",
                            String.valueOf(pg.port),
                            "-U",
                            "postgres",
                            "sesame"),
                    true);
            HikariConfig hc = new HikariConfig();
            hc.setJdbcUrl(pg.jdbcUrl());
            hc.setUsername("postgres");
            hc.setMaximumPoolSize(2 * Runtime.getRuntime().availableProcessors() + 1);
            hc.setPoolName("storm");
            // the storm seeds and reads the first town (db/Towns sets it for the app's own pool)
            hc.setConnectionInitSql("select set_config('sesame.town', '1', false)");
            pg.dataSource = new HikariDataSource(hc);
            pg.jdbi = Database.createJdbi(pg.dataSource);
            return pg;
        } catch (IOException | InterruptedException | RuntimeException e) {
            pg.close();
            throw e;
        }
    }

    private void run(List<String> command, boolean asPostgres)
            throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asPostgres && asPostgresUser) full.addAll(List.of("runuser", "-u", "postgres", "--"));
        full.addAll(command);
        Process p =
                new ProcessBuilder(full)
                        .redirectErrorStream(true)
                        .redirectOutput(
                                ProcessBuilder.Redirect.appendTo(
                                        dir.resolve("commands.log").toFile()))
                        .start();
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException(
                    String.join(" ", command) + " did not end within 2 minutes");
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(
                    String.join(" ", command)
                            + " failed ("
                            + p.exitValue()
                            + "): "
                            + Files.readString(dir.resolve("commands.log")));
        }
    }

    String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/sesame";
    }

    Jdbi jdbi() {
        return jdbi;
    }

    HikariDataSource dataSource() {
        return dataSource;
    }

    /**
     * The postmaster's pid (the first line of its pid file), whose processes' CPU the storm reads.
     */
    long postmasterPid() {
        try {
            return Long.parseLong(
                    Files.readAllLines(dir.resolve("data").resolve("postmaster.pid"))
                            .get(0)
                            .trim());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stops the server at once (nothing here is worth a clean shutdown) and deletes its folder. */
    @Override
    public void close() {
        if (dataSource != null) dataSource.close();
        try {
            if (Files.exists(dir.resolve("data").resolve("postmaster.pid"))) {
                run(
                        List.of(
                                bin.resolve("pg_ctl").toString(),
                                "-D",
                                dir.resolve("data").toString(),
                                "-m",
                                "immediate",
                                "-w",
                                "stop"),
                        true);
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            System.err.println(
                    "could not stop the storm's PostgreSQL in " + dir + ": " + e.getMessage());
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException e) {
            System.err.println("could not delete " + dir + ": " + e.getMessage());
        }
    }
}
