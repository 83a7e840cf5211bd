package fr.sesame.booking;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.sesame.audit.Actor;
import fr.sesame.auth.StaffAccounts;
import fr.sesame.support.Http;
import fr.sesame.support.SesameTest;
import fr.sesame.support.TestApp;
import java.net.http.HttpResponse;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * GET and POST /api/v1/sessions with bearer tokens; every bad input is a 400 in JSON, never a 500.
 */
@SesameTest(demo = true)
class SessionApiTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static TestApp app;
    static String read;
    static String adminToken;
    static Http client;

    @BeforeAll
    static void start() {
        read =
                "Bearer "
                        + new StaffAccounts(app.jdbi())
                                .createToken(Actor.COMMAND_LINE, "reader", "read");
        adminToken =
                "Bearer "
                        + new StaffAccounts(app.jdbi())
                                .createToken(Actor.COMMAND_LINE, "planner", "admin");
        client = app.client();
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    @Test
    void the_sessions_of_a_school_come_with_seats_left_waiting_count_and_times_with_their_offset()
            throws Exception {
        HttpResponse<String> r =
                client.get("/api/v1/sessions?school=0211234A", "Authorization", read);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode sessions = json(r).get("sessions");
        assertThat(sessions.size()).isEqualTo(4);
        JsonNode s = sessions.get(0);
        assertThat(s.fieldNames())
                .toIterable()
                .contains(
                        "id",
                        "workshop",
                        "school",
                        "room",
                        "start",
                        "end",
                        "capacity",
                        "seatsLeft",
                        "waitingCount",
                        "status");
        assertThat(s.get("school").asText()).isEqualTo("0211234A");
        assertThat(s.get("start").asText()).matches("\\d{4}-\\d\\d-\\d\\dT17:30:00\\+0[12]:00");
        assertThat(s.get("seatsLeft").asInt()).isEqualTo(s.get("capacity").asInt());
        String inAMonth =
                ZonedDateTime.now(ZoneId.of("Europe/Paris")).plusDays(30).toLocalDate().toString();
        // the demo's (today's too, unless it has begun) and those the other tests planned, up to
        // that day
        int upcoming =
                fr.sesame.support.Sql.count(
                        app.jdbi(),
                        "select count(*) from workshop_session where starts_at >= now() "
                                + "and starts_at < timestamp '"
                                + inAMonth
                                + "' at time zone 'Europe/Paris'");
        assertThat(upcoming).isGreaterThanOrEqualTo(13);
        assertThat(
                        json(client.get("/api/v1/sessions?to=" + inAMonth, "Authorization", read))
                                .get("sessions")
                                .size())
                .isEqualTo(upcoming);
        String day =
                ZonedDateTime.now(ZoneId.of("Europe/Paris")).plusYears(2).toLocalDate().toString();
        assertThat(
                        json(client.get("/api/v1/sessions?from=" + day, "Authorization", read))
                                .get("sessions")
                                .size())
                .isZero();
    }

    @Test
    void bad_query_input_is_a_400_in_json_and_an_unknown_school_a_404() throws Exception {
        for (String query :
                new String[] {
                    "school=12",
                    "from=yesterday",
                    "from=2026-13-45",
                    "from=2026-12-01&to=2026-11-01",
                    "from=2026-01-01&to=2028-01-01",
                    "to=%00"
                }) {
            HttpResponse<String> r = client.get("/api/v1/sessions?" + query, "Authorization", read);
            assertThat(r.statusCode()).as(query).isEqualTo(400);
            assertThat(json(r).at("/error/code").asText()).isEqualTo("invalid_field");
            assertThat(json(r).at("/error/message").asText()).isNotBlank();
        }
        HttpResponse<String> unknown =
                client.get("/api/v1/sessions?school=0000000Z", "Authorization", read);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).at("/error/code").asText()).isEqualTo("not_found");
        assertThat(client.get("/api/v1/sessions").statusCode()).isEqualTo(401);
    }

    @Test
    void an_admin_token_creates_a_session_once_per_idempotency_key() throws Exception {
        String start =
                ZonedDateTime.now(ZoneId.of("Europe/Paris"))
                        .plusDays(40)
                        .withHour(17)
                        .withMinute(30)
                        .withSecond(0)
                        .withNano(0)
                        .toOffsetDateTime()
                        .toString();
        String body =
                "{\"workshop\":\"premiers-pas\",\"school\":\"0215678B\",\"room\":\"Bibliothèque\","
                        + "\"start\":\""
                        + start
                        + "\",\"capacity\":8,\"language\":\"en\"}";
        HttpResponse<String> created =
                client.postJson(
                        "/api/v1/sessions",
                        body,
                        "Authorization",
                        adminToken,
                        "Idempotency-Key",
                        "key-0001-abcdef");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode s = json(created);
        assertThat(s.get("capacity").asInt()).isEqualTo(8);
        assertThat(OffsetDateTime.parse(s.get("end").asText()).toInstant())
                .isEqualTo(OffsetDateTime.parse(start).toInstant().plusSeconds(120 * 60));
        HttpResponse<String> again =
                client.postJson(
                        "/api/v1/sessions",
                        body,
                        "Authorization",
                        adminToken,
                        "Idempotency-Key",
                        "key-0001-abcdef");
        assertThat(json(again).get("id").asLong()).isEqualTo(s.get("id").asLong());
        assertThat(client.postJson("/api/v1/sessions", body, "Authorization", read).statusCode())
                .isEqualTo(403);
    }

    @Test
    void bad_bodies_are_400s_that_name_the_field() throws Exception {
        String future = OffsetDateTime.now().plusDays(30).toString();
        String[][] cases = {
            {"not json", "invalid_json", null},
            {"[1,2]", "invalid_json", null},
            {"{}", "invalid_field", "workshop"},
            {"{\"workshop\":\"nope\"}", "invalid_field", "workshop"},
            {
                "{\"workshop\":\"premiers-pas\",\"school\":\"0211234A\",\"room\":\"Cave\"}",
                "invalid_field",
                "room"
            },
            {
                "{\"workshop\":\"premiers-pas\",\"school\":\"0211234A\",\"room\":\"Bibliothèque\",\"start\":\"tomorrow\"}",
                "invalid_field",
                "start"
            },
            {
                "{\"workshop\":\"premiers-pas\",\"school\":\"0211234A\",\"room\":\"Bibliothèque\",\"start\":\"2020-01-01T10:00:00+01:00\",\"capacity\":5}",
                "invalid_field",
                "start"
            },
            {
                "{\"workshop\":\"premiers-pas\",\"school\":\"0211234A\",\"room\":\"Bibliothèque\",\"start\":\""
                        + future
                        + "\",\"capacity\":50}",
                "invalid_field",
                "capacity"
            },
            {
                "{\"workshop\":\"premiers-pas\",\"school\":\"0211234A\",\"room\":\"Bibliothèque\",\"start\":\""
                        + future
                        + "\",\"capacity\":\"5\"}",
                "invalid_field",
                "capacity"
            },
            {
                "{\"workshop\":\"premiers-pas\",\"school\":\"0211234A\",\"room\":\"Bibliothèque\",\"start\":\""
                        + future
                        + "\",\"capacity\":5,\"language\":\"de\"}",
                "invalid_field",
                "language"
            },
            {
                "{\"workshop\":\"premiers-pas\",\"school\":\"0211234A\",\"room\":\"Bibliothèque\",\"start\":\""
                        + future
                        + "\",\"end\":\""
                        + future
                        + "\",\"capacity\":5}",
                "invalid_field",
                "end"
            },
            {"{\"workshop\":42}", "invalid_field", "workshop"},
        };
        for (String[] c : cases) {
            HttpResponse<String> r =
                    client.postJson("/api/v1/sessions", c[0], "Authorization", adminToken);
            assertThat(r.statusCode()).as(c[0] + " -> " + r.body()).isEqualTo(400);
            assertThat(json(r).at("/error/code").asText()).as(c[0]).isEqualTo(c[1]);
            if (c[2] != null)
                assertThat(json(r).at("/error/field").asText()).as(c[0]).isEqualTo(c[2]);
        }
        HttpResponse<String> english =
                app.client()
                        .language("en")
                        .postJson("/api/v1/sessions", "{}", "Authorization", adminToken);
        assertThat(json(english).at("/error/message").asText())
                .isEqualTo("The field workshop is required.");
    }
}
