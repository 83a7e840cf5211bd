package fr.sesame.devices;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.sesame.attendance.AttendanceFixture;
import fr.sesame.audit.Actor;
import fr.sesame.auth.StaffAccounts;
import fr.sesame.support.ExportCsv;
import fr.sesame.support.Http;
import fr.sesame.support.SesameTest;
import fr.sesame.support.SignIn;
import fr.sesame.support.TestApp;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The town IT's API: one device, the incremental sync, the CSV export; bearer token with the IT
 * scope.
 */
@SesameTest(demo = true)
class DeviceApiTest {
    static TestApp app;
    static String it;
    static String read;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() {
        it = new StaffAccounts(app.jdbi()).createToken(Actor.COMMAND_LINE, "town IT", "it");
        read = new StaffAccounts(app.jdbi()).createToken(Actor.COMMAND_LINE, "dashboard", "read");
    }

    private static HttpResponse<String> api(String path, String token) {
        return app.client().get(path, "Authorization", "Bearer " + token);
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    @Test
    void
            a_device_answers_exactly_the_fields_the_it_service_reads_and_turns_true_at_once_after_the_mark()
                    throws Exception {
        HttpResponse<String> before = api("/api/v1/devices/CHN-0003", it);
        assertThat(before.statusCode()).isEqualTo(200);
        JsonNode d = json(before);
        List<String> fields = new ArrayList<>();
        d.fieldNames().forEachRemaining(fields::add);
        assertThat(fields)
                .containsExactly(
                        "assetTag", "serial", "child", "school", "homeUse", "since", "reason");
        assertThat(d.get("assetTag").asText()).isEqualTo("CHN-0003");
        assertThat(d.get("school").asText()).isEqualTo("0219012C");
        assertThat(d.get("homeUse").isBoolean()).isTrue();
        assertThat(d.get("homeUse").asBoolean()).isFalse();
        assertThat(d.get("reason").asText()).isEqualTo("no_qualifying_attendance");

        Instant checkpoint = Instant.now();
        long session = AttendanceFixture.session(app.jdbi(), true, false);
        long guardian = AttendanceFixture.guardian(app.jdbi(), 3, 0);
        AttendanceFixture.book(app.jdbi(), session, guardian);
        Http trainer = SignIn.trainer(app);
        AttendanceFixture.open(trainer, session);
        AttendanceFixture.mark(trainer, session, guardian, "present");

        JsonNode after = json(api("/api/v1/devices/CHN-0003", it));
        assertThat(after.get("homeUse").asBoolean()).isTrue();
        assertThat(after.get("reason").asText()).isEqualTo("attendance");
        assertThat(Instant.parse(after.get("since").asText())).isAfter(checkpoint);

        JsonNode changed = json(api("/api/v1/devices?homeUse=true&changedSince=" + checkpoint, it));
        assertThat(changed.isArray()).isTrue();
        assertThat(changed).extracting(n -> n.get("assetTag").asText()).containsExactly("CHN-0003");
        assertThat(json(api("/api/v1/devices?homeUse=false&changedSince=" + checkpoint, it)))
                .isEmpty();
        assertThat(json(api("/api/v1/devices?homeUse=false", it)).size()).isGreaterThan(40);
    }

    @Test
    void errors_are_typed_json_and_the_token_needs_the_it_scope() throws Exception {
        HttpResponse<String> missing = api("/api/v1/devices/NOPE-1", it);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json(missing).at("/error/code").asText()).isEqualTo("device_not_found");
        assertThat(json(missing).at("/error/message").asText()).isNotBlank();
        HttpResponse<String> badDate = api("/api/v1/devices?changedSince=yesterday", it);
        assertThat(badDate.statusCode()).isEqualTo(400);
        assertThat(json(badDate).at("/error/code").asText()).isEqualTo("bad_changed_since");
        assertThat(api("/api/v1/devices?homeUse=maybe", it).statusCode()).isEqualTo(400);
        assertThat(api("/api/v1/devices/CHN-0001", read).statusCode()).isEqualTo(403);
        assertThat(app.client().get("/api/v1/devices/CHN-0001").statusCode()).isEqualTo(401);
    }

    @Test
    void the_csv_export_holds_every_device_and_neutralises_formulas() {
        app.jdbi()
                .useHandle(
                        h ->
                                h.execute(
                                        "update device set model = '=HYPERLINK(\"http://evil\";\"x\")' "
                                                + "where asset_tag = 'CHN-0010'"));
        HttpResponse<String> csv = api("/api/v1/register.csv", it);
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        List<List<String>> records = ExportCsv.read(csv.body());
        assertThat(records.get(0))
                .startsWith("asset_tag", "serial_number", "model", "state", "home_use", "since");
        assertThat(records).hasSize(1 + 45);
        List<String> evil =
                records.stream().filter(r -> r.get(0).equals("CHN-0010")).findFirst().orElseThrow();
        assertThat(evil.get(2)).isEqualTo("'=HYPERLINK(\"http://evil\";\"x\")");
        assertThat(evil.get(5))
                .as("since, Paris wall clock")
                .matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}");
        Http admin = SignIn.admin(app);
        assertThat(admin.get("/admin/register.csv").body()).isEqualTo(csv.body());
    }
}
