package fr.sesame.auth;

import static fr.sesame.auth.EntTestKit.nextAccount;
import static fr.sesame.auth.EntTestKit.parent;
import static fr.sesame.auth.EntTestKit.principal;
import static fr.sesame.auth.EntTestKit.signIn;
import static org.assertj.core.api.Assertions.assertThat;

import fr.sesame.support.Http;
import fr.sesame.support.SignIn;
import fr.sesame.support.Sql;
import fr.sesame.support.TestApp;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Linking an ENT account from a letter-code session needs evidence that it is the family's (issue
 * 13, hole 1), the education service sees and removes links, and a new letter code ends what the
 * old one opened (hole 4).
 */
class EntLinkEvidenceTest {
    static final String ADMIN = "education@ville.test";
    static final String PASSWORD = "a long admin password";
    static MockOAuth2Server provider;
    static TestApp app;
    static String issuer;
    static EntTestKit.Roster roster;

    @BeforeAll
    static void start() {
        provider = EntTestKit.startProvider();
        issuer = EntTestKit.issuer(provider);
        Map<String, String> env = new HashMap<>(EntTestKit.env(EntTestKit.discoveryUrl(provider)));
        env.put("ADMIN_EMAIL", ADMIN);
        env.put("ADMIN_PASSWORD", PASSWORD);
        app = TestApp.start(env);
        roster = new EntTestKit.Roster(app.jdbi());
    }

    @AfterAll
    static void stop() {
        app.close();
        provider.shutdown();
    }

    private static Http signInWithCode(String code, String child) {
        Http browser = app.client();
        browser.get("/sign-in/code");
        HttpResponse<String> r =
                browser.postForm("/sign-in/code", Map.of("code", code, "child", child));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(302);
        return browser;
    }

    private static int links(String subject) {
        return Sql.count(
                app.jdbi(), "select count(*) from ent_identity where subject = '" + subject + "'");
    }

    @Test
    void
            an_ent_account_naming_none_of_the_familys_children_is_not_linked_and_the_parent_is_told_why() {
        long family = roster.family("F-THIEF", "T2H3E4F5");
        long guardian = roster.guardian(family, "Claire", "Lefèvre", null);
        roster.child(family, "Noé", "Lefèvre", "ent-child-noe");
        Http browser = signInWithCode("T2H3E4F5", "Noé");

        // Someone holding the letter signs in at the ENT with their own parent account: its
        // children are others'.
        nextAccount(provider, "ent-sub-thief", parent("Marc", "Voleur", "ent-child-unknown"));
        HttpResponse<String> page = signIn(browser, null);
        assertThat(page.statusCode()).isEqualTo(403);
        assertThat(page.body())
                .contains(
                        "Ce compte ENT n'a pas été relié à votre famille",
                        "Vous êtes toujours connecté avec le code de la lettre",
                        "href=\"/me\"");
        assertThat(links("ent-sub-thief")).isZero();
        assertThat(principal(app, browser)).isEqualTo("parent:" + guardian + " - -");

        // Without any children in its claims, and in English (the parent's choice): the same.
        nextAccount(provider, "ent-sub-thief", parent("Marc", "Voleur"));
        browser.get("/lang/en?next=/me");
        HttpResponse<String> english = signIn(browser, null);
        assertThat(english.statusCode()).isEqualTo(403);
        assertThat(english.body()).contains("This ENT account was not linked to your family");
        assertThat(links("ent-sub-thief")).isZero();

        // From another browser that ENT account opens nothing.
        nextAccount(provider, "ent-sub-thief", parent("Marc", "Voleur"));
        Http elsewhere = app.client();
        assertThat(signIn(elsewhere, null).statusCode()).isEqualTo(403);
        assertThat(principal(app, elsewhere)).isNull();
        assertThat(
                        Sql.count(
                                app.jdbi(),
                                "select count(*) from ent_link_request where subject = 'ent-sub-thief' "
                                        + "and guardian_id = "
                                        + guardian))
                .isEqualTo(1);
        assertThat(
                        Sql.count(
                                app.jdbi(),
                                "select count(*) from audit_log where action = 'ent_link_refused' "
                                        + "and entity_id = "
                                        + guardian))
                .isEqualTo(2);
    }

    @Test
    void
            an_ent_account_naming_a_child_by_the_rosters_external_id_links_and_records_the_evidence_and_session() {
        long family = roster.family("F-EXTID", "X2T3J4D5");
        long guardian = roster.guardian(family, "Paul", "Roux", null);
        long child = roster.child(family, "Zoé", "Roux", null);
        app.jdbi()
                .useHandle(
                        h ->
                                h.execute(
                                        "update child set external_id = 'AAF-ZOE' where id = ?",
                                        child));
        Http browser = signInWithCode("X2T3-J4D5", "zoe");
        String codeSession =
                Sql.text(
                        app.jdbi(),
                        "select id_hash from web_session where principal_id = " + guardian);

        nextAccount(provider, "ent-sub-paul", parent("Paul", "Roux", "AAF-ZOE"));
        assertThat(signIn(browser, null).statusCode()).isEqualTo(302);
        assertThat(principal(app, browser))
                .isEqualTo("parent:" + guardian + " " + issuer + " ent-sub-paul");
        assertThat(
                        Sql.text(
                                app.jdbi(),
                                "select evidence || ' ' || linked_in_session from ent_identity "
                                        + "where subject = 'ent-sub-paul'"))
                .isEqualTo("child_id " + codeSession);
    }

    @Test
    void where_the_roster_has_no_ent_ids_the_childs_names_and_school_are_the_evidence() {
        long family = roster.family("F-NAMES", "N2A3M4E5");
        long guardian = roster.guardian(family, "Aïcha", "Benali", null);
        roster.child(family, "Yanis", "Benali", null);

        // The right names at a school that is not the child's: no evidence.
        Http browser = signInWithCode("N2A3M4E5", "Yanis");
        nextAccount(
                provider,
                "ent-sub-aicha",
                Map.of(
                        "type",
                        "PERSRELELEVE",
                        "uai",
                        List.of("0219999Z"),
                        "children",
                        Map.of("ent-x", Map.of("firstName", "Yanis", "lastName", "Benali"))));
        assertThat(signIn(browser, null).statusCode()).isEqualTo(403);
        assertThat(links("ent-sub-aicha")).isZero();

        // The child's school, the names written another way: linked.
        nextAccount(
                provider,
                "ent-sub-aicha",
                Map.of(
                        "type",
                        "PERSRELELEVE",
                        "uai",
                        List.of("0211234a"),
                        "children",
                        Map.of("ent-x", Map.of("firstName", "YANIS", "lastName", "benali"))));
        assertThat(signIn(browser, null).statusCode()).isEqualTo(302);
        assertThat(principal(app, browser)).startsWith("parent:" + guardian + " " + issuer);
        assertThat(
                        Sql.text(
                                app.jdbi(),
                                "select evidence from ent_identity where subject = 'ent-sub-aicha'"))
                .isEqualTo("child_name");
    }

    @Test
    void
            the_family_page_lists_its_ent_links_and_the_education_service_removes_one_which_signs_it_out() {
        long family = roster.family("F-REMOVE");
        long guardian = roster.guardian(family, "Inès", "Morel", null);
        roster.child(family, "Tom", "Morel", "ent-child-tom");
        nextAccount(provider, "ent-sub-ines", parent("Inès", "Morel", "ent-child-tom"));
        Http parentBrowser = app.client();
        signIn(parentBrowser, null);
        assertThat(principal(app, parentBrowser)).startsWith("parent:" + guardian);

        Http admin = SignIn.staff(app, ADMIN, PASSWORD);
        HttpResponse<String> page = admin.get("/admin/roster/families/" + family);
        assertThat(page.body())
                .contains(
                        "Comptes ENT reliés",
                        "Inès Morel · relié le",
                        "le compte ENT nomme un enfant de la famille (identifiant)",
                        "Retirer ce lien");
        HttpResponse<String> removed =
                admin.postForm(
                        "/admin/roster/families/" + family + "/ent-links/remove",
                        Map.of("issuer", issuer, "subject", "ent-sub-ines"));
        assertThat(removed.statusCode()).isEqualTo(302);
        assertThat(admin.follow(removed).body())
                .contains("Le lien a été retiré", "Aucun compte ENT n'ouvre cette famille");
        assertThat(links("ent-sub-ines")).isZero();
        assertThat(principal(app, parentBrowser)).isNull();
        assertThat(
                        Sql.text(
                                app.jdbi(),
                                "select actor || ' ' || (details->>'sessionsEnded') from audit_log "
                                        + "where action = 'ent_unlink' and entity_id = "
                                        + guardian))
                .endsWith(" 1");

        // Another family's link cannot be removed through this family's page; a form without its
        // token is refused.
        long other = roster.family("F-OTHER-LINK");
        long otherGuardian = roster.guardian(other, "Hugo", "Blanc", "ent-sub-hugo");
        nextAccount(provider, "ent-sub-hugo", parent("Hugo", "Blanc"));
        signIn(app.client(), null);
        assertThat(
                        admin.postForm(
                                        "/admin/roster/families/" + family + "/ent-links/remove",
                                        Map.of("issuer", issuer, "subject", "ent-sub-hugo"))
                                .statusCode())
                .isEqualTo(404);
        assertThat(
                        admin.post(
                                        "/admin/roster/families/" + other + "/ent-links/remove",
                                        Map.of("issuer", issuer, "subject", "ent-sub-hugo"))
                                .statusCode())
                .isEqualTo(403);
        assertThat(
                        Sql.count(
                                app.jdbi(),
                                "select count(*) from ent_identity where guardian_id = "
                                        + otherGuardian))
                .isEqualTo(1);
    }

    @Test
    void the_education_service_confirms_an_ent_account_the_parent_could_not_link() {
        long family = roster.family("F-CONFIRM", "C2W3N4F5");
        long guardian = roster.guardian(family, "Léa", "Fabre", null);
        roster.child(family, "Max", "Fabre", null);
        Http browser = signInWithCode("C2W3N4F5", "Max");
        nextAccount(provider, "ent-sub-lea", parent("Léa", "Fabre"));
        assertThat(signIn(browser, null).statusCode()).isEqualTo(403);

        Http admin = SignIn.staff(app, ADMIN, PASSWORD);
        HttpResponse<String> page = admin.get("/admin/roster/families/" + family);
        assertThat(page.body())
                .contains(
                        "Demandes de liaison à vérifier",
                        "Compte ENT «\u00a0Léa Fabre\u00a0» pour Léa Fabre");
        long request =
                Sql.count(
                        app.jdbi(),
                        "select id from ent_link_request where subject = 'ent-sub-lea'");
        HttpResponse<String> confirmed =
                admin.postForm(
                        "/admin/roster/families/"
                                + family
                                + "/ent-requests/"
                                + request
                                + "/confirm",
                        Map.of());
        assertThat(confirmed.statusCode()).isEqualTo(302);
        assertThat(admin.follow(confirmed).body())
                .contains("Le compte ENT a été relié", "confirmé par le service éducation");
        assertThat(
                        Sql.text(
                                app.jdbi(),
                                "select evidence from ent_identity where subject = 'ent-sub-lea' "
                                        + "and guardian_id = "
                                        + guardian))
                .isEqualTo("admin");

        nextAccount(provider, "ent-sub-lea", parent("Léa", "Fabre"));
        Http later = app.client();
        assertThat(signIn(later, null).statusCode()).isEqualTo(302);
        assertThat(principal(app, later)).startsWith("parent:" + guardian + " ");
    }

    @Test
    void
            a_new_letter_code_ends_the_old_codes_sessions_and_undoes_the_links_made_without_evidence() {
        long family = roster.family("F-RENEW", "R2E3N4W5");
        long guardian = roster.guardian(family, "Nina", "Perrin", null);
        roster.child(family, "Léo", "Perrin", "ent-child-leo");
        Http codeBrowser = signInWithCode("R2E3N4W5", "Léo");
        // A link made before links needed evidence (V12 marks those 'none'), and a session opened
        // through it.
        app.jdbi()
                .useHandle(
                        h ->
                                h.execute(
                                        "insert into ent_identity (issuer, subject, guardian_id, evidence) "
                                                + "values (?, 'ent-sub-old', ?, 'none')",
                                        issuer,
                                        guardian));
        nextAccount(provider, "ent-sub-old", Map.of("type", "Relative"));
        Http oldEnt = app.client();
        signIn(oldEnt, null);
        assertThat(principal(app, oldEnt)).startsWith("parent:" + guardian + " ");
        // The parent's own ENT account, linked with evidence, stays.
        nextAccount(provider, "ent-sub-nina", parent("Nina", "Perrin", "ent-child-leo"));
        Http ownEnt = app.client();
        signIn(ownEnt, null);
        assertThat(principal(app, ownEnt)).startsWith("parent:" + guardian + " ");

        Http admin = SignIn.staff(app, ADMIN, PASSWORD);
        admin.get("/admin/families?q=F-RENEW");
        assertThat(admin.postForm("/admin/families/" + family + "/code", Map.of()).statusCode())
                .isEqualTo(302);

        assertThat(principal(app, codeBrowser)).isNull();
        assertThat(codeBrowser.get("/me").statusCode()).isEqualTo(302);
        assertThat(principal(app, oldEnt)).isNull();
        assertThat(links("ent-sub-old")).isZero();
        assertThat(principal(app, ownEnt)).startsWith("parent:" + guardian + " ");
        assertThat(links("ent-sub-nina")).isEqualTo(1);
        assertThat(
                        Sql.text(
                                app.jdbi(),
                                "select (details->>'sessionsEnded') || ' ' || (details->>'entLinksUndone') "
                                        + "from audit_log where action = 'regenerate_letter_code' and entity_id = "
                                        + family))
                .isEqualTo("2 1");

        nextAccount(provider, "ent-sub-old", Map.of("type", "Relative"));
        Http again = app.client();
        assertThat(signIn(again, null).statusCode()).isEqualTo(403);
        assertThat(principal(app, again)).isNull();
    }
}
