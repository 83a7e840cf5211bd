package fr.sesame.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.sesame.support.TestApp;
import fr.sesame.support.TestDatabase;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Starts Sésame as its own process with LOG_FORMAT=json, as an operator would, and reads what it
 * writes.
 */
class JsonLogTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpResponse<String> get(int port, String path, String... headers) throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(10))
                        .header("Accept", "text/html");
        if (headers.length > 0) b.headers(headers);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void json_logs_are_one_parseable_object_a_line_with_the_request_id_the_answer_carried()
            throws Exception {
        int port = TestApp.freePort();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb =
                new ProcessBuilder(
                                java, "-cp", System.getProperty("java.class.path"), "fr.sesame.App")
                        .redirectErrorStream(true);
        pb.environment()
                .keySet()
                .removeIf(
                        k ->
                                k.startsWith("DATABASE_")
                                        || k.startsWith("SESAME_")
                                        || k.equals("PORT"));
        pb.environment().putAll(TestDatabase.freshDatabaseEnv());
        pb.environment().put("PORT", String.valueOf(port));
        pb.environment().put("LOG_FORMAT", "json");
        pb.environment().put("TRUSTED_PROXIES", "127.0.0.1");
        Process p = pb.start();
        List<String> output = new CopyOnWriteArrayList<>();
        Thread reader =
                new Thread(
                        () -> {
                            try (BufferedReader r =
                                    new BufferedReader(
                                            new InputStreamReader(
                                                    p.getInputStream(), StandardCharsets.UTF_8))) {
                                for (String line; (line = r.readLine()) != null; ) output.add(line);
                            } catch (java.io.IOException ignored) {
                                // the process ended
                            }
                        });
        reader.start();
        try {
            long deadline = System.currentTimeMillis() + 60_000;
            while (output.stream().noneMatch(l -> l.contains("event=started"))
                    && System.currentTimeMillis() < deadline) {
                assertThat(p.isAlive()).as(String.join("\n", output)).isTrue();
                Thread.sleep(100);
            }
            HttpResponse<String> home = get(port, "/?code=K7M49PQX");
            String generated = home.headers().firstValue("X-Request-Id").orElseThrow();
            // the trusted proxy's well-formed id is kept; a malformed one is replaced
            HttpResponse<String> missing = get(port, "/missing", "X-Request-Id", "proxy-req-0001");
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.headers().firstValue("X-Request-Id")).contains("proxy-req-0001");
            assertThat(missing.body()).contains("Référence\u00a0: proxy-req-0001");
            HttpResponse<String> forged = get(port, "/health/live", "X-Request-Id", "bad id\"}{");
            String replaced = forged.headers().firstValue("X-Request-Id").orElseThrow();
            assertThat(replaced).matches("[0-9a-f]{16}");

            deadline = System.currentTimeMillis() + 10_000;
            while (requestLines(output).size() < 3 && System.currentTimeMillis() < deadline)
                Thread.sleep(50);
            List<JsonNode> requests = requestLines(output);
            assertThat(requests).hasSize(3);
            JsonNode first = requests.get(0);
            assertThat(first.get("requestId").asText()).isEqualTo(generated);
            assertThat(first.get("method").asText()).isEqualTo("GET");
            assertThat(first.get("route").asText()).isEqualTo("/");
            assertThat(first.get("status").asInt()).isEqualTo(200);
            assertThat(first.get("durationMs").isNumber()).isTrue();
            assertThat(first.get("actor").asText()).isEqualTo("anonymous");
            assertThat(first.get("level").asText()).isEqualTo("INFO");
            assertThat(first.get("time").asText()).endsWith("Z");
            assertThat(requests.get(1).get("requestId").asText()).isEqualTo("proxy-req-0001");
            assertThat(requests.get(1).get("route").asText()).isEqualTo("unmatched");
            assertThat(requests.get(2).get("requestId").asText()).isEqualTo(replaced);
            assertThat(String.join("\n", output)).doesNotContain("K7M49PQX");
        } finally {
            p.destroy();
            if (!p.waitFor(15, TimeUnit.SECONDS)) p.destroyForcibly();
            reader.join(5_000);
        }
        // Every line the app wrote, start-up and shutdown included, is one JSON object.
        List<String> notJson = new ArrayList<>();
        for (String line : output) {
            // the console banner for people (README's first command) is plain text on purpose; a
            // log line never is
            if (line.matches("\\d{4}-\\d{2}-\\d{2}T.*")) notJson.add(line);
            if (line.isBlank() || !line.startsWith("{")) continue;
            try {
                JSON.readTree(line);
            } catch (Exception e) {
                notJson.add(line);
            }
        }
        assertThat(notJson).isEmpty();
        assertThat(output.stream().filter(l -> l.startsWith("{")).count()).isGreaterThan(3);
    }

    private static List<JsonNode> requestLines(List<String> output) {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : output) {
            if (!line.startsWith("{")) continue;
            try {
                JsonNode node = JSON.readTree(line);
                if ("request".equals(node.path("logger").asText())) lines.add(node);
            } catch (Exception ignored) {
                // checked at the end
            }
        }
        return lines;
    }
}
