package fr.sesame.auth;

import static fr.sesame.auth.EntTestKit.nextAccount;
import static fr.sesame.auth.EntTestKit.parent;
import static fr.sesame.auth.EntTestKit.principal;
import static fr.sesame.auth.EntTestKit.query;
import static org.assertj.core.api.Assertions.assertThat;

import fr.sesame.db.Towns;
import fr.sesame.demo.DemoSeed;
import fr.sesame.support.Http;
import fr.sesame.support.TestApp;
import fr.sesame.support.TwoTowns;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ENT's redirect URI is the town's (issue 17): with town A at {@code localhost} (BASE_URL's
 * host) and town B at {@code 127.0.0.1}, the authorization request made on town B's host names town
 * B's callback, the provider sends the browser back there, the sign-in completes in town B, and
 * signing out of the ENT returns to town B's address.
 */
class EntTownAddressTest {
    static MockOAuth2Server provider;
    static TestApp app;
    static long townB;
    static Jdbi owner;
    static Towns towns;
    static String urlA;
    static String urlB;

    @BeforeAll
    static void start() throws Exception {
        provider = EntTestKit.startProvider();
        app = TestApp.start(EntTestKit.env(EntTestKit.discoveryUrl(provider)));
        new DemoSeed(app.jdbi()).seed();
        owner = TwoTowns.owner(app.app().database());
        towns = app.app().database().towns();
        townB = TwoTowns.addTownB(app, owner);
        urlA = "http://localhost:" + app.port();
        urlB = "http://127.0.0.1:" + app.port();
    }

    @AfterAll
    static void stop() {
        app.close();
        provider.shutdown();
    }

    static String redirectUri(Http browser) {
        HttpResponse<String> toProvider = browser.get("/auth/ent");
        assertThat(toProvider.statusCode()).as(toProvider.body()).isEqualTo(302);
        return query(toProvider.headers().firstValue("Location").orElseThrow()).get("redirect_uri");
    }

    @Test
    void each_town_s_authorization_request_names_its_own_callback() {
        assertThat(redirectUri(new Http(urlB))).isEqualTo(urlB + "/auth/ent/callback");
        assertThat(redirectUri(new Http(urlA))).isEqualTo(urlA + "/auth/ent/callback");
    }

    @Test
    void an_ent_sign_in_on_town_b_s_host_comes_back_there_and_signs_out_to_town_b() {
        nextAccount(provider, "demo-parent-01", parent("Sophie", "Martin"));
        Http browser = new Http(urlB);
        String back = EntTestKit.callbackUrl(browser);
        assertThat(back).startsWith(urlB + "/auth/ent/callback?");
        HttpResponse<String> signedIn = browser.get(back.substring(urlB.length()));
        assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(302);
        long guardianB =
                owner.withHandle(
                        h ->
                                h.select(
                                                "select id from guardian where town_id = ? and ent_id = 'demo-parent-01'",
                                                townB)
                                        .mapTo(Long.class)
                                        .one());
        assertThat(towns.in(townB, () -> principal(app, browser)))
                .startsWith("parent:" + guardianB + " ");

        browser.get("/");
        HttpResponse<String> out = browser.postForm("/sign-out", Map.of());
        assertThat(out.headers().firstValue("Location"))
                .hasValue(
                        "https://ent.example/auth/logout?callback="
                                + URLEncoder.encode(urlB + "/", StandardCharsets.UTF_8));
    }
}
