package fr.sesame.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.sesame.attendance.AttendanceFixture;
import fr.sesame.audit.Actor;
import fr.sesame.auth.StaffAccounts;
import fr.sesame.support.Http;
import fr.sesame.support.SesameTest;
import fr.sesame.support.SignIn;
import fr.sesame.support.Sql;
import fr.sesame.support.TestApp;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Dates Java reads but PostgreSQL cannot store (year 300000) are 400s naming the field, never 500s.
 */
@SesameTest(demo = true)
class OutOfRangeDatesTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> FAR =
            List.of(
                    "+300000-01-01T00:00:00Z",
                    "-300000-01-01T00:00:00Z",
                    "1899-12-31T23:00:00Z",
                    "2201-01-01T12:00:00+01:00");
    static TestApp app;

    private static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void every_date_of_the_apis_out_of_range_is_a_400_that_names_its_field() throws Exception {
        String read =
                "Bearer "
                        + new StaffAccounts(app.jdbi())
                                .createToken(Actor.COMMAND_LINE, "dates read", "read");
        String it =
                "Bearer "
                        + new StaffAccounts(app.jdbi())
                                .createToken(Actor.COMMAND_LINE, "dates it", "it");
        String admin =
                "Bearer "
                        + new StaffAccounts(app.jdbi())
                                .createToken(Actor.COMMAND_LINE, "dates admin", "admin");
        Http client = app.client();
        for (String far : FAR) {
            for (String field : List.of("from", "to")) {
                HttpResponse<String> r =
                        client.get(
                                "/api/v1/sessions?" + field + "=" + q(far), "Authorization", read);
                assertThat(r.statusCode()).as(field + "=" + far + " " + r.body()).isEqualTo(400);
                assertThat(JSON.readTree(r.body()).at("/error/field").asText()).isEqualTo(field);
            }
            HttpResponse<String> since =
                    client.get("/api/v1/devices?changedSince=" + q(far), "Authorization", it);
            assertThat(since.statusCode())
                    .as("changedSince=" + far + " " + since.body())
                    .isEqualTo(400);
            assertThat(JSON.readTree(since.body()).at("/error/field").asText())
                    .isEqualTo("changedSince");

            String ok =
                    "\"workshop\":\"premiers-pas\",\"school\":\"0211234A\",\"room\":\"Bibliothèque\",\"capacity\":5";
            String future = java.time.OffsetDateTime.now().plusDays(30).withNano(0).toString();
            for (String body :
                    List.of(
                            "{" + ok + ",\"start\":\"" + far + "\"}",
                            "{" + ok + ",\"start\":\"" + future + "\",\"end\":\"" + far + "\"}",
                            "{"
                                    + ok
                                    + ",\"start\":\""
                                    + future
                                    + "\",\"bookingOpensAt\":\""
                                    + far
                                    + "\"}")) {
                HttpResponse<String> r =
                        client.postJson("/api/v1/sessions", body, "Authorization", admin);
                assertThat(r.statusCode()).as(body + " " + r.body()).isEqualTo(400);
                JsonNode error = JSON.readTree(r.body()).get("error");
                assertThat(error.get("field").asText()).isIn("start", "end", "bookingOpensAt");
                assertThat(body).contains("\"" + error.get("field").asText() + "\":\"" + far);
            }
        }
        assertThat(
                        client.get("/api/v1/sessions?from=+300000-01-01", "Authorization", read)
                                .statusCode())
                .isEqualTo(400);
        assertThat(
                        client.get(
                                        "/api/v1/sessions?from=2026-12-01T00:00:00Z",
                                        "Authorization",
                                        read)
                                .statusCode())
                .isEqualTo(200);
    }

    @Test
    void a_mark_made_at_year_300000_is_a_400_and_writes_nothing() {
        long session = AttendanceFixture.session(app.jdbi(), true, false);
        long guardian = AttendanceFixture.guardian(app.jdbi(), 2, 0);
        Http trainer = SignIn.trainer(app);
        AttendanceFixture.open(trainer, session);
        String json =
                "{\"guardianId\":"
                        + guardian
                        + ",\"mark\":\"present\",\"clientMarkId\":\""
                        + UUID.randomUUID()
                        + "\",\"madeAt\":\"+300000-01-01T00:00:00Z\",\"walkIn\":true}";
        HttpResponse<String> r =
                trainer.postJson(
                        "/trainer/sessions/" + session + "/marks",
                        json,
                        "X-CSRF-Token",
                        trainer.csrf(),
                        "Accept",
                        "application/json");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(
                        Sql.count(
                                app.jdbi(),
                                "select count(*) from attendance_mark where session_id = "
                                        + session))
                .isZero();
    }

    @Test
    void the_admin_forms_refuse_a_year_300000_date_with_a_message_on_the_field() {
        Http admin = SignIn.admin(app);
        String form = admin.get("/admin/sessions/new").body();
        String token = form.replaceAll("(?s).*name=\"token\" value=\"([^\"]+)\".*", "$1");
        String type =
                Sql.text(
                        app.jdbi(),
                        "select id::text from workshop_type where code = 'premiers-pas'");
        String room =
                Sql.text(
                        app.jdbi(),
                        "select min(r.id)::text from room r join school s on s.id = r.school_id "
                                + "where s.uai = '0211234A'");
        for (String[] date :
                new String[][] {{"+300000-01-01", ""}, {"2026-12-15", "+300000-01-01"}}) {
            HttpResponse<String> r =
                    admin.postFormPairs(
                            "/admin/sessions",
                            "token",
                            token,
                            "type",
                            type,
                            "room",
                            room,
                            "date",
                            date[0],
                            "start",
                            "17:30",
                            "end",
                            "19:30",
                            "capacity",
                            "10",
                            "language",
                            "fr",
                            "closes",
                            "2",
                            "opens",
                            date[1]);
            assertThat(r.statusCode()).as(String.join(" ", date)).isEqualTo(400);
            assertThat(r.body()).contains("value=\"+300000-01-01\"");
        }
        admin.get("/admin/series");
        HttpResponse<String> series =
                admin.postFormPairs(
                        "/admin/series",
                        "type",
                        type,
                        "rooms",
                        room,
                        "first",
                        "+300000-01-01",
                        "start",
                        "17:30",
                        "weeks",
                        "2",
                        "capacity",
                        "10",
                        "language",
                        "fr",
                        "closes",
                        "2",
                        "action",
                        "preview");
        assertThat(series.statusCode()).isEqualTo(400);

        long device =
                app.jdbi()
                        .withHandle(
                                h ->
                                        h.createUpdate(
                                                        "insert into device (asset_tag, serial_number, model) "
                                                                + "values ('CHN-9300', 'SN93000001', 'Lenovo 300e')")
                                                .executeAndReturnGeneratedKeys("id")
                                                .mapTo(Long.class)
                                                .one());
        String child =
                Sql.text(
                        app.jdbi(),
                        "select min(c.id)::text from child c where not exists "
                                + "(select 1 from device d where d.child_id = c.id)");
        admin.get("/admin/devices/" + device);
        HttpResponse<String> lend =
                admin.postForm(
                        "/admin/devices/" + device + "/lend",
                        Map.of("childId", child == null ? "0" : child, "lentOn", "+300000-01-01"));
        assertThat(lend.statusCode()).isEqualTo(400);
        assertThat(
                        Sql.text(
                                app.jdbi(),
                                "select coalesce(child_id::text, 'none') from device where id = "
                                        + device))
                .isEqualTo("none");
        assertThat(
                        Sql.count(
                                app.jdbi(),
                                "select count(*) from workshop_session where starts_at > '2300-01-01'"))
                .isZero();
    }
}
