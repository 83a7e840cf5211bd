package fr.sesame.auth;

import static fr.sesame.auth.EntTestKit.nextAccount;
import static fr.sesame.auth.EntTestKit.parent;
import static fr.sesame.auth.EntTestKit.principal;
import static fr.sesame.auth.EntTestKit.signIn;
import static org.assertj.core.api.Assertions.assertThat;

import fr.sesame.reach.PersonalLinks;
import fr.sesame.support.Http;
import fr.sesame.support.Sql;
import fr.sesame.support.TestApp;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A personal link signs in like a letter code, and is no more evidence than one: an ENT account
 * signed in from a personal-link session is linked to the family only on the evidence of its own
 * claims (a child of the family), never on the link alone.
 */
class PersonalLinkEntEvidenceTest {
    static MockOAuth2Server provider;
    static TestApp app;
    static EntTestKit.Roster roster;

    @BeforeAll
    static void start() {
        provider = EntTestKit.startProvider();
        app = TestApp.start(EntTestKit.env(EntTestKit.discoveryUrl(provider)));
        roster = new EntTestKit.Roster(app.jdbi());
    }

    @AfterAll
    static void stop() {
        app.close();
        provider.shutdown();
    }

    private static Http signInWithLink(long guardian, long family) {
        PersonalLinks links = new PersonalLinks(app.jdbi(), app.baseUrl(), Clock.systemUTC(), 14);
        String url = app.jdbi().inTransaction(h -> links.issue(h, guardian, family, "campaign"));
        String path = url.substring(app.baseUrl().length());
        Http browser = app.client();
        browser.get(path);
        HttpResponse<String> r = browser.postForm(path, Map.of());
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(principal(app, browser)).isEqualTo("parent:" + guardian + " - -");
        return browser;
    }

    private static int links(String subject) {
        return Sql.count(
                app.jdbi(), "select count(*) from ent_identity where subject = '" + subject + "'");
    }

    @Test
    void an_ent_account_naming_none_of_the_familys_children_is_not_linked_after_a_personal_link() {
        long family = roster.family("F-LINK-1");
        long guardian = roster.guardian(family, "Inès", "Marchand", null);
        roster.child(family, "Léo", "Marchand", "ent-child-leo");
        Http browser = signInWithLink(guardian, family);

        nextAccount(provider, "ent-sub-other", parent("Marc", "Autre", "ent-child-unknown"));
        assertThat(signIn(browser, null).statusCode()).isEqualTo(403);
        assertThat(links("ent-sub-other")).isZero();
        assertThat(principal(app, browser)).isEqualTo("parent:" + guardian + " - -");
    }

    @Test
    void an_ent_account_naming_a_child_of_the_family_is_linked_on_that_evidence() {
        long family = roster.family("F-LINK-2");
        long guardian = roster.guardian(family, "Rémi", "Colin", null);
        roster.child(family, "Jade", "Colin", "ent-child-jade");
        Http browser = signInWithLink(guardian, family);

        nextAccount(provider, "ent-sub-remi", parent("Rémi", "Colin", "ent-child-jade"));
        assertThat(signIn(browser, null).statusCode()).isEqualTo(302);
        assertThat(
                        Sql.text(
                                app.jdbi(),
                                "select evidence from ent_identity where subject = 'ent-sub-remi'"))
                .isEqualTo("child_id");
    }
}
