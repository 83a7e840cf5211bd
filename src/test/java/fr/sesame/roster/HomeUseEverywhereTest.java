package fr.sesame.roster;

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
import fr.sesame.support.SignedIn;
import fr.sesame.support.Sql;
import fr.sesame.support.TestApp;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The home-use rule is written once (migrations/V10) and every path obeys it: the roster import,
 * the dashboard, the school page, the parent page, the IT API and the register, over HTTP against
 * the real app. Each test imports the sample files under its own prefix, so its families are its
 * own: the Martin family has Lina at 0211234A and Adam at 0215678B.
 */
@SesameTest(demo = true)
class HomeUseEverywhereTest {
    static TestApp app;

    @SignedIn(SignedIn.Role.ADMIN)
    static Http admin;

    @SignedIn(SignedIn.Role.TRAINER)
    static Http trainer;

    static String itToken;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() {
        itToken = new StaffAccounts(app.jdbi()).createToken(Actor.COMMAND_LINE, "town IT", "it");
    }

    /**
     * The sample files with every id, asset tag, serial number and last name marked with the
     * prefix.
     */
    static Map<String, byte[]> samples(String p, String devicesOverride) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("pupils", prefixed("eleves.csv", p, null));
        files.put("guardians", prefixed("responsables.csv", p, null));
        files.put("links", prefixed("liens.csv", p, null));
        files.put("devices", prefixed("equipements.csv", p, devicesOverride));
        return files;
    }

    private static byte[] prefixed(String name, String p, String override) {
        String text =
                override != null
                        ? override
                        : new String(RosterImportTest.sample(name), StandardCharsets.UTF_8);
        for (String last : new String[] {"Martin", "Diallo", "Nguyen", "Lefèvre"})
            text = text.replace(last + ";", last + p + ";");
        text =
                text.replace("E1", p + "E1")
                        .replace("R2", p + "R2")
                        .replace("CHN-", p + "CHN-")
                        .replace("SN9", p + "SN9")
                        .replace("ent-", p + "ent-");
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static void importFiles(Map<String, byte[]> files) {
        admin.get("/admin/roster/import");
        HttpResponse<String> upload =
                Multipart.post(admin, app.url("/admin/roster/import"), files, "fr");
        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(302);
        HttpResponse<String> preview = admin.follow(upload);
        String id = preview.uri().getPath().replaceAll(".*/", "");
        HttpResponse<String> done =
                admin.postForm("/admin/roster/import/" + id + "/commit", Map.of());
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        assertThat(done.body()).contains("Import terminé");
    }

    static long guardian(String externalId) {
        return Sql.count(
                app.jdbi(), "select id from guardian where external_id = '" + externalId + "'");
    }

    static String states(String p) {
        return Sql.text(
                app.jdbi(),
                "select string_agg(asset_tag || '=' || state, ',' order by asset_tag) from device "
                        + "where asset_tag in ('"
                        + p
                        + "CHN-9001', '"
                        + p
                        + "CHN-9002')");
    }

    static int events(String p) {
        return Sql.count(
                app.jdbi(),
                "select count(*) from device_event e join device d on d.id = e.device_id "
                        + "where d.asset_tag like '"
                        + p
                        + "CHN-%'");
    }

    /** A qualifying session today, the guardian booked on it and marked by the trainer. */
    static void attends(long guardianId, String mark) {
        long session = AttendanceFixture.session(app.jdbi(), true, false);
        AttendanceFixture.book(app.jdbi(), session, guardianId);
        AttendanceFixture.open(trainer, session);
        HttpResponse<String> r = AttendanceFixture.mark(trainer, session, guardianId, mark);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    @Test
    void an_import_after_an_admin_revocation_keeps_the_devices_at_school_and_writes_no_event() {
        importFiles(samples("A", null));
        assertThat(states("A")).isEqualTo("ACHN-9001=school_only,ACHN-9002=school_only");
        attends(guardian("AR2001"), "present");
        assertThat(states("A")).isEqualTo("ACHN-9001=home_use,ACHN-9002=home_use");
        long device = Sql.count(app.jdbi(), "select id from device where asset_tag = 'ACHN-9001'");
        admin.get("/admin/devices/" + device);
        admin.postForm(
                "/admin/devices/" + device + "/home-use",
                Map.of("decision", "revoke", "reason", "Écran cassé"));
        assertThat(states("A")).isEqualTo("ACHN-9001=school_only,ACHN-9002=school_only");
        int eventsBefore = events("A");

        importFiles(samples("A", null));

        assertThat(states("A")).isEqualTo("ACHN-9001=school_only,ACHN-9002=school_only");
        assertThat(events("A")).isEqualTo(eventsBefore);
        // handed back to the rule, the family's attendance counts again
        admin.get("/admin/devices/" + device);
        admin.postForm(
                "/admin/devices/" + device + "/home-use",
                Map.of("decision", "rule", "reason", "Réparé"));
        assertThat(states("A")).isEqualTo("ACHN-9001=home_use,ACHN-9002=home_use");
    }

    @Test
    void a_device_the_import_lends_to_a_trained_family_is_unlocked_by_the_rule_with_its_events() {
        String returned =
                new String(RosterImportTest.sample("equipements.csv"), StandardCharsets.UTF_8)
                        .replace(
                                "CHN-9002;SN90010002;Lenovo 300e;E1002;prêté",
                                "CHN-9002;SN90010002;Lenovo 300e;E1002;rendu");
        importFiles(samples("B", returned));
        attends(guardian("BR2002"), "present");
        assertThat(states("B")).isEqualTo("BCHN-9001=home_use,BCHN-9002=returned");

        importFiles(samples("B", null));

        assertThat(states("B")).isEqualTo("BCHN-9001=home_use,BCHN-9002=home_use");
        assertThat(
                        Sql.text(
                                app.jdbi(),
                                "select string_agg(e.change || ':' || e.reason || ':' || e.actor, ',' order by e.id) "
                                        + "from device_event e join device d on d.id = e.device_id where d.asset_tag = 'BCHN-9002'"))
                .matches(
                        "returned:roster_import:staff:\\d+,lent:roster_import:staff:\\d+,unlock:attendance:staff:\\d+");
    }

    @Test
    void
            a_late_guardian_counts_as_trained_on_the_dashboard_and_unlocks_the_devices_of_both_schools() {
        importFiles(samples("C", null));
        long guardian = guardian("CR2002");
        long session = AttendanceFixture.session(app.jdbi(), true, false);
        AttendanceFixture.book(app.jdbi(), session, guardian);
        assertThat(admin.get("/roster?school=0211234A&status=booked").body())
                .contains("Karim MartinC");

        AttendanceFixture.open(trainer, session);
        assertThat(AttendanceFixture.mark(trainer, session, guardian, "late").body())
                .contains("\"homeUse\":true");

        assertThat(states("C")).isEqualTo("CCHN-9001=home_use,CCHN-9002=home_use");
        assertThat(
                        Sql.count(
                                app.jdbi(),
                                "select count(*) from family_school fs join guardian g on g.family_id = fs.family_id "
                                        + "where g.id = "
                                        + guardian
                                        + " and fs.trained and fs.devices_home = 1"))
                .isEqualTo(2);
        assertThat(
                        Sql.count(
                                app.jdbi(),
                                "select count(*) from family_progress p join guardian g on g.family_id = p.family_id "
                                        + "where g.id = "
                                        + guardian
                                        + " and p.trained_since is not null"))
                .isEqualTo(1);
        String toReach = admin.get("/roster?school=0211234A").body();
        assertThat(toReach).doesNotContain("Karim MartinC");
        assertThat(admin.get("/roster/families.csv").body()).doesNotContain("MartinC");
    }

    @Test
    void
            the_school_page_the_parent_page_the_api_and_the_register_agree_for_every_child_of_a_family_in_two_schools()
                    throws Exception {
        importFiles(samples("D", null));
        String code =
                Sql.text(
                        app.jdbi(),
                        "select f.letter_code from family f join guardian g on g.family_id = f.id "
                                + "where g.external_id = 'DR2001'");
        Http parent = SignIn.parent(app, code, "Lina");
        agree(parent, false);

        attends(guardian("DR2001"), "present");
        agree(parent, true);

        long device = Sql.count(app.jdbi(), "select id from device where asset_tag = 'DCHN-9002'");
        admin.get("/admin/devices/" + device);
        admin.postForm(
                "/admin/devices/" + device + "/home-use",
                Map.of("decision", "revoke", "reason", "Vol signalé"));
        agree(parent, false);
    }

    /**
     * Lina (0211234A) and Adam (0215678B) read the same on the school pages, /me, the API and the
     * register CSV.
     */
    private void agree(Http parent, boolean home) throws Exception {
        String me = parent.get("/me").body();
        List<List<String>> register = ExportCsv.read(admin.get("/admin/register.csv").body());
        String[][] children = {
            {"Lina", "0211234A", "DCHN-9001"}, {"Adam", "0215678B", "DCHN-9002"}
        };
        for (String[] c : children) {
            String school = admin.get("/school?school=" + c[1]).body();
            String row = school.substring(school.indexOf("MartinD " + c[0]));
            row = row.substring(0, row.indexOf("</tr>"));
            assertThat(row).as("school page, " + c[0]).contains(home ? "✓" : "✗");

            String card = me.substring(me.indexOf(c[0] + " MartinD"));
            card = card.substring(0, card.indexOf("</li>"));
            assertThat(card)
                    .as("parent page, " + c[0])
                    .contains(
                            home
                                    ? "L'ordinateur peut aller à la maison"
                                    : "L'ordinateur reste à l'école");

            HttpResponse<String> api =
                    app.client()
                            .get("/api/v1/devices/" + c[2], "Authorization", "Bearer " + itToken);
            JsonNode json = JSON.readTree(api.body());
            assertThat(json.get("homeUse").asBoolean()).as("API, " + c[0]).isEqualTo(home);

            List<String> line =
                    register.stream().filter(r -> r.get(0).equals(c[2])).findFirst().orElseThrow();
            assertThat(line.get(3))
                    .as("register, " + c[0])
                    .isEqualTo(home ? "home_use" : "school_only");
        }
    }
}
