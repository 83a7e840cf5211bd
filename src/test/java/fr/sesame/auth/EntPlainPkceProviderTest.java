package fr.sesame.auth;

import static fr.sesame.auth.EntTestKit.nextAccount;
import static fr.sesame.auth.EntTestKit.principal;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.sesame.support.Http;
import fr.sesame.support.TestApp;
import java.net.http.HttpResponse;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A provider like the ENT's: PKCE "plain" only, and a userinfo answer in the ENT's default format
 * (v1.0), which has no {@code sub}. The parent still signs in, identified by the ID token's {@code
 * sub}.
 */
class EntPlainPkceProviderTest {
    static MockOAuth2Server provider;
    static EntProviderProxy proxy;
    static TestApp app;

    @BeforeAll
    static void start() throws Exception {
        provider = EntTestKit.startProvider();
        proxy = new EntProviderProxy(provider);
        proxy.discovery =
                doc -> {
                    doc.putArray("code_challenge_methods_supported").add("plain");
                    return doc;
                };
        // The ENT's v1.0 userinfo: its own field names, no sub.
        proxy.userinfo =
                claims -> {
                    ObjectNode ent = JsonNodeFactory.instance.objectNode();
                    ent.put("userId", "4b1c-ent-internal");
                    ent.put("login", "fatima.benali");
                    ent.put("username", "BENALI Fatima");
                    ent.put("type", "PERSRELELEVE");
                    ent.put("firstName", "Fatima");
                    ent.put("lastName", "BENALI");
                    ent.putArray("childrenIds").add("ent-child-701");
                    ent.put("uai", "0215678B");
                    return ent;
                };
        app = TestApp.start(EntTestKit.env(proxy.discoveryUrl()));
    }

    @AfterAll
    static void stop() {
        app.close();
        proxy.close();
        provider.shutdown();
    }

    @Test
    void a_parent_signs_in_with_plain_pkce_and_a_userinfo_answer_without_sub() {
        EntTestKit.Roster roster = new EntTestKit.Roster(app.jdbi());
        long family = roster.family("F-PLAIN");
        long fatima = roster.guardian(family, "Fatima", "Benali", null);
        roster.child(family, "Zoé", "Benali", "ent-child-701");
        // The ID token says who it is and nothing more: the ENT claims come from userinfo only.
        nextAccount(provider, "ent-sub-fatima", Map.of());

        Http browser = app.client();
        HttpResponse<String> toProvider = browser.get("/auth/ent?next=/me");
        Map<String, String> authorize =
                EntTestKit.query(toProvider.headers().firstValue("Location").orElseThrow());
        assertThat(authorize)
                .containsEntry("code_challenge_method", "plain")
                .containsKeys("state", "nonce");
        HttpResponse<String> back = browser.follow(browser.follow(toProvider));

        assertThat(back.statusCode()).as(back.body()).isEqualTo(302);
        assertThat(back.headers().firstValue("Location")).hasValue("/me");
        assertThat(principal(app, browser))
                .isEqualTo(
                        "parent:" + fatima + " " + EntTestKit.issuer(provider) + " ent-sub-fatima");
        assertThat(browser.get("/").body()).contains("Fatima Benali");
        assertThat(proxy.requests)
                .anySatisfy(r -> assertThat(r).startsWith("GET /ent/userinfo Bearer "));
        assertThat(proxy.requests)
                .anySatisfy(r -> assertThat(r).startsWith("POST /ent/token Basic "));
        assertThat(proxy.requests)
                .filteredOn(r -> r.contains("openid-configuration"))
                .as("discovery read once")
                .hasSize(1);
    }

    @Test
    void
            without_pkce_in_the_discovery_document_the_request_carries_no_code_challenge_and_userinfo_v2_is_read()
                    throws Exception {
        try (EntProviderProxy noPkce = new EntProviderProxy(provider)) {
            noPkce.discovery =
                    doc -> {
                        doc.remove("code_challenge_methods_supported");
                        return doc;
                    };
            // ENT_USERINFO_URL asks for the v2.1 format: children as an object keyed by their ENT
            // id.
            noPkce.userinfo =
                    claims -> {
                        ObjectNode ent = JsonNodeFactory.instance.objectNode();
                        ent.put("type", "Relative");
                        ent.putObject("children")
                                .putObject("ent-child-801")
                                .put("firstName", "Lou")
                                .put("lastName", "Mercier");
                        return ent;
                    };
            Map<String, String> env =
                    new java.util.HashMap<>(EntTestKit.env(noPkce.discoveryUrl()));
            env.put("ENT_USERINFO_URL", noPkce.url("/ent/userinfo?version=v2.1"));
            try (TestApp other = TestApp.start(env)) {
                EntTestKit.Roster roster = new EntTestKit.Roster(other.jdbi());
                long family = roster.family("F-NOPKCE");
                long guardian = roster.guardian(family, "Hélène", "Mercier", null);
                roster.child(family, "Lou", "Mercier", "ent-child-801");
                nextAccount(provider, "ent-sub-helene", Map.of());
                Http browser = other.client();
                HttpResponse<String> toProvider = browser.get("/auth/ent");
                assertThat(
                                EntTestKit.query(
                                        toProvider.headers().firstValue("Location").orElseThrow()))
                        .doesNotContainKeys("code_challenge", "code_challenge_method")
                        .containsKey("nonce");
                assertThat(browser.follow(browser.follow(toProvider)).statusCode()).isEqualTo(302);
                assertThat(principal(other, browser)).startsWith("parent:" + guardian + " ");
                assertThat(noPkce.requests)
                        .anySatisfy(
                                r -> assertThat(r).startsWith("GET /ent/userinfo?version=v2.1 "));
            }
        }
    }
}
