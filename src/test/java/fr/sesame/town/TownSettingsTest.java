package fr.sesame.town;

import static org.assertj.core.api.Assertions.assertThat;

import com.lowagie.text.pdf.PdfReader;
import com.lowagie.text.pdf.parser.PdfTextExtractor;
import fr.sesame.db.Towns;
import fr.sesame.demo.DemoSeed;
import fr.sesame.support.Http;
import fr.sesame.support.SesameTest;
import fr.sesame.support.TestApp;
import fr.sesame.support.TwoTowns;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each town's own settings (issue 17): two towns (A at {@code localhost}, B at {@code 127.0.0.1},
 * both seeded with the demo town); A's admin sets A's settings at /admin/town; B keeps the
 * environment's defaults, in its page, its letters and every reader of the settings.
 */
@SesameTest(
        demo = true,
        env = {
            "TOWN_CONTACT=Service commun|03 00 00 00 00",
            "RETENTION_DAYS=200",
            "SMS_SENDER_NAME=Syndicat",
            "MARKING_OPENS_MINUTES=45",
            "PERSONAL_LINK_DAYS=10"
        })
class TownSettingsTest {
    static TestApp app;
    static Jdbi owner;
    static Towns towns;
    static long townB;

    @BeforeAll
    static void twoTowns() throws Exception {
        owner = TwoTowns.owner(app.app().database());
        towns = app.app().database().towns();
        townB = TwoTowns.addTownB(app, owner);
    }

    static Http admin(String host) {
        Http client = new Http("http://" + host + ":" + app.port());
        client.get("/sign-in/staff");
        HttpResponse<String> r =
                client.postForm(
                        "/sign-in/staff",
                        Map.of("email", DemoSeed.ADMIN_EMAIL, "password", DemoSeed.ADMIN_PASSWORD));
        assertThat(r.statusCode()).isEqualTo(302);
        return client;
    }

    static Map<String, String> form(
            String name,
            String contact,
            String retention,
            String sender,
            String marking,
            String days) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("name", name);
        f.put("contact", contact);
        f.put("retentionDays", retention);
        f.put("smsSenderName", sender);
        f.put("markingOpensMinutes", marking);
        f.put("personalLinkDays", days);
        return f;
    }

    static String stored(long town) {
        return owner.withHandle(
                h ->
                        h.select(
                                        "select coalesce(string_agg(concat_ws('/', name, contact, retention_days,"
                                                + " sms_sender_name, marking_opens_minutes, personal_link_days), ';'), '')"
                                                + " from town_setting where town_id = ?",
                                        town)
                                .mapTo(String.class)
                                .one());
    }

    @Test
    void a_town_s_admin_sets_its_own_settings_and_the_other_town_keeps_the_defaults()
            throws Exception {
        TownSettings settings = app.app().townSettings();
        Http a = admin("localhost");
        HttpResponse<String> page = a.get("/admin/town");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Cache-Control").orElse("")).contains("no-store");
        assertThat(page.body()).contains("Service commun|03 00 00 00 00", "200", "Syndicat");
        int audits = auditRows();
        HttpResponse<String> saved =
                a.postForm(
                        "/admin/town",
                        form(
                                "Alpha-sur-Ouche",
                                "Mairie Alpha|01 23 45 67 89",
                                "30",
                                "MairieA",
                                "15",
                                "3"));
        assertThat(saved.statusCode()).isEqualTo(302);
        assertThat(a.follow(saved).body()).contains("Mairie Alpha|01 23 45 67 89", "town-saved");
        assertThat(stored(1))
                .isEqualTo("Alpha-sur-Ouche/Mairie Alpha|01 23 45 67 89/30/MairieA/15/3");
        assertThat(stored(townB)).isEmpty();
        int townAudits =
                owner.withHandle(
                        h ->
                                h.select(
                                                "select count(*) from audit_log where action = 'town_settings'"
                                                        + " and town_id = 1 and actor like 'staff:%'")
                                        .mapTo(Integer.class)
                                        .one());
        assertThat(townAudits).isEqualTo(1);
        assertThat(auditRows()).isEqualTo(audits + 1);

        // every reader reads its own town's
        assertThat(towns.in(1, settings::contact)).isEqualTo("Mairie Alpha|01 23 45 67 89");
        assertThat(towns.in(1, settings::retentionDays)).isEqualTo(30);
        assertThat(towns.in(1, settings::smsSenderName)).isEqualTo("MairieA");
        assertThat(towns.in(1, settings::markingOpens)).isEqualTo(Duration.ofMinutes(15));
        assertThat(towns.in(1, settings::personalLinkValidity)).isEqualTo(Duration.ofDays(3));
        assertThat(towns.in(1, () -> settings.current().name())).isEqualTo("Alpha-sur-Ouche");
        assertThat(towns.in(townB, settings::contact)).isEqualTo("Service commun|03 00 00 00 00");
        assertThat(towns.in(townB, settings::retentionDays)).isEqualTo(200);
        assertThat(towns.in(townB, settings::smsSenderName)).isEqualTo("Syndicat");
        assertThat(towns.in(townB, settings::markingOpens)).isEqualTo(Duration.ofMinutes(45));
        assertThat(towns.in(townB, settings::personalLinkValidity)).isEqualTo(Duration.ofDays(10));
        assertThat(towns.in(townB, () -> settings.current().name())).isEqualTo("Town B");

        // the letters print each town's contact
        assertThat(letterText(a, "localhost"))
                .contains("Mairie Alpha")
                .doesNotContain("Service commun");
        Http b = admin("127.0.0.1");
        assertThat(b.get("/admin/town").body())
                .doesNotContain("Mairie Alpha")
                .contains("Service commun|03 00 00 00 00");
        assertThat(letterText(b, "127.0.0.1"))
                .contains("Service commun")
                .doesNotContain("Mairie Alpha");

        // blank fields go back to the defaults
        assertThat(a.get("/admin/town").statusCode()).isEqualTo(200);
        assertThat(a.postForm("/admin/town", form("", "", "", "", "", "")).statusCode())
                .isEqualTo(302);
        assertThat(towns.in(1, settings::contact)).isEqualTo("Service commun|03 00 00 00 00");
        assertThat(towns.in(1, () -> settings.current().name()))
                .isEqualTo(
                        owner.withHandle(
                                h ->
                                        h.select("select name from town where id = 1")
                                                .mapTo(String.class)
                                                .one()));
        assertThat(stored(townB)).isEmpty();
    }

    @Test
    void bad_input_is_400_with_its_message_and_nothing_is_written() {
        Http b = admin("127.0.0.1");
        b.get("/admin/town");
        String before = stored(townB);
        int audits = auditRows();
        for (Map<String, String> bad :
                List.of(
                        form("", "", "abc", "", "", ""),
                        form("", "", "0", "", "", ""),
                        form("", "", "", "12345", "", ""),
                        form("", "", "", "Mairie de B", "", ""),
                        form("", "", "", "", "2000", ""),
                        form("", "", "", "", "", "91"),
                        form("x".repeat(201), "", "", "", "", ""))) {
            HttpResponse<String> r = b.postForm("/admin/town", bad);
            assertThat(r.statusCode()).as(bad.toString()).isEqualTo(400);
            assertThat(r.body()).contains("notice error");
        }
        HttpResponse<String> r = b.postForm("/admin/town", form("", "", "", "12345", "", ""));
        assertThat(r.body()).contains("pas seulement des chiffres");
        HttpResponse<String> en =
                b.postForm(
                        "/admin/town", form("", "", "9999", "", "", ""), "Accept-Language", "en");
        assertThat(en.statusCode()).isEqualTo(400);
        assertThat(stored(townB)).isEqualTo(before);
        assertThat(auditRows()).isEqualTo(audits);
        // without its CSRF token, refused
        assertThat(b.post("/admin/town", form("Nope", "", "", "", "", "")).statusCode())
                .isEqualTo(403);
        assertThat(stored(townB)).isEqualTo(before);
    }

    static int auditRows() {
        return owner.withHandle(
                h -> h.select("select count(*) from audit_log").mapTo(Integer.class).one());
    }

    static String letterText(Http admin, String host) throws Exception {
        admin.get("/admin/roster/letters");
        HttpClient client = HttpClient.newBuilder().cookieHandler(admin.cookies()).build();
        String body = "_csrf=" + admin.csrf() + "&school=0211234A";
        HttpResponse<byte[]> r =
                client.send(
                        HttpRequest.newBuilder(
                                        URI.create(
                                                "http://"
                                                        + host
                                                        + ":"
                                                        + app.port()
                                                        + "/admin/roster/letters"))
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        PdfReader reader = new PdfReader(new ByteArrayInputStream(r.body()));
        return new PdfTextExtractor(reader).getTextFromPage(1);
    }
}
