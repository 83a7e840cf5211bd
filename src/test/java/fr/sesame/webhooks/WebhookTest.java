package fr.sesame.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import fr.sesame.demo.DemoSeed;
import fr.sesame.support.Http;
import fr.sesame.support.SignIn;
import fr.sesame.support.Sql;
import fr.sesame.support.TestApp;
import fr.sesame.support.TestDatabase;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Signed webhooks: the URL rule, deliveries to a real local HTTP server, retries while it is down,
 * the page.
 */
class WebhookTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Pattern SECRET = Pattern.compile("whsec_[A-Za-z0-9_-]{43}");
    static Map<String, String> env;
    static TestApp app;

    /** What the receiving server got: headers and body of each POST. */
    record Received(Map<String, String> headers, String body) {}

    @BeforeAll
    static void start() {
        env = new HashMap<>(TestDatabase.freshDatabaseEnv());
        env.put("WEBHOOK_POLL_MS", "100");
        env.put("WEBHOOK_RETRY_MS", "200");
        app = TestApp.startWithEnv(env);
        new DemoSeed(app.jdbi()).seed();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private static HttpServer receiver(int port, List<Received> received) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext(
                "/hook",
                exchange -> {
                    Map<String, String> headers = new LinkedHashMap<>();
                    exchange.getRequestHeaders()
                            .forEach((k, v) -> headers.put(k.toLowerCase(), v.get(0)));
                    headers.put(":method", exchange.getRequestMethod());
                    String body =
                            new String(
                                    exchange.getRequestBody().readAllBytes(),
                                    StandardCharsets.UTF_8);
                    received.add(new Received(headers, body));
                    exchange.sendResponseHeaders(204, -1);
                    exchange.close();
                });
        server.start();
        return server;
    }

    private static HttpResponse<String> register(Http admin, String url) {
        admin.get("/admin/webhooks");
        return admin.postForm("/admin/webhooks", Map.of("url", url));
    }

    @Test
    void the_address_must_be_https_or_this_machine_and_is_checked_when_saved() {
        Http admin = SignIn.admin(app);
        Map<String, String> refused =
                Map.of(
                        "",
                        "Écrivez l'adresse",
                        "http://informatique.ville.fr/sesame",
                        "doit commencer par https://",
                        "ftp://informatique.ville.fr/sesame",
                        "pas une adresse web complète",
                        "https//oubli",
                        "pas une adresse web complète",
                        "https://moi:secret@informatique.ville.fr/x",
                        "ni nom d'utilisateur",
                        "https://informatique.ville.fr/" + "x".repeat(2000),
                        "trop longue");
        int before = Sql.count(app.jdbi(), "select count(*) from webhook_endpoint");
        int audited =
                Sql.count(
                        app.jdbi(),
                        "select count(*) from audit_log where entity = 'webhook_endpoint'");
        refused.forEach(
                (url, message) -> {
                    HttpResponse<String> r = register(admin, url);
                    assertThat(r.statusCode()).as(url).isEqualTo(400);
                    assertThat(r.body()).as(url).contains(message);
                });
        assertThat(Sql.count(app.jdbi(), "select count(*) from webhook_endpoint"))
                .isEqualTo(before);

        HttpResponse<String> ok = register(admin, "https://informatique.ville.fr/sesame");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.headers().firstValue("Cache-Control").orElse("")).isEqualTo("no-store");
        Matcher secret = SECRET.matcher(ok.body());
        assertThat(secret.find()).isTrue();
        // shown once
        String page = admin.get("/admin/webhooks").body();
        assertThat(page)
                .contains("https://informatique.ville.fr/sesame")
                .doesNotContain(secret.group());
        assertThat(register(admin, "http://localhost:9/hook").statusCode()).isEqualTo(200);
        assertThat(register(admin, "http://127.0.0.1:9/hook").statusCode()).isEqualTo(200);

        long id =
                Sql.count(
                        app.jdbi(),
                        "select id from webhook_endpoint where url = 'https://informatique.ville.fr/sesame'");
        admin.get("/admin/webhooks");
        assertThat(admin.postForm("/admin/webhooks/" + id + "/delete", Map.of()).statusCode())
                .isEqualTo(302);
        assertThat(admin.postForm("/admin/webhooks/" + id + "/delete", Map.of()).statusCode())
                .isEqualTo(404);
        assertThat(admin.postForm("/admin/webhooks/abc/delete", Map.of()).statusCode())
                .isEqualTo(404);
        // without the CSRF token nothing is saved
        assertThat(
                        admin.post("/admin/webhooks", Map.of("url", "https://autre.ville.fr/x"))
                                .statusCode())
                .isEqualTo(403);
        assertThat(
                        Sql.count(
                                app.jdbi(),
                                "select count(*) from webhook_endpoint where url like 'https://%'"))
                .isZero();
        assertThat(
                        Sql.count(
                                app.jdbi(),
                                "select count(*) from audit_log where entity = 'webhook_endpoint'"))
                .isEqualTo(audited + 4);
        app.jdbi().useHandle(h -> h.execute("delete from webhook_endpoint"));
    }

    /** The education service's decision on a family's device, over HTTP: grant, revoke or rule. */
    private static void decide(Http admin, int family, String decision) {
        long device =
                Sql.count(
                        app.jdbi(),
                        "select min(d.id) from device d join child c on c.id = d.child_id "
                                + "join family f on f.id = c.family_id where f.reference = '"
                                + String.format("DEMO-%03d", family)
                                + "'");
        admin.get("/admin/devices/" + device);
        HttpResponse<String> r =
                admin.postForm(
                        "/admin/devices/" + device + "/home-use",
                        Map.of("decision", decision, "reason", "Test " + decision));
        assertThat(r.statusCode()).as(r.body()).isLessThan(400);
    }

    private static void waitFor(String what, BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!condition.getAsBoolean()) {
            assertThat(System.currentTimeMillis()).as("waiting for " + what).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static String hmac(String secret, String data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256="
                + HexFormat.of().formatHex(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void each_change_arrives_once_signed_and_in_order_per_device_even_after_the_receiver_was_down()
            throws Exception {
        int port = TestApp.freePort();
        List<Received> received = new CopyOnWriteArrayList<>();
        HttpServer server = receiver(port, received);
        Http admin = SignIn.admin(app);
        HttpResponse<String> created = register(admin, "http://127.0.0.1:" + port + "/hook");
        Matcher m = SECRET.matcher(created.body());
        assertThat(m.find()).as(created.body()).isTrue();
        String secret = m.group();

        decide(admin, 11, "grant");
        decide(admin, 12, "grant");
        decide(admin, 13, "grant");
        waitFor("three deliveries", () -> received.size() == 3);

        server.stop(0);
        // While the receiver is down: a device goes home and back, others change too.
        decide(admin, 14, "grant");
        decide(admin, 14, "revoke");
        decide(admin, 11, "revoke");
        decide(admin, 15, "grant");
        decide(admin, 14, "grant");
        waitFor(
                "attempts that failed",
                () ->
                        Sql.count(
                                        app.jdbi(),
                                        "select count(*) from webhook_delivery where status <> 'delivered' and attempts >= 3")
                                > 0);
        String failing = admin.get("/admin/webhooks").body();
        assertThat(failing)
                .contains("Envois en échec", "Connect", "CHN-0015")
                .doesNotContain("webhooks-no-failure");

        // Back up, with a second app instance sharing the outbox: still each delivery once, in
        // order per device.
        TestApp second = TestApp.startWithEnv(env);
        try {
            HttpServer again = receiver(port, received);
            try {
                waitFor("every delivery", () -> received.size() == 8);
                Thread.sleep(1_000);
                assertThat(received).hasSize(8);
            } finally {
                again.stop(0);
            }
        } finally {
            second.close();
        }
        server.stop(0);

        List<String> ids = new ArrayList<>();
        Map<String, List<String>> byDevice = new LinkedHashMap<>();
        Map<String, Long> lastSequence = new HashMap<>();
        for (Received r : received) {
            assertThat(r.headers())
                    .containsEntry(":method", "POST")
                    .containsEntry("x-sesame-event", "device.home_use");
            assertThat(r.headers().get("content-type")).startsWith("application/json");
            String timestamp = r.headers().get("x-sesame-timestamp");
            assertThat(Math.abs(Long.parseLong(timestamp) - System.currentTimeMillis() / 1000))
                    .isLessThan(120);
            assertThat(r.headers().get("x-sesame-signature"))
                    .isEqualTo(hmac(secret, timestamp + "." + r.body()));
            JsonNode body = JSON.readTree(r.body());
            assertThat(body.get("deliveryId").asText())
                    .isEqualTo(r.headers().get("x-sesame-delivery"));
            ids.add(body.get("deliveryId").asText());
            String tag = body.get("assetTag").asText();
            long sequence = body.get("sequence").asLong();
            assertThat(sequence)
                    .as("order of " + tag)
                    .isGreaterThan(lastSequence.getOrDefault(tag, 0L));
            lastSequence.put(tag, sequence);
            byDevice.computeIfAbsent(tag, t -> new ArrayList<>())
                    .add(body.get("homeUse").asBoolean() + "/" + body.get("reason").asText());
        }
        assertThat(ids).doesNotHaveDuplicates();
        // families 11 to 15 hold CHN-0012 to CHN-0016 (family 8 has two devices)
        assertThat(byDevice)
                .containsEntry(
                        "CHN-0015",
                        List.of("true/admin_grant", "false/admin_revoke", "true/admin_grant"))
                .containsEntry("CHN-0013", List.of("true/admin_grant"))
                .containsEntry("CHN-0012", List.of("true/admin_grant", "false/admin_revoke"));
        JsonNode first = JSON.readTree(received.get(0).body());
        assertThat(first.get("school").asText()).matches("\\d{7}[A-Z]");
        assertThat(first.has("child")).isFalse();
        assertThat(
                        Sql.count(
                                app.jdbi(),
                                "select count(*) from webhook_delivery where status = 'delivered'"))
                .isEqualTo(8);

        String page = admin.get("/admin/webhooks").body();
        assertThat(page).contains("id=\"webhooks-no-failure\"", "CHN-0015", ids.get(7), "reçu le");
    }
}
