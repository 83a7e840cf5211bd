package fr.sesame.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import fr.sesame.audit.Actor;
import fr.sesame.auth.StaffAccounts;
import fr.sesame.support.SignIn;
import fr.sesame.support.TestApp;
import fr.sesame.web.WebApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document of /api/v1 against the route table and against the real answers of the real
 * app.
 */
class ApiDocumentTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SchemaRegistry SCHEMAS =
            SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    static TestApp app;
    static JsonNode doc;
    static String read;
    static String it;
    static String admin;
    static final List<String> checked = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        app = SignIn.demoApp();
        read = new StaffAccounts(app.jdbi()).createToken(Actor.COMMAND_LINE, "doc read", "read");
        it = new StaffAccounts(app.jdbi()).createToken(Actor.COMMAND_LINE, "doc it", "it");
        admin = new StaffAccounts(app.jdbi()).createToken(Actor.COMMAND_LINE, "doc admin", "admin");
        HttpResponse<String> served = app.client().get("/api/v1/openapi.json");
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.headers().firstValue("Content-Type").orElse(""))
                .startsWith("application/json");
        doc = JSON.readTree(served.body());
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void the_document_is_openapi_3_1_and_lists_exactly_the_api_routes_of_the_route_table() {
        assertThat(doc.path("openapi").asText()).isEqualTo("3.1.0");
        Set<String> table = new TreeSet<>();
        for (WebApp.Route route : WebApp.routes(app.app().web())) {
            if (route.path().startsWith("/api/v1/")) table.add(route.method() + " " + route.path());
        }
        Set<String> documented = new TreeSet<>();
        for (Iterator<String> paths = doc.path("paths").fieldNames(); paths.hasNext(); ) {
            String path = paths.next();
            for (Iterator<String> methods = doc.path("paths").path(path).fieldNames();
                    methods.hasNext(); ) {
                documented.add(methods.next().toUpperCase() + " " + path);
            }
        }
        assertThat(table).hasSizeGreaterThan(6);
        assertThat(documented).isEqualTo(table);
    }

    @Test
    void the_real_answers_of_every_api_route_match_the_documented_status_and_schema()
            throws Exception {
        String future =
                OffsetDateTime.now(ZoneOffset.ofHours(1))
                        .plusDays(20)
                        .withHour(17)
                        .withMinute(30)
                        .withSecond(0)
                        .withNano(0)
                        .toString();
        call("GET", "/api/v1/me", "/api/v1/me", read, null, 200);
        call("GET", "/api/v1/sessions", "/api/v1/sessions", read, null, 200);
        call(
                "GET",
                "/api/v1/sessions?school=0211234A&from=2026-01-01&to=2026-12-31",
                "/api/v1/sessions",
                read,
                null,
                200);
        call("GET", "/api/v1/sessions?school=9999999Z", "/api/v1/sessions", read, null, 404);
        call("GET", "/api/v1/sessions?from=yesterday", "/api/v1/sessions", read, null, 400);
        call("GET", "/api/v1/sessions", "/api/v1/sessions", null, null, 401);
        call("GET", "/api/v1/sessions", "/api/v1/sessions", it, null, 403);
        call(
                "POST",
                "/api/v1/sessions",
                "/api/v1/sessions",
                admin,
                "{\"workshop\":\"premiers-pas\",\"school\":\"0211234A\","
                        + "\"room\":\"Salle informatique\",\"start\":\""
                        + future
                        + "\",\"capacity\":6}",
                201);
        call(
                "POST",
                "/api/v1/sessions",
                "/api/v1/sessions",
                admin,
                "{\"workshop\":\"premiers-pas\",\"school\":\"0211234A\","
                        + "\"room\":\"Salle informatique\",\"start\":\""
                        + future
                        + "\",\"capacity\":0}",
                400);
        call("POST", "/api/v1/sessions", "/api/v1/sessions", admin, "not json", 400);
        call("POST", "/api/v1/sessions", "/api/v1/sessions", read, "{}", 403);
        call("GET", "/api/v1/devices", "/api/v1/devices", it, null, 200);
        call(
                "GET",
                "/api/v1/devices?homeUse=false&changedSince=2020-01-01T00:00:00Z",
                "/api/v1/devices",
                it,
                null,
                200);
        call("GET", "/api/v1/devices?homeUse=maybe", "/api/v1/devices", it, null, 400);
        call("GET", "/api/v1/device-changes?limit=5", "/api/v1/device-changes", it, null, 200);
        call(
                "GET",
                "/api/v1/device-changes?cursor=nonsense",
                "/api/v1/device-changes",
                it,
                null,
                400);
        call("GET", "/api/v1/device-changes?limit=0", "/api/v1/device-changes", admin, null, 400);
        call("GET", "/api/v1/devices/CHN-0001", "/api/v1/devices/{assetTag}", it, null, 200);
        call("GET", "/api/v1/devices/NOPE-0000", "/api/v1/devices/{assetTag}", it, null, 404);
        call("GET", "/api/v1/devices/CHN-0001", "/api/v1/devices/{assetTag}", read, null, 403);
        call("GET", "/api/v1/register.csv", "/api/v1/register.csv", it, null, 200);
        call("GET", "/api/v1/openapi.json", "/api/v1/openapi.json", null, null, 200);
        // every documented operation was called at least once
        Set<String> operations = new TreeSet<>();
        doc.path("paths")
                .fields()
                .forEachRemaining(
                        p ->
                                p.getValue()
                                        .fieldNames()
                                        .forEachRemaining(
                                                m ->
                                                        operations.add(
                                                                m.toUpperCase()
                                                                        + " "
                                                                        + p.getKey())));
        assertThat(new TreeSet<>(checked)).isEqualTo(operations);
    }

    @Test
    void a_body_that_breaks_the_schema_is_caught_by_the_check() {
        // The check itself can fail: a device without its home use, and an unknown field, are
        // refused.
        Schema device = schema(JSON.createObjectNode().put("$ref", "#/components/schemas/Device"));
        assertThat(
                        device.validate(
                                "{\"assetTag\":\"X\",\"serial\":\"Y\",\"child\":null,\"school\":null,"
                                        + "\"since\":\"2026-01-01T00:00:00Z\",\"reason\":\"in_stock\"}",
                                InputFormat.JSON))
                .isNotEmpty();
        assertThat(
                        device.validate(
                                "{\"assetTag\":\"X\",\"serial\":\"Y\",\"child\":null,\"school\":null,\"homeUse\":false,"
                                        + "\"since\":\"2026-01-01T00:00:00Z\",\"reason\":\"in_stock\",\"secret\":1}",
                                InputFormat.JSON))
                .isNotEmpty();
        assertThat(
                        device.validate(
                                "{\"assetTag\":\"X\",\"serial\":\"Y\",\"child\":null,\"school\":null,\"homeUse\":false,"
                                        + "\"since\":\"2026-01-01T00:00:00Z\",\"reason\":\"in_stock\"}",
                                InputFormat.JSON))
                .isEmpty();
    }

    /**
     * Calls the real route, then checks its status is documented and its body matches the
     * documented schema.
     */
    private static void call(
            String method,
            String url,
            String documentedPath,
            String token,
            String body,
            int expected)
            throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(app.url(url)))
                        .header("Accept", "application/json");
        if (token != null) b.header("Authorization", "Bearer " + token);
        if (body != null) b.header("Content-Type", "application/json");
        b.method(
                method,
                body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r =
                HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
        String what = method + " " + url + " -> " + r.statusCode() + " " + r.body();
        assertThat(r.statusCode()).as(what).isEqualTo(expected);
        JsonNode operation = doc.path("paths").path(documentedPath).path(method.toLowerCase());
        assertThat(operation.isObject()).as(method + " " + documentedPath + " documented").isTrue();
        JsonNode response = operation.path("responses").path(String.valueOf(expected));
        if (response.has("$ref")) response = resolve(response.get("$ref").asText());
        assertThat(response.isObject()).as(what + ": status documented").isTrue();
        String type = r.headers().firstValue("Content-Type").orElse("").split(";")[0].trim();
        JsonNode content = response.path("content").path(type);
        assertThat(content.isObject()).as(what + ": content type " + type + " documented").isTrue();
        if (type.equals("application/json")) {
            List<com.networknt.schema.Error> errors =
                    schema(content.path("schema")).validate(r.body(), InputFormat.JSON);
            assertThat(errors).as(what).isEmpty();
        } else {
            assertThat(r.body()).as(what).isNotEmpty();
        }
        checked.add(method + " " + documentedPath);
    }

    private static JsonNode resolve(String ref) {
        JsonNode node = doc;
        for (String part : ref.substring(2).split("/")) node = node.path(part);
        return node;
    }

    /**
     * A schema of the document, with the document's components beside it so that its $refs resolve.
     */
    private static Schema schema(JsonNode documented) {
        ObjectNode schema = documented.deepCopy();
        schema.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        schema.set("components", doc.path("components"));
        return SCHEMAS.getSchema(schema.toString(), InputFormat.JSON);
    }
}
