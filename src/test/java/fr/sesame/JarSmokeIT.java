package fr.sesame;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The production jar as an operator gets it (run by failsafe after {@code package}): it starts as a
 * process on its embedded PostgreSQL, answers, stops cleanly on SIGTERM, and carries no test
 * tooling.
 */
class JarSmokeIT {
    private static Path jar;

    @BeforeAll
    static void findTheJar() {
        jar = Path.of(System.getProperty("sesame.jar", "target/sesame.jar"));
        assertThat(jar).as("run `mvn verify`: the jar is built by package").exists();
    }

    @Test
    void the_jar_starts_answers_and_stops_cleanly_on_sigterm() throws Exception {
        Path dataDir = Files.createTempDirectory("sesame-jar-smoke");
        int port = freePort();
        Started app = start(dataDir, port);
        try {
            app.waitForReady();
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> live =
                    http.send(get(port, "/health/live"), HttpResponse.BodyHandlers.ofString());
            assertThat(live.statusCode()).isEqualTo(200);
            assertThat(live.body()).isEqualTo("{\"status\":\"up\"}");
            HttpResponse<String> home =
                    http.send(get(port, "/"), HttpResponse.BodyHandlers.ofString());
            assertThat(home.statusCode()).isEqualTo(200);
            assertThat(home.body())
                    .contains("<html lang=\"fr\" dir=\"ltr\">", "Bienvenue sur Sésame");
            assertThat(dataDir.resolve("pg/postmaster.pid")).exists();

            // SIGTERM, as an operator's service manager sends it (Process.destroy would also close
            // our pipe)
            new ProcessBuilder("kill", "-TERM", String.valueOf(app.process.pid()))
                    .start()
                    .waitFor();
            assertThat(app.process.waitFor(15, TimeUnit.SECONDS)).as("exits within 15 s").isTrue();
            app.reader.join(5_000);
            // 143 = 128 + SIGTERM: the JVM's code after its shutdown hooks ran
            assertThat(app.process.exitValue()).as(app.output()).isEqualTo(143);
            assertThat(app.output())
                    .contains("event=shutdown", "event=stopped")
                    .doesNotContain("\tat ");
            assertThat(dataDir.resolve("pg/postmaster.pid"))
                    .as("embedded PostgreSQL stopped")
                    .doesNotExist();
        } finally {
            stop(app, dataDir);
        }
    }

    @Test
    void the_jar_started_in_demo_mode_says_how_to_get_the_demo_ent_it_does_not_carry()
            throws Exception {
        Path dataDir = Files.createTempDirectory("sesame-jar-demo");
        int port = freePort();
        Started app = start(dataDir, port, "--demo");
        try {
            app.waitForReady();
            HttpResponse<String> home =
                    HttpClient.newHttpClient()
                            .send(get(port, "/"), HttpResponse.BodyHandlers.ofString());
            assertThat(home.statusCode()).isEqualTo(200);
            app.waitForOutput("Stop it with Ctrl+C.");
            assertThat(app.output())
                    .contains(
                            "The demo ENT sign-in is not in this jar",
                            "-Pdemo package",
                            "java -jar target/sesame-demo.jar --demo",
                            "parent with a letter code")
                    .doesNotContain("\tat ", "NoClassDefFoundError");
        } finally {
            stop(app, dataDir);
        }
    }

    /**
     * Whatever a test's assertions said, nothing outlives it: the jar gets SIGTERM (its shutdown
     * stops its embedded PostgreSQL), then SIGKILL if it hangs, and a PostgreSQL its JVM left
     * behind is stopped through its postmaster.pid.
     */
    private static void stop(Started app, Path dataDir) throws Exception {
        if (app.process.isAlive()) {
            new ProcessBuilder("kill", "-TERM", String.valueOf(app.process.pid()))
                    .start()
                    .waitFor();
            if (!app.process.waitFor(15, TimeUnit.SECONDS)) app.process.destroyForcibly();
        }
        Path pid = dataDir.resolve("pg/postmaster.pid");
        if (Files.exists(pid)) {
            String postmaster = Files.readAllLines(pid).get(0).trim();
            // SIGINT: PostgreSQL's fast shutdown
            new ProcessBuilder("kill", "-INT", postmaster).start().waitFor();
        }
    }

    @Test
    void the_production_jar_carries_no_test_tooling() throws IOException {
        List<String> tooling = new ArrayList<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            file.stream()
                    .map(e -> e.getName())
                    .filter(
                            n ->
                                    n.startsWith("no/nav/")
                                            || n.startsWith("io/netty/")
                                            || n.startsWith("org/junit/")
                                            || n.startsWith("junit/")
                                            || n.startsWith("okhttp3/")
                                            || n.startsWith("org/hamcrest/")
                                            || n.startsWith("org/openqa/")
                                            || n.startsWith("com/icegreen/")
                                            || n.startsWith("org/assertj/"))
                    .limit(5)
                    .forEach(tooling::add);
            assertThat(file.getEntry("fr/sesame/App.class")).isNotNull();
        }
        assertThat(tooling).as("test tooling found in " + jar).isEmpty();
    }

    private record Started(Process process, Thread reader, ByteArrayOutputStream bytes, int port) {
        String output() {
            synchronized (bytes) {
                return bytes.toString(StandardCharsets.UTF_8);
            }
        }

        void waitForReady() throws Exception {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            long deadline = System.currentTimeMillis() + 120_000;
            while (System.currentTimeMillis() < deadline && process.isAlive()) {
                try {
                    HttpResponse<String> ready =
                            http.send(
                                    get(port, "/health/ready"),
                                    HttpResponse.BodyHandlers.ofString());
                    if (ready.statusCode() == 200) {
                        assertThat(ready.body())
                                .isEqualTo("{\"status\":\"up\",\"database\":\"up\"}");
                        return;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                Thread.sleep(250);
            }
            throw new AssertionError("the jar was not ready within 120 s:\n" + output());
        }

        void waitForOutput(String text) throws InterruptedException {
            // the banner is printed just after the server starts answering
            for (int i = 0; i < 50 && !output().contains(text); i++) Thread.sleep(100);
        }
    }

    private static Started start(Path dataDir, int port, String... args) throws IOException {
        List<String> command =
                new ArrayList<>(
                        List.of(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-jar",
                                jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment()
                .keySet()
                .removeIf(
                        k ->
                                k.startsWith("DATABASE_")
                                        || k.startsWith("SESAME_")
                                        || k.startsWith("ENT_")
                                        || k.equals("PORT")
                                        || k.equals("HOST"));
        pb.environment().put("SESAME_DATA_DIR", dataDir.toString());
        pb.environment().put("PORT", String.valueOf(port));
        pb.environment().put("HOST", "127.0.0.1");
        Process process = pb.start();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Thread reader =
                new Thread(
                        () -> {
                            byte[] buffer = new byte[8192];
                            try (var in = process.getInputStream()) {
                                for (int n; (n = in.read(buffer)) > 0; ) {
                                    synchronized (bytes) {
                                        bytes.write(buffer, 0, n);
                                    }
                                }
                            } catch (IOException ignored) {
                                // the process ended
                            }
                        },
                        "jar-smoke-output");
        reader.start();
        return new Started(process, reader, bytes, port);
    }

    private static HttpRequest get(int port, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .build();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
