package fr.sesame.devices;

import static org.assertj.core.api.Assertions.assertThat;

import fr.sesame.attendance.AttendanceFixture;
import fr.sesame.support.Http;
import fr.sesame.support.SesameTest;
import fr.sesame.support.SignIn;
import fr.sesame.support.SignedIn;
import fr.sesame.support.Sql;
import fr.sesame.support.TestApp;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The register follows a device from hand-over to return: lending, the end-of-CM2 campaign, the
 * history.
 */
@SesameTest(demo = true)
class ReturnCampaignTest {
    static TestApp app;

    @SignedIn(SignedIn.Role.ADMIN)
    static Http admin;

    @Test
    void
            the_campaign_lists_the_cm2_devices_of_a_school_and_marks_them_returned_in_bulk_or_one_by_one() {
        String page = admin.get("/admin/returns?school=0211234A").body();
        List<Integer> ids =
                app.jdbi()
                        .withHandle(
                                h ->
                                        h.createQuery(
                                                        """
                select d.id from device d join child c on c.id = d.child_id join school s on s.id = c.school_id
                where s.uai = '0211234A' and c.class_level = 'CM2' order by d.id""")
                                                .mapTo(Integer.class)
                                                .list());
        assertThat(ids).hasSizeGreaterThan(2);
        for (int id : ids) assertThat(page).contains("value=\"" + id + "\"");
        int cm1 =
                Sql.count(
                        app.jdbi(),
                        "select min(d.id) from device d join child c on c.id = d.child_id "
                                + "join school s on s.id = c.school_id where s.uai = '0211234A' and c.class_level = 'CM1'");
        assertThat(page).doesNotContain("value=\"" + cm1 + "\"");

        // one by one
        HttpResponse<String> one =
                admin.postForm(
                        "/admin/returns",
                        Map.of("school", "0211234A", "deviceId", String.valueOf(ids.get(0))));
        assertThat(one.statusCode()).isEqualTo(302);
        assertThat(Sql.text(app.jdbi(), "select state from device where id = " + ids.get(0)))
                .isEqualTo("returned");

        // the rest in bulk
        String body =
                ids.stream().skip(1).map(id -> "deviceId=" + id).collect(Collectors.joining("&"))
                        + "&school=0211234A&_csrf="
                        + admin.csrf();
        assertThat(admin.post("/admin/returns", Map.of("school", "0211234A")).statusCode())
                .as("without the CSRF token")
                .isEqualTo(403);
        // the form repeats deviceId once per ticked box
        var request =
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(app.url("/admin/returns")))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = send(request);
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(r.headers().firstValue("Location").orElse(""))
                .contains("returned=" + (ids.size() - 1));
        assertThat(Sql.count(app.jdbi(), "select count(*) from device where state = 'returned'"))
                .isEqualTo(ids.size());
        assertThat(
                        Sql.count(
                                app.jdbi(),
                                "select count(*) from device_event where change = 'returned'"))
                .isEqualTo(ids.size());
        assertThat(admin.get("/admin/returns?school=0211234A").body()).contains("0 à récupérer");
    }

    private static HttpResponse<String> send(java.net.http.HttpRequest.Builder request) {
        try {
            return java.net.http.HttpClient.newBuilder()
                    .cookieHandler(admin.cookies())
                    .build()
                    .send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void a_device_lent_to_a_child_follows_the_family_rule_and_its_history_shows_every_step() {
        long session = AttendanceFixture.session(app.jdbi(), true, false);
        long guardian = AttendanceFixture.guardian(app.jdbi(), 19, 0);
        AttendanceFixture.book(app.jdbi(), session, guardian);
        Http trainer = SignIn.trainer(app);
        AttendanceFixture.open(trainer, session);
        AttendanceFixture.mark(trainer, session, guardian, "present");
        int lost =
                Sql.count(
                        app.jdbi(),
                        "select d.id from device d join child c on c.id = d.child_id "
                                + "join family f on f.id = c.family_id where f.reference = 'DEMO-019'");

        admin.get("/admin/devices/" + lost);
        HttpResponse<String> noReason =
                admin.postForm(
                        "/admin/devices/" + lost + "/state", Map.of("state", "lost_or_broken"));
        assertThat(noReason.statusCode()).isEqualTo(400);
        admin.postForm(
                "/admin/devices/" + lost + "/state",
                Map.of("state", "lost_or_broken", "reason", "Écran cassé"));
        assertThat(Sql.text(app.jdbi(), "select state from device where id = " + lost))
                .isEqualTo("lost_or_broken");

        int spare =
                app.jdbi()
                        .withHandle(
                                h ->
                                        h.createUpdate(
                                                        "insert into device (asset_tag, serial_number, model) "
                                                                + "values ('CHN-9001', 'SN99990001', 'Lenovo 300e')")
                                                .executeAndReturnGeneratedKeys("id")
                                                .mapTo(Integer.class)
                                                .one());
        int child =
                Sql.count(
                        app.jdbi(),
                        "select c.id from child c join family f on f.id = c.family_id "
                                + "where f.reference = 'DEMO-019'");
        admin.get("/admin/devices/" + spare);
        HttpResponse<String> lend =
                admin.postForm(
                        "/admin/devices/" + spare + "/lend",
                        Map.of("childId", String.valueOf(child), "lentOn", "2026-11-20"));
        assertThat(lend.statusCode()).isEqualTo(302);
        // the family already qualifies: the new device may go home at once
        assertThat(Sql.text(app.jdbi(), "select state from device where id = " + spare))
                .isEqualTo("home_use");
        HttpResponse<String> twice =
                admin.postForm(
                        "/admin/devices/" + spare + "/lend",
                        Map.of("childId", String.valueOf(child), "lentOn", "2026-11-20"));
        assertThat(twice.statusCode()).isEqualTo(400);

        String history = admin.get("/admin/devices/" + spare).body();
        assertThat(history)
                .contains("Prêté", "Usage à la maison autorisé", "un parent a suivi un atelier");
        String lostHistory = admin.get("/admin/devices/" + lost).body();
        assertThat(lostHistory)
                .contains(
                        "Perdu ou cassé",
                        "Écran cassé",
                        "Usage à la maison autorisé",
                        "Atelier test");
        assertThat(admin.get("/admin/devices?state=home_use").body()).contains("CHN-9001");
    }
}
