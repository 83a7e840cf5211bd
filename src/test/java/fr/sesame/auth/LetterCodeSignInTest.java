package fr.sesame.auth;

import static org.assertj.core.api.Assertions.assertThat;

import fr.sesame.support.Http;
import fr.sesame.support.SesameTest;
import fr.sesame.support.SignIn;
import fr.sesame.support.Sql;
import fr.sesame.support.TestApp;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

@SesameTest(demo = true)
class LetterCodeSignInTest {
    static TestApp app;

    @org.junit.jupiter.api.BeforeEach
    void forgetFailures() {
        cleanThrottle();
    }

    private static String codeOf(String reference) {
        return Sql.text(
                app.jdbi(), "select letter_code from family where reference = '" + reference + "'");
    }

    private static String childOf(String reference) {
        return Sql.text(
                app.jdbi(),
                "select min(c.first_name) from child c join family f on f.id = c.family_id "
                        + "where f.reference = '"
                        + reference
                        + "'");
    }

    @Test
    void
            a_parent_with_the_letter_code_and_a_childs_first_name_sees_their_own_children_and_only_them() {
        Http parent = SignIn.parent(app, "k7m4 9pqx", " lina ");
        HttpResponse<String> me = parent.get("/me");
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(me.body())
                .contains(
                        "Lina Martin",
                        "École élémentaire Jules Ferry",
                        "Il reste à réserver un atelier qui permet d'emporter l'ordinateur");
        String otherChild = childOf("DEMO-002");
        assertThat(me.body()).doesNotContain(otherChild + " Bernard");
    }

    @Test
    void the_first_name_matches_without_accents_or_capitals() {
        String code = codeOf("DEMO-013"); // child Emma? whatever the seed chose
        String child = childOf("DEMO-013");
        String typed =
                java.text.Normalizer.normalize(child, java.text.Normalizer.Form.NFD)
                        .replaceAll("\\p{M}", "")
                        .toUpperCase();
        Http parent = SignIn.parent(app, code.substring(0, 4) + "-" + code.substring(4), typed);
        assertThat(parent.get("/me").body()).contains(child);
    }

    @Test
    void a_wrong_first_name_or_code_is_refused_with_a_clear_message_and_the_typed_values_kept() {
        Http client = app.client();
        client.get("/sign-in/code");
        HttpResponse<String> r =
                client.postForm("/sign-in/code", Map.of("code", "K7M4-9PQX", "child", "Nobody"));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body())
                .contains(
                        "Le code ou le prénom ne correspond pas",
                        "value=\"K7M4-9PQX\"",
                        "value=\"Nobody\"");
        assertThat(client.get("/me").statusCode()).isEqualTo(302);

        HttpResponse<String> malformed =
                client.postForm("/sign-in/code", Map.of("code", "ABC", "child", ""));
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.body()).contains("Le code a 8 caractères", "Écrivez le prénom");

        HttpResponse<String> english =
                client.language("en").postForm("/sign-in/code", Map.of("code", "", "child", "x"));
        assertThat(english.body()).contains("Type the code on the letter");
    }

    @Test
    void after_five_failures_on_a_code_even_the_right_pair_must_wait() {
        String code = codeOf("DEMO-020");
        String child = childOf("DEMO-020");
        Http client = app.client();
        client.get("/sign-in/code");
        for (int i = 0; i < 5; i++) {
            assertThat(
                            client.postForm(
                                            "/sign-in/code",
                                            Map.of("code", code, "child", "Wrong" + i))
                                    .statusCode())
                    .isEqualTo(400);
        }
        HttpResponse<String> blocked =
                client.postForm("/sign-in/code", Map.of("code", code, "child", child));
        assertThat(blocked.statusCode()).isEqualTo(429);
        assertThat(blocked.body()).contains("Trop d'essais");
        assertThat(blocked.headers().firstValue("Retry-After")).isPresent();
        // the wait grows with each new failure
        int firstWait = Integer.parseInt(blocked.headers().firstValue("Retry-After").orElseThrow());
        assertThat(firstWait).isBetween(1, 30);
        // the page says the real wait, in seconds under a minute, and no QR-code hint beside it
        assertThat(blocked.body())
                .contains("attendez " + firstWait + " seconde")
                .doesNotContain("minute")
                .doesNotContain(fr.sesame.web.Messages.of("fr").t("roster.code.prefilled"));
        app.jdbi()
                .useHandle(
                        h ->
                                h.execute(
                                        "update sign_in_throttle set blocked_until = now() - interval '1 second' "
                                                + "where key = 'code:"
                                                + code
                                                + "'"));
        client.postForm("/sign-in/code", Map.of("code", code, "child", "Again"));
        int secondWait =
                Integer.parseInt(
                        client.postForm("/sign-in/code", Map.of("code", code, "child", child))
                                .headers()
                                .firstValue("Retry-After")
                                .orElseThrow());
        assertThat(secondWait).isGreaterThan(30);
        cleanThrottle();
    }

    @Test
    void a_regenerated_code_replaces_the_old_one() {
        String old = codeOf("DEMO-030");
        String child = childOf("DEMO-030");
        Http admin = SignIn.admin(app);
        admin.get("/admin/families?q=DEMO-030");
        long id = Sql.count(app.jdbi(), "select id from family where reference = 'DEMO-030'");
        HttpResponse<String> r = admin.postForm("/admin/families/" + id + "/code", Map.of());
        assertThat(r.statusCode()).isEqualTo(302);
        String fresh = codeOf("DEMO-030");
        assertThat(fresh).isNotEqualTo(old).matches("[2-9A-HJ-NP-Z]{8}");
        assertThat(admin.follow(r).body())
                .contains(fresh.substring(0, 4) + "-" + fresh.substring(4));

        Http client = app.client();
        client.get("/sign-in/code");
        assertThat(
                        client.postForm("/sign-in/code", Map.of("code", old, "child", child))
                                .statusCode())
                .isEqualTo(400);
        SignIn.parent(app, fresh, child);
        assertThat(
                        Sql.count(
                                app.jdbi(),
                                "select count(*) from audit_log where action = 'regenerate_letter_code'"))
                .isEqualTo(1);
        cleanThrottle();
    }

    private static void cleanThrottle() {
        app.jdbi().useHandle(h -> h.execute("delete from sign_in_throttle"));
    }
}
