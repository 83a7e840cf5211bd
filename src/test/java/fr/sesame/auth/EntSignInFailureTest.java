package fr.sesame.auth;

import static fr.sesame.auth.EntTestKit.callbackUrl;
import static fr.sesame.auth.EntTestKit.nextAccount;
import static fr.sesame.auth.EntTestKit.parent;
import static fr.sesame.auth.EntTestKit.principal;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import fr.sesame.support.Http;
import fr.sesame.support.TestApp;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every way an ENT sign-in can go wrong ends on a clear page in the parent's language, with a line
 * in the log, and nobody signed in. The provider sits behind a proxy that can swap its tokens or
 * play dead.
 */
class EntSignInFailureTest {
    static MockOAuth2Server provider;
    static EntProviderProxy proxy;
    static TestApp app;
    static long guardian;
    EntTestKit.LogLines log;

    @BeforeAll
    static void start() throws Exception {
        provider = EntTestKit.startProvider();
        proxy = new EntProviderProxy(provider);
        app = TestApp.start(EntTestKit.env(proxy.discoveryUrl()));
        EntTestKit.Roster roster = new EntTestKit.Roster(app.jdbi());
        long family = roster.family("F-1");
        guardian = roster.guardian(family, "Céline", "Rousseau", "ent-sub-celine");
    }

    @AfterAll
    static void stop() {
        app.close();
        proxy.close();
        provider.shutdown();
    }

    @BeforeEach
    void listen() {
        log = new EntTestKit.LogLines(EntController.class);
    }

    @AfterEach
    void reset() {
        log.close();
        proxy.tokens = UnaryOperator.identity();
        proxy.userinfo = UnaryOperator.identity();
        proxy.down = false;
    }

    private void assertRefused(
            Http browser, HttpResponse<String> page, int status, String reason, String... texts) {
        assertThat(page.statusCode()).as(page.body()).isEqualTo(status);
        assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(page.body()).contains(texts).contains("href=\"/sign-in/code\"");
        assertThat(principal(app, browser)).isNull();
        assertThat(log.lines())
                .anySatisfy(
                        line ->
                                assertThat(line)
                                        .startsWith(
                                                "event=ent_sign_in_failed reason="
                                                        + reason
                                                        + " status="
                                                        + status));
    }

    @Test
    void a_tampered_state_is_refused() {
        Http browser = app.client();
        String callback = callbackUrl(browser);
        String state = EntTestKit.query(callback).get("state");
        HttpResponse<String> page =
                browser.get(callback.replace("state=" + state, "state=x" + state));
        assertRefused(
                browser,
                page,
                400,
                "expired",
                "La connexion avec l'ENT n'a pas abouti",
                "a expiré ou a déjà servi");
    }

    @Test
    void a_replayed_callback_signs_nobody_in_whether_from_the_same_browser_or_another() {
        Http browser = app.client();
        nextAccount(provider, "ent-sub-celine", parent("Céline", "Rousseau"));
        String callback = callbackUrl(browser);
        assertThat(browser.get(callback).statusCode()).isEqualTo(302);
        String signedIn = principal(app, browser);
        assertThat(signedIn).startsWith("parent:" + guardian + " ");
        int sessions = EntTestKit.signedInSessions(app.jdbi());

        HttpResponse<String> again = browser.get(callback);
        assertThat(again.statusCode()).isEqualTo(400);
        assertThat(principal(app, browser)).isEqualTo(signedIn);

        Http attacker = app.client();
        assertRefused(attacker, attacker.get(callback), 400, "expired", "a expiré ou a déjà servi");
        assertThat(EntTestKit.signedInSessions(app.jdbi())).isEqualTo(sessions);
    }

    @Test
    void a_callback_without_a_sign_in_in_progress_is_refused() {
        Http browser = app.client();
        assertRefused(
                browser,
                browser.get("/auth/ent/callback?code=abc&state=xyz"),
                400,
                "expired",
                "a expiré ou a déjà servi");
        assertRefused(
                browser,
                browser.get("/auth/ent/callback"),
                400,
                "expired",
                "a expiré ou a déjà servi");
    }

    @Test
    void an_id_token_with_another_nonce_is_refused() {
        Map<String, Object> claims = new LinkedHashMap<>(parent("Céline", "Rousseau"));
        claims.put("nonce", "not-the-nonce-we-sent");
        nextAccount(provider, "ent-sub-celine", claims);
        Http browser = app.client();
        assertRefused(
                browser,
                browser.get(callbackUrl(browser)),
                400,
                "unverified",
                "La connexion n'a pas pu être vérifiée");
        assertThat(log.lines()).anySatisfy(line -> assertThat(line).contains("nonce"));
    }

    @Test
    void an_id_token_signed_by_another_key_is_refused() throws Exception {
        RSAKey stranger = new RSAKeyGenerator(2048).generate();
        proxy.tokens =
                answer -> {
                    try {
                        SignedJWT real = SignedJWT.parse(answer.get("id_token").asText());
                        SignedJWT forged =
                                new SignedJWT(
                                        new JWSHeader.Builder(JWSAlgorithm.RS256)
                                                .keyID(real.getHeader().getKeyID())
                                                .type(JOSEObjectType.JWT)
                                                .build(),
                                        real.getJWTClaimsSet());
                        forged.sign(new RSASSASigner(stranger));
                        answer.put("id_token", forged.serialize());
                        return answer;
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                };
        nextAccount(provider, "ent-sub-celine", parent("Céline", "Rousseau"));
        Http browser = app.client();
        assertRefused(
                browser,
                browser.get(callbackUrl(browser)),
                400,
                "unverified",
                "La connexion n'a pas pu être vérifiée");
    }

    @Test
    void an_expired_id_token_is_refused() {
        nextAccount(provider, "ent-sub-celine", parent("Céline", "Rousseau"), -600);
        Http browser = app.client();
        assertRefused(
                browser,
                browser.get(callbackUrl(browser)),
                400,
                "unverified",
                "La connexion n'a pas pu être vérifiée");
        assertThat(log.lines())
                .anySatisfy(line -> assertThat(line).containsIgnoringCase("expired"));
    }

    @Test
    void an_id_token_for_another_audience_is_refused() {
        Map<String, Object> claims = new LinkedHashMap<>(parent("Céline", "Rousseau"));
        claims.put("aud", "another-application");
        nextAccount(provider, "ent-sub-celine", claims);
        Http browser = app.client();
        assertRefused(
                browser,
                browser.get(callbackUrl(browser)),
                400,
                "unverified",
                "La connexion n'a pas pu être vérifiée");
        assertThat(log.lines())
                .anySatisfy(line -> assertThat(line).containsIgnoringCase("audience"));
    }

    @Test
    void an_id_token_from_another_issuer_is_refused() {
        Map<String, Object> claims = new LinkedHashMap<>(parent("Céline", "Rousseau"));
        claims.put("iss", "https://another-ent.example/auth/openid");
        nextAccount(provider, "ent-sub-celine", claims);
        Http browser = app.client();
        assertRefused(
                browser,
                browser.get(callbackUrl(browser)),
                400,
                "unverified",
                "La connexion n'a pas pu être vérifiée");
        assertThat(log.lines()).anySatisfy(line -> assertThat(line).containsIgnoringCase("iss"));
    }

    @Test
    void a_userinfo_answer_about_another_account_is_refused() {
        proxy.userinfo = answer -> answer.put("sub", "someone-else");
        nextAccount(provider, "ent-sub-celine", parent("Céline", "Rousseau"));
        Http browser = app.client();
        assertRefused(
                browser,
                browser.get(callbackUrl(browser)),
                400,
                "unverified",
                "La connexion n'a pas pu être vérifiée");
    }

    @Test
    void an_error_returned_by_the_provider_is_explained_in_the_parents_language() {
        Http browser = app.client().language("en-GB,en;q=0.9");
        String state =
                EntTestKit.query(
                                browser.get("/auth/ent")
                                        .headers()
                                        .firstValue("Location")
                                        .orElseThrow())
                        .get("state");
        HttpResponse<String> page =
                browser.get(
                        "/auth/ent/callback?error=access_denied&error_description="
                                + URLEncoder.encode("The user cancelled", StandardCharsets.UTF_8)
                                + "&state="
                                + state);
        assertRefused(
                browser,
                page,
                400,
                "refused",
                "<html lang=\"en\" dir=\"ltr\">",
                "The ENT did not sign you in",
                "Try again with the ENT");
        assertThat(log.lines()).anySatisfy(line -> assertThat(line).contains("access_denied"));

        HttpResponse<String> later =
                browser.get("/auth/ent/callback?error=temporarily_unavailable&state=" + state);
        assertRefused(browser, later, 503, "unavailable", "The ENT is not answering");
    }

    @Test
    void a_provider_down_at_the_callback_gives_a_502_page() {
        Http browser = app.client();
        String callback = callbackUrl(browser);
        proxy.down = true;
        assertRefused(browser, browser.get(callback), 502, "unavailable", "L'ENT ne répond pas");
    }

    @Test
    void a_token_answer_without_an_id_token_gives_a_502_page() {
        proxy.tokens =
                answer -> {
                    answer.remove("id_token");
                    return answer;
                };
        nextAccount(provider, "ent-sub-celine", parent("Céline", "Rousseau"));
        Http browser = app.client();
        assertRefused(
                browser,
                browser.get(callbackUrl(browser)),
                502,
                "unavailable",
                "L'ENT ne répond pas");
    }

    @Test
    void a_provider_down_at_the_start_gives_a_503_page_and_sign_in_works_once_it_is_back() {
        int port = TestApp.freePort();
        String discovery =
                "http://localhost:"
                        + port
                        + "/"
                        + EntTestKit.ISSUER_ID
                        + "/.well-known/openid-configuration";
        try (TestApp late = TestApp.start(EntTestKit.env(discovery))) {
            Http browser = late.client();
            HttpResponse<String> page = browser.get("/auth/ent");
            assertThat(page.statusCode()).isEqualTo(503);
            assertThat(page.body()).contains("L'ENT ne répond pas", "href=\"/sign-in/code\"");
            assertThat(log.lines())
                    .anySatisfy(
                            line ->
                                    assertThat(line)
                                            .startsWith(
                                                    "event=ent_sign_in_failed reason=unavailable status=503"));

            MockOAuth2Server back = new MockOAuth2Server();
            back.start(port);
            try {
                HttpResponse<String> now = browser.get("/auth/ent");
                assertThat(now.statusCode()).as(now.body()).isEqualTo(302);
                assertThat(now.headers().firstValue("Location").orElseThrow())
                        .startsWith("http://localhost:" + port + "/ent/authorize?");
            } finally {
                back.shutdown();
            }
        }
    }
}
