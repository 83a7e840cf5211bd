package fr.sesame;

import static org.assertj.core.api.Assertions.assertThat;

import fr.sesame.support.TestApp;
import fr.sesame.support.TestDatabase;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Starts Sésame as its own process, as the README's command does, and checks what an operator sees.
 */
class AppProcessTest {

    record Outcome(int exitCode, String output, long millis) {}

    private static ProcessBuilder sesame(Map<String, String> env, String... args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command =
                new java.util.ArrayList<>(
                        List.of(
                                java,
                                "-cp",
                                System.getProperty("java.class.path"),
                                "fr.sesame.App"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment()
                .keySet()
                .removeIf(
                        k ->
                                k.startsWith("DATABASE_")
                                        || k.startsWith("SESAME_")
                                        || k.equals("PORT"));
        pb.environment().putAll(env);
        return pb;
    }

    private static Outcome runToEnd(Map<String, String> env, String... args) throws Exception {
        long start = System.currentTimeMillis();
        Process p = sesame(env, args).start();
        boolean ended = p.waitFor(20, TimeUnit.SECONDS);
        if (!ended) p.destroyForcibly();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Outcome(ended ? p.exitValue() : -1, out, System.currentTimeMillis() - start);
    }

    private static void assertClearFailure(Outcome o, String expected) {
        assertThat(o.exitCode()).as(o.output()).isEqualTo(1);
        assertThat(o.millis()).isLessThan(15_000);
        assertThat(o.output()).contains("Sésame cannot start: ").contains(expected);
        assertThat(o.output()).doesNotContain("\tat ", "Exception in thread");
    }

    @Test
    void a_malformed_database_url_is_refused_with_one_clear_line() throws Exception {
        Outcome o = runToEnd(Map.of("DATABASE_URL", "mysql://nope", "PORT", "0"));
        assertClearFailure(o, "DATABASE_URL must look like jdbc:postgresql://");
    }

    @Test
    void an_unreachable_database_is_reported_within_15_seconds() throws Exception {
        int closedPort = TestApp.freePort();
        Outcome o =
                runToEnd(
                        Map.of(
                                "DATABASE_URL",
                                "jdbc:postgresql://127.0.0.1:" + closedPort + "/sesame",
                                "PORT",
                                "0"));
        assertClearFailure(o, "Cannot connect to the PostgreSQL server of DATABASE_URL");
    }

    @Test
    void a_port_in_use_is_reported_clearly() throws Exception {
        try (ServerSocket busy = new ServerSocket(0)) {
            Map<String, String> env = new HashMap<>(TestDatabase.freshDatabaseEnv());
            env.put("PORT", String.valueOf(busy.getLocalPort()));
            Outcome o = runToEnd(env);
            assertClearFailure(o, "Port " + busy.getLocalPort() + " is already in use");
        }
    }

    @Test
    void an_unwritable_data_directory_is_reported_clearly() throws Exception {
        Path file = Files.createTempFile("not-a-dir", ".txt");
        Outcome o =
                runToEnd(Map.of("SESAME_DATA_DIR", file.resolve("data").toString(), "PORT", "0"));
        assertClearFailure(o, "cannot be written to");
    }

    @Test
    void a_bad_port_is_reported_clearly() throws Exception {
        assertClearFailure(runToEnd(Map.of("PORT", "eighty")), "PORT must be a number");
    }

    @Test
    void migrate_applies_the_migrations_and_exits() throws Exception {
        Outcome o = runToEnd(TestDatabase.freshDatabaseEnv(), "migrate");
        assertThat(o.exitCode()).as(o.output()).isZero();
        // every file of migrations/ (each feature adds its own)
        long migrations;
        try (var files = java.nio.file.Files.list(java.nio.file.Path.of("migrations"))) {
            migrations =
                    files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql"))
                            .count();
        }
        assertThat(o.output()).contains("Migrations applied: " + migrations + ".");
    }

    @Test
    void create_token_prints_a_token_that_the_api_accepts_and_create_admin_makes_an_admin()
            throws Exception {
        Map<String, String> env = new HashMap<>(TestDatabase.freshDatabaseEnv());
        Outcome token = runToEnd(env, "create-token", "Inventaire", "--scope", "it");
        assertThat(token.exitCode()).as(token.output()).isZero();
        String printed =
                token.output().lines().filter(l -> l.startsWith("ses_")).findFirst().orElseThrow();

        env.put("ADMIN_PASSWORD", "cli-admin-password");
        Outcome admin = runToEnd(env, "create-admin", "cli.admin@ville.fr");
        assertThat(admin.exitCode()).as(admin.output()).isZero();
        assertThat(admin.output()).contains("Admin account ready: cli.admin@ville.fr");

        env.remove("ADMIN_PASSWORD");
        try (TestApp app = TestApp.startWithEnv(env)) {
            HttpResponse<String> me =
                    app.client().get("/api/v1/me", "Authorization", "Bearer " + printed);
            assertThat(me.statusCode()).isEqualTo(200);
            assertThat(me.body()).contains("Inventaire", "\"it\"");
            fr.sesame.support.SignIn.staff(app, "cli.admin@ville.fr", "cli-admin-password");
        }
        Outcome bad = runToEnd(env, "create-token", "X", "--scope", "everything");
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.output()).contains("Usage: create-token NAME --scope read|it|admin");
    }

    @Test
    void purge_returned_applies_the_retention_rule_and_exits() throws Exception {
        Outcome o = runToEnd(TestDatabase.freshDatabaseEnv(), "purge-returned");
        assertThat(o.exitCode()).as(o.output()).isZero();
        assertThat(o.output())
                .contains("Families deleted (devices returned more than 365 days ago): 0.");
    }

    @Test
    void sigterm_stops_the_app_and_its_embedded_database_within_10_seconds() throws Exception {
        Path dataDir = Files.createTempDirectory("sesame-sigterm");
        int port = TestApp.freePort();
        Process p =
                sesame(
                                Map.of(
                                        "SESAME_DATA_DIR",
                                        dataDir.toString(),
                                        "PORT",
                                        String.valueOf(port)),
                                "--demo")
                        .start();
        try {
            startThenSigterm(p, port, dataDir);
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void after_a_kill_9_the_next_start_stops_the_orphaned_database_and_comes_up_quickly()
            throws Exception {
        Path dataDir = Files.createTempDirectory("sesame-kill9");
        Map<String, String> env =
                Map.of(
                        "SESAME_DATA_DIR",
                        dataDir.toString(),
                        "PORT",
                        String.valueOf(TestApp.freePort()));
        Process first = sesame(env).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long orphan;
        long firstStart = System.currentTimeMillis();
        try {
            assertThat(waitForHealth(Integer.parseInt(env.get("PORT")), 90_000)).isEqualTo(200);
            firstStart = System.currentTimeMillis() - firstStart;
            orphan =
                    Long.parseLong(
                            Files.readAllLines(dataDir.resolve("pg/postmaster.pid")).get(0).trim());
        } finally {
            first.destroyForcibly(); // SIGKILL: no shutdown hook runs
        }
        assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive))
                .as("the database outlives its app")
                .contains(true);

        int port = TestApp.freePort();
        Map<String, String> again =
                Map.of("SESAME_DATA_DIR", dataDir.toString(), "PORT", String.valueOf(port));
        long start = System.currentTimeMillis();
        Process second = sesame(again).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            assertThat(waitForHealth(port, 90_000)).isEqualTo(200);
            long millis = System.currentTimeMillis() - start;
            // before, it failed after 32 s; the machine's load decides the rest, so compare with
            // the first start
            assertThat(millis)
                    .as("up in %d ms, the first start took %d ms", millis, firstStart)
                    .isLessThan(firstStart + 10_000);
            assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false))
                    .as("the orphan stopped")
                    .isFalse();
            new ProcessBuilder("kill", "-TERM", String.valueOf(second.pid())).start().waitFor();
            assertThat(second.waitFor(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            second.destroyForcibly();
        }
        assertThat(dataDir.resolve("pg/postmaster.pid")).doesNotExist();
    }

    /** The status of /health once it answers, or 0 after the time given. */
    private static int waitForHealth(int port, long maxMillis) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.currentTimeMillis() + maxMillis;
        while (System.currentTimeMillis() < deadline) {
            try {
                int status =
                        http.send(
                                        HttpRequest.newBuilder(
                                                        URI.create(
                                                                "http://localhost:"
                                                                        + port
                                                                        + "/health"))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString())
                                .statusCode();
                if (status == 200) return status;
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        return 0;
    }

    private static void startThenSigterm(Process p, int port, Path dataDir) throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        Thread reader =
                new Thread(
                        () -> {
                            try {
                                p.getInputStream().transferTo(bytes);
                            } catch (IOException ignored) {
                                // the process ended
                            }
                        });
        reader.start();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        int status = 0;
        for (int i = 0; i < 120 && status != 200; i++) {
            try {
                status =
                        http.send(
                                        HttpRequest.newBuilder(
                                                        URI.create(
                                                                "http://localhost:"
                                                                        + port
                                                                        + "/health"))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString())
                                .statusCode();
            } catch (IOException notYet) {
                Thread.sleep(500);
            }
        }
        assertThat(status).as(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(200);
        Thread.sleep(200);
        {
            assertThat(bytes.toString(StandardCharsets.UTF_8))
                    .contains(
                            "Sésame is running: open http://localhost:" + port + "/",
                            "admin@demo.sesame.test");
        }
        assertThat(dataDir.resolve("pg/postmaster.pid")).exists();

        long start = System.currentTimeMillis();
        // Process.destroy() would also close our end of its output, so send SIGTERM as an operator
        // would.
        new ProcessBuilder("kill", "-TERM", String.valueOf(p.pid())).start().waitFor();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).as("exits within 10 s").isTrue();
        assertThat(System.currentTimeMillis() - start).isLessThan(10_000);
        reader.join(5_000);
        assertThat(dataDir.resolve("pg/postmaster.pid"))
                .as("embedded PostgreSQL stopped")
                .doesNotExist();
        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .as("exit code " + p.exitValue())
                .contains("event=shutdown", "event=stopped");
    }
}
