package fr.sesame.auth;

import static fr.sesame.auth.EntTestKit.nextAccount;
import static fr.sesame.auth.EntTestKit.parent;
import static fr.sesame.auth.EntTestKit.principal;
import static fr.sesame.auth.EntTestKit.signIn;
import static org.assertj.core.api.Assertions.assertThat;

import fr.sesame.support.Http;
import fr.sesame.support.Sql;
import fr.sesame.support.TestApp;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Parents sign in through a real OpenID provider with ENT-style claims, and land on their own
 * family.
 */
class EntSignInTest {
    static MockOAuth2Server provider;
    static TestApp app;
    static String issuer;
    static EntTestKit.Roster roster;

    @BeforeAll
    static void start() {
        provider = EntTestKit.startProvider();
        issuer = EntTestKit.issuer(provider);
        app = TestApp.start(EntTestKit.env(EntTestKit.discoveryUrl(provider)));
        roster = new EntTestKit.Roster(app.jdbi());
    }

    @AfterAll
    static void stop() {
        app.close();
        provider.shutdown();
    }

    @Test
    void
            a_parent_found_through_their_childrens_ent_ids_lands_signed_in_on_the_page_they_asked_for() {
        long family = roster.family("F-CHILDREN");
        roster.guardian(family, "Karim", "Haddad", null);
        long nadia = roster.guardian(family, "Nadia", "Haddad", null);
        roster.child(family, "Inès", "Haddad", "ent-child-101");
        roster.child(family, "Adam", "Haddad", "ent-child-102");
        nextAccount(
                provider,
                "ent-sub-nadia",
                parent("NADIA", "Haddad", "ent-child-102", "ent-child-999"));

        Http browser = app.client();
        HttpResponse<String> toProvider = browser.get("/auth/ent?next=/calendar");
        assertThat(toProvider.statusCode()).isEqualTo(302);
        Map<String, String> authorize =
                EntTestKit.query(toProvider.headers().firstValue("Location").orElseThrow());
        assertThat(authorize)
                .containsEntry("response_type", "code")
                .containsEntry("client_id", EntTestKit.CLIENT_ID)
                .containsEntry("redirect_uri", app.url("/auth/ent/callback"))
                .containsEntry("code_challenge_method", "S256")
                .containsKeys("state", "nonce", "code_challenge");
        assertThat(authorize.get("scope").split(" "))
                .containsExactlyInAnyOrder("openid", "userinfo");

        HttpResponse<String> back = browser.follow(browser.follow(toProvider));
        assertThat(back.statusCode()).isEqualTo(302);
        assertThat(back.headers().firstValue("Location")).hasValue("/calendar");
        assertThat(principal(app, browser))
                .isEqualTo("parent:" + nadia + " " + issuer + " ent-sub-nadia");
        assertThat(browser.get("/").body()).contains("Nadia Haddad", "Se déconnecter");

        assertThat(
                        Sql.count(
                                app.jdbi(),
                                "select count(*) from ent_identity where subject = 'ent-sub-nadia' "
                                        + "and guardian_id = "
                                        + nadia))
                .isEqualTo(1);
        assertThat(
                        Sql.text(
                                app.jdbi(),
                                "select string_agg(action || ' ' || (details->>'via'), ', ' order by id) "
                                        + "from audit_log where entity_id = "
                                        + nadia))
                .isEqualTo("ent_link children, sign_in_ent children");
    }

    @Test
    void an_ent_account_already_linked_signs_in_again_even_without_children_in_its_claims() {
        long family = roster.family("F-AGAIN");
        long guardian = roster.guardian(family, "Sophie", "Martin", null);
        roster.child(family, "Lina", "Martin", "ent-child-201");
        nextAccount(provider, "ent-sub-sophie", parent("Sophie", "Martin", "ent-child-201"));
        assertThat(signIn(app.client(), null).headers().firstValue("Location")).hasValue("/me");

        nextAccount(provider, "ent-sub-sophie", Map.of("type", "Relative"));
        Http later = app.client();
        assertThat(signIn(later, null).statusCode()).isEqualTo(302);
        assertThat(principal(app, later)).startsWith("parent:" + guardian + " ");
        assertThat(
                        Sql.text(
                                app.jdbi(),
                                "select details->>'via' from audit_log where entity_id = "
                                        + guardian
                                        + " order by id desc limit 1"))
                .isEqualTo("ent_account");
    }

    @Test
    void the_guardians_ent_id_from_the_roster_is_enough() {
        long family = roster.family("F-ENTID");
        long guardian = roster.guardian(family, "Fatou", "Diallo", "ent-sub-fatou");
        nextAccount(provider, "ent-sub-fatou", parent("Fatou", "Diallo", "ent-child-unknown"));
        Http browser = app.client();
        assertThat(signIn(browser, null).statusCode()).isEqualTo(302);
        assertThat(principal(app, browser)).startsWith("parent:" + guardian + " ");
    }

    @Test
    void the_external_id_claim_finds_the_guardian_of_the_roster() {
        long family = roster.family("F-EXTERNAL");
        long guardian = roster.guardian(family, "Julien", "Petit", "AAF-12345");
        Map<String, Object> claims = new LinkedHashMap<>(parent("Julien", "Petit"));
        claims.put("externalId", "AAF-12345");
        nextAccount(provider, "ent-sub-julien", claims);
        Http browser = app.client();
        assertThat(signIn(browser, null).statusCode()).isEqualTo(302);
        assertThat(principal(app, browser)).startsWith("parent:" + guardian + " ");
    }

    @Test
    void the_v2_children_object_links_the_family_too() {
        long family = roster.family("F-V2");
        long guardian = roster.guardian(family, "Mei", "Nguyen", null);
        roster.child(family, "Jade", "Nguyen", "ent-child-301");
        nextAccount(
                provider,
                "ent-sub-mei",
                Map.of(
                        "type",
                        "PERSRELELEVE",
                        "firstName",
                        "Mei",
                        "lastName",
                        "Nguyen",
                        "children",
                        Map.of(
                                "ent-child-301",
                                Map.of("firstName", "Jade", "lastName", "Nguyen"))));
        Http browser = app.client();
        assertThat(signIn(browser, null).statusCode()).isEqualTo(302);
        assertThat(principal(app, browser)).startsWith("parent:" + guardian + " ");
    }

    @Test
    void a_name_written_differently_on_the_ent_still_finds_the_right_guardian() {
        long family = roster.family("F-ACCENTS");
        roster.guardian(family, "Thomas", "Traoré", null);
        long aicha = roster.guardian(family, "Aïcha", "Traoré", null);
        roster.child(family, "Ilyes", "Traoré", "ent-child-401");
        nextAccount(provider, "ent-sub-aicha", parent("aicha", "TRAORE", "ent-child-401"));
        Http browser = app.client();
        assertThat(signIn(browser, null).statusCode()).isEqualTo(302);
        assertThat(principal(app, browser)).startsWith("parent:" + aicha + " ");
    }

    @Test
    void a_pupils_account_gets_a_friendly_page_offering_the_letter_code_in_the_parents_language() {
        long family = roster.family("F-PUPIL");
        roster.guardian(family, "Samir", "Benali", null);
        roster.child(family, "Rayan", "Benali", "ent-child-501");
        int before = EntTestKit.signedInSessions(app.jdbi());

        nextAccount(
                provider,
                "ent-sub-rayan",
                Map.of(
                        "type",
                        "Student",
                        "firstName",
                        "Rayan",
                        "lastName",
                        "Benali",
                        "childrenIds",
                        List.of("ent-child-501")));
        Http browser = app.client();
        HttpResponse<String> fr = signIn(browser, null);
        assertThat(fr.statusCode()).isEqualTo(403);
        assertThat(fr.body())
                .contains(
                        "<html lang=\"fr\" dir=\"ltr\">",
                        "Ce compte n'est pas un compte de parent",
                        "href=\"/sign-in/code\"",
                        "Me connecter avec le code de la lettre");
        assertThat(principal(app, browser)).isNull();

        nextAccount(provider, "ent-sub-teacher", Map.of("type", "Teacher"));
        HttpResponse<String> en = signIn(app.client().language("en"), null);
        assertThat(en.statusCode()).isEqualTo(403);
        assertThat(en.body())
                .contains(
                        "<html lang=\"en\" dir=\"ltr\">",
                        "This is not a parent's account",
                        "Sign in with the code on the letter");
        assertThat(EntTestKit.signedInSessions(app.jdbi())).isEqualTo(before);
    }

    @Test
    void
            a_parent_whose_children_are_not_in_the_roster_gets_the_letter_code_and_no_family_is_created() {
        int families = Sql.count(app.jdbi(), "select count(*) from family");
        int guardians = Sql.count(app.jdbi(), "select count(*) from guardian");
        nextAccount(
                provider, "ent-sub-stranger", parent("Chloé", "Inconnue", "ent-child-elsewhere"));
        Http browser = app.client();
        HttpResponse<String> page = signIn(browser, "/calendar");
        assertThat(page.statusCode()).isEqualTo(403);
        assertThat(page.body())
                .contains(
                        "Nous n'avons pas trouvé votre famille",
                        "href=\"/sign-in/code?next=%2Fcalendar\"");
        assertThat(principal(app, browser)).isNull();
        assertThat(Sql.count(app.jdbi(), "select count(*) from family")).isEqualTo(families);
        assertThat(Sql.count(app.jdbi(), "select count(*) from guardian")).isEqualTo(guardians);
        assertThat(
                        Sql.count(
                                app.jdbi(),
                                "select count(*) from ent_identity where subject = 'ent-sub-stranger'"))
                .isZero();
    }

    @Test
    void a_parent_signed_in_with_the_letter_code_links_their_ent_account() {
        long family = roster.family("F-CODE", "Q2W3E4R5");
        long guardian = roster.guardian(family, "Olivier", "Moreau", null);
        roster.child(family, "Hugo", "Moreau", "ent-child-hugo");
        Http browser = app.client();
        browser.get("/sign-in/code");
        HttpResponse<String> code =
                browser.postForm("/sign-in/code", Map.of("code", "Q2W3-E4R5", "child", "Hugo"));
        assertThat(code.statusCode()).as(code.body()).isEqualTo(302);
        assertThat(principal(app, browser)).isEqualTo("parent:" + guardian + " - -");
        assertThat(browser.get("/me").body())
                .contains("Relier mon compte ENT", "href=\"/auth/ent?next=%2Fme\"");

        // The ENT account names the family's child: together with the letter code, that is the
        // evidence.
        nextAccount(provider, "ent-sub-olivier", parent("Olivier", "Moreau", "ent-child-hugo"));
        assertThat(signIn(browser, null).statusCode()).isEqualTo(302);
        assertThat(principal(app, browser))
                .isEqualTo("parent:" + guardian + " " + issuer + " ent-sub-olivier");
        assertThat(
                        Sql.text(
                                app.jdbi(),
                                "select (details->>'via') || ' ' || (details->>'evidence') from audit_log "
                                        + "where action = 'ent_link' and entity_id = "
                                        + guardian))
                .isEqualTo("letter_code child_id");
        assertThat(browser.get("/me").body()).doesNotContain("Relier mon compte ENT");

        nextAccount(provider, "ent-sub-olivier", Map.of("type", "Relative"));
        Http elsewhere = app.client();
        assertThat(signIn(elsewhere, null).statusCode()).isEqualTo(302);
        assertThat(principal(app, elsewhere)).startsWith("parent:" + guardian + " ");
    }

    @Test
    void
            on_a_shared_computer_a_letter_code_session_never_ties_another_parents_ent_account_to_its_family() {
        long codeFamily = roster.family("F-SHARED", "Z9Y8X7W6");
        long codeParent = roster.guardian(codeFamily, "Ana", "Bonnet", null);
        roster.child(codeFamily, "Sacha", "Bonnet", null);
        long otherFamily = roster.family("F-OTHER");
        long known = roster.guardian(otherFamily, "Moussa", "Mendy", "ent-sub-moussa");
        long byChildren = roster.guardian(otherFamily, "Awa", "Mendy", null);
        roster.child(otherFamily, "Aya", "Mendy", "ent-child-601");

        Http shared = app.client();
        shared.get("/sign-in/code");
        assertThat(
                        shared.postForm(
                                        "/sign-in/code",
                                        Map.of("code", "Z9Y8X7W6", "child", "Sacha"))
                                .statusCode())
                .isEqualTo(302);
        // A parent whose ENT account the roster knows signs in on the same computer: they are
        // themselves.
        nextAccount(provider, "ent-sub-moussa", parent("Moussa", "Mendy", "ent-child-601"));
        signIn(shared, null);
        assertThat(principal(app, shared)).startsWith("parent:" + known + " ");

        shared.get("/sign-in/code");
        shared.postForm("/sign-in/code", Map.of("code", "Z9Y8X7W6", "child", "Sacha"));
        assertThat(principal(app, shared)).startsWith("parent:" + codeParent + " ");
        // An unlinked ENT account whose children are in another family goes to that family, not the
        // code's.
        nextAccount(provider, "ent-sub-awa", parent("Awa", "Mendy", "ent-child-601"));
        signIn(shared, null);
        assertThat(principal(app, shared)).startsWith("parent:" + byChildren + " ");
        assertThat(
                        Sql.count(
                                app.jdbi(),
                                "select count(*) from ent_identity where guardian_id = "
                                        + codeParent))
                .isZero();
    }

    @Test
    void after_the_ent_the_parent_is_only_sent_to_a_page_of_this_site() {
        long family = roster.family("F-NEXT");
        roster.guardian(family, "Leïla", "Garcia", "ent-sub-leila");
        for (String next :
                new String[] {"https://evil.example/", "//evil.example/x", "/\\evil.example"}) {
            nextAccount(provider, "ent-sub-leila", parent("Leïla", "Garcia"));
            HttpResponse<String> r =
                    signIn(app.client(), URLEncoder.encode(next, StandardCharsets.UTF_8));
            assertThat(r.headers().firstValue("Location")).as(next).hasValue("/me");
        }
    }

    @Test
    void signing_out_of_an_ent_session_also_signs_out_of_the_ent() {
        long family = roster.family("F-SIGNOUT");
        roster.guardian(family, "Emre", "Kaya", "ent-sub-emre");
        nextAccount(provider, "ent-sub-emre", parent("Emre", "Kaya"));
        Http browser = app.client();
        signIn(browser, null);
        browser.get("/");
        HttpResponse<String> out = browser.postForm("/sign-out", Map.of());
        assertThat(out.statusCode()).isEqualTo(302);
        assertThat(out.headers().firstValue("Location"))
                .hasValue(
                        "https://ent.example/auth/logout?callback="
                                + URLEncoder.encode(app.url("/"), StandardCharsets.UTF_8));
        assertThat(principal(app, browser)).isNull();
    }

    @Test
    void the_sign_in_page_offers_the_ent() {
        assertThat(app.client().get("/sign-in?next=/calendar").body())
                .contains("href=\"/auth/ent?next=%2Fcalendar\"", "Se connecter avec l'ENT");
    }

    @Test
    void without_an_ent_configured_there_is_no_ent_button_and_its_routes_are_not_found() {
        try (TestApp plain = TestApp.start()) {
            assertThat(plain.client().get("/sign-in").body()).doesNotContain("/auth/ent");
            assertThat(plain.client().get("/auth/ent").statusCode()).isEqualTo(404);
            assertThat(plain.client().get("/auth/ent/callback?code=x&state=y").statusCode())
                    .isEqualTo(404);
            assertThat(
                            plain.client()
                                    .post(
                                            "/auth/ent/backchannel-logout",
                                            Map.of("logout_token", "x"))
                                    .statusCode())
                    .isEqualTo(404);
        }
    }
}
