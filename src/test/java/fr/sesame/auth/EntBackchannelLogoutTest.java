package fr.sesame.auth;

import static fr.sesame.auth.EntTestKit.CLIENT_ID;
import static fr.sesame.auth.EntTestKit.ISSUER_ID;
import static fr.sesame.auth.EntTestKit.nextAccount;
import static fr.sesame.auth.EntTestKit.parent;
import static fr.sesame.auth.EntTestKit.principal;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import fr.sesame.support.Http;
import fr.sesame.support.TestApp;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ENT ends a parent's sessions with a signed logout token that carries their sub (and no sid).
 */
class EntBackchannelLogoutTest {
    static final String PATH = "/auth/ent/backchannel-logout";
    static MockOAuth2Server provider;
    static TestApp app;
    static long aliceGuardian;

    @BeforeAll
    static void start() {
        provider = EntTestKit.startProvider();
        app = TestApp.start(EntTestKit.env(EntTestKit.discoveryUrl(provider)));
        EntTestKit.Roster roster = new EntTestKit.Roster(app.jdbi());
        aliceGuardian =
                roster.guardian(roster.family("F-ALICE"), "Alice", "Bonnet", "ent-sub-alice");
        roster.guardian(roster.family("F-BRUNO"), "Bruno", "Chevalier", "ent-sub-bruno");
    }

    @AfterAll
    static void stop() {
        app.close();
        provider.shutdown();
    }

    private static Http signedIn(String sub) {
        nextAccount(provider, sub, parent("X", "Y"));
        Http browser = app.client();
        assertThat(EntTestKit.signIn(browser, null).statusCode()).isEqualTo(302);
        assertThat(principal(app, browser)).isNotNull();
        return browser;
    }

    /**
     * A logout token signed by the provider's own key, with these claims on top of the standard
     * ones.
     */
    private static String logoutToken(String sub, Map<String, Object> claims) {
        Map<String, Object> all = new HashMap<>();
        all.put("events", Map.of(EntLogoutTokens.EVENT, Map.of()));
        all.putAll(claims);
        return provider.issueToken(
                        ISSUER_ID,
                        CLIENT_ID,
                        new DefaultOAuth2TokenCallback(
                                ISSUER_ID, sub, "logout+jwt", List.of(CLIENT_ID), all, 120))
                .serialize();
    }

    private static HttpResponse<String> post(String token) {
        return app.client().post(PATH, token == null ? Map.of() : Map.of("logout_token", token));
    }

    @Test
    void a_logout_token_from_the_ent_ends_every_session_of_that_parent_and_only_those() {
        Http alicePhone = signedIn("ent-sub-alice");
        Http aliceLaptop = signedIn("ent-sub-alice");
        Http bruno = signedIn("ent-sub-bruno");

        HttpResponse<String> r = post(logoutToken("ent-sub-alice", Map.of()));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(principal(app, alicePhone)).isNull();
        assertThat(principal(app, aliceLaptop)).isNull();
        assertThat(alicePhone.get("/").body())
                .doesNotContain("Alice Bonnet")
                .contains("Se connecter");
        assertThat(principal(app, bruno)).startsWith("parent:");
        assertThat(bruno.get("/").body()).contains("Bruno Chevalier");
    }

    @Test
    void a_logout_token_signed_by_another_key_is_refused_and_ends_nothing() throws Exception {
        Http alice = signedIn("ent-sub-alice");
        SignedJWT real = SignedJWT.parse(logoutToken("ent-sub-alice", Map.of()));
        SignedJWT forged =
                new SignedJWT(
                        new JWSHeader.Builder(JWSAlgorithm.RS256)
                                .keyID(real.getHeader().getKeyID())
                                .type(new JOSEObjectType("logout+jwt"))
                                .build(),
                        real.getJWTClaimsSet());
        forged.sign(new RSASSASigner(new RSAKeyGenerator(2048).generate()));

        HttpResponse<String> r = post(forged.serialize());

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type").orElseThrow())
                .startsWith("application/json");
        assertThat(r.body()).contains("\"error\":\"invalid_request\"", "signature");
        assertThat(principal(app, alice)).startsWith("parent:" + aliceGuardian + " ");
    }

    @Test
    void a_logout_token_without_the_back_channel_logout_event_is_refused() {
        Http alice = signedIn("ent-sub-alice");
        HttpResponse<String> r =
                post(
                        logoutToken(
                                "ent-sub-alice",
                                Map.of("events", Map.of("other-event", Map.of()))));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("\"error\":\"invalid_request\"", "events");
        assertThat(principal(app, alice)).isNotNull();
    }

    @Test
    void
            logout_tokens_with_a_nonce_for_another_client_from_another_issuer_old_or_without_sub_are_refused() {
        Http alice = signedIn("ent-sub-alice");
        Map<String, Map<String, Object>> bad =
                Map.of(
                        "nonce", Map.of("nonce", "n-0S6_WzA2Mj"),
                        "audience", Map.of("aud", "another-client"),
                        "issuer", Map.of("iss", "https://another-ent.example"),
                        "iat", Map.of("iat", Instant.now().minusSeconds(3600).getEpochSecond()),
                        "sub", Map.of("sub", ""));
        bad.forEach(
                (what, claims) -> {
                    HttpResponse<String> r = post(logoutToken("ent-sub-alice", claims));
                    assertThat(r.statusCode()).as(what + ": " + r.body()).isEqualTo(400);
                    assertThat(r.body()).as(what).contains("\"error\":\"invalid_request\"");
                });
        assertThat(principal(app, alice)).isNotNull();
    }

    @Test
    void a_missing_or_malformed_logout_token_is_refused_with_a_json_error_not_a_csrf_page() {
        for (String token : new String[] {null, "", "not-a-jwt", "a.b.c"}) {
            HttpResponse<String> r = post(token);
            assertThat(r.statusCode()).as(String.valueOf(token)).isEqualTo(400);
            assertThat(r.body())
                    .as(String.valueOf(token))
                    .startsWith("{")
                    .contains("\"error\":\"invalid_request\"");
        }
    }
}
