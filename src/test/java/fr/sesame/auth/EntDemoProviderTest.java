package fr.sesame.auth;

import static fr.sesame.auth.EntTestKit.principal;
import static org.assertj.core.api.Assertions.assertThat;

import fr.sesame.demo.DemoSeed;
import fr.sesame.support.Http;
import fr.sesame.support.Sql;
import fr.sesame.support.TestApp;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** In demo mode, a real OpenID provider on localhost plays the ENT of the demo town. */
class EntDemoProviderTest {
    static TestApp app;

    @BeforeAll
    static void start() {
        app = TestApp.start(Map.of("SESAME_DEMO", "true"));
        new DemoSeed(app.jdbi()).seed();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    /** Through the demo ENT's sign-in page, as a newcomer would, with this ENT login. */
    private static HttpResponse<String> signInAs(Http browser, String login) {
        HttpResponse<String> toEnt = browser.get("/auth/ent");
        assertThat(toEnt.statusCode()).isEqualTo(302);
        String authorize = toEnt.headers().firstValue("Location").orElseThrow();
        assertThat(authorize)
                .startsWith(
                        app.app()
                                .config()
                                .ent()
                                .discoveryUrl()
                                .replace("/.well-known/openid-configuration", "/authorize?"));
        HttpResponse<String> loginPage = browser.get(authorize);
        assertThat(loginPage.statusCode()).isEqualTo(200);
        assertThat(loginPage.body())
                .contains("ENT de démonstration", "demo-parent-01", "<form method=\"post\">");
        HttpResponse<String> back =
                browser.post(authorize, Map.of("username", login, "claims", ""));
        assertThat(back.statusCode()).as(back.body()).isEqualTo(302);
        assertThat(back.headers().firstValue("Location").orElseThrow())
                .startsWith(app.url("/auth/ent/callback?"));
        return browser.follow(back);
    }

    @Test
    void a_demo_parent_signs_in_through_the_demo_ent_as_the_guardian_of_that_family() {
        Http browser = app.client();
        HttpResponse<String> landed = signInAs(browser, "demo-parent-01");
        assertThat(landed.headers().firstValue("Location")).hasValue("/me");
        long mei = Sql.count(app.jdbi(), "select id from guardian where ent_id = 'demo-parent-01'");
        assertThat(principal(app, browser))
                .isEqualTo(
                        "parent:"
                                + mei
                                + " "
                                + app.app()
                                        .config()
                                        .ent()
                                        .discoveryUrl()
                                        .replace("/.well-known/openid-configuration", "")
                                + " demo-parent-01");
        assertThat(browser.get("/").body()).contains("Mei Martin");
    }

    @Test
    void the_second_parent_of_a_demo_family_is_found_through_the_children() {
        Http browser = app.client();
        signInAs(browser, "demo-parent-08b");
        long second =
                Sql.count(
                        app.jdbi(),
                        "select g.id from guardian g join family f on f.id = g.family_id "
                                + "where f.reference = 'DEMO-008' and g.ent_id is null");
        assertThat(principal(app, browser)).startsWith("parent:" + second + " ");
        assertThat(
                        Sql.text(
                                app.jdbi(),
                                "select details->>'via' from audit_log where action = 'ent_link' "
                                        + "and entity_id = "
                                        + second))
                .isEqualTo("children");
    }

    @Test
    void a_demo_pupil_is_refused_with_the_letter_code_offered() {
        Http browser = app.client();
        HttpResponse<String> page = signInAs(browser, "demo-eleve-03");
        assertThat(page.statusCode()).isEqualTo(403);
        assertThat(page.body())
                .contains("Ce compte n'est pas un compte de parent", "href=\"/sign-in/code\"");
        assertThat(principal(app, browser)).isNull();
    }

    @Test
    void the_demo_help_tells_how_to_sign_in_through_the_demo_ent() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DemoSeed.printSignInHelp(
                new PrintStream(out, true, StandardCharsets.UTF_8), app.app().config());
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("demo ENT", "demo-parent-01");
    }
}
