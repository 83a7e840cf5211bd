package fr.sesame.auth;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import fr.sesame.support.Http;
import fr.sesame.support.TestApp;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.LoggerFactory;

/**
 * What the ENT tests share: a real OpenID provider (mock-oauth2-server), the ENT settings that
 * point the app at it, a small roster, the browser's side of the code flow, and what the database
 * says about a browser's session.
 */
final class EntTestKit {
    static final String ISSUER_ID = "ent";
    static final String CLIENT_ID = "sesame-test";
    static final String CLIENT_SECRET = "test-secret";
    static final String LOGOUT_URL = "https://ent.example/auth/logout?callback={callback}";

    private EntTestKit() {}

    static MockOAuth2Server startProvider() {
        MockOAuth2Server server = new MockOAuth2Server();
        server.start();
        return server;
    }

    static String discoveryUrl(MockOAuth2Server server) {
        return server.wellKnownUrl(ISSUER_ID).toString();
    }

    static String issuer(MockOAuth2Server server) {
        return server.issuerUrl(ISSUER_ID).toString();
    }

    /** The app's environment for an ENT whose discovery document is at this URL. */
    static Map<String, String> env(String discoveryUrl) {
        Map<String, String> env = new HashMap<>();
        env.put("ENT_DISCOVERY_URL", discoveryUrl);
        env.put("ENT_CLIENT_ID", CLIENT_ID);
        env.put("ENT_CLIENT_SECRET", CLIENT_SECRET);
        env.put("ENT_LOGOUT_URL", LOGOUT_URL);
        return env;
    }

    /** The next code exchanged at the provider yields tokens (and userinfo) for this account. */
    static void nextAccount(MockOAuth2Server server, String sub, Map<String, Object> claims) {
        nextAccount(server, sub, claims, 3600);
    }

    static void nextAccount(
            MockOAuth2Server server, String sub, Map<String, Object> claims, long expirySeconds) {
        server.enqueueCallback(
                new DefaultOAuth2TokenCallback(
                        ISSUER_ID, sub, "JWT", List.of(CLIENT_ID), claims, expirySeconds));
    }

    /** ENT v1.0-style claims of a parent. */
    static Map<String, Object> parent(String firstName, String lastName, String... childrenIds) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("type", "Relative");
        claims.put("firstName", firstName);
        claims.put("lastName", lastName);
        claims.put("childrenIds", List.of(childrenIds));
        claims.put("uai", List.of("0211234A"));
        return claims;
    }

    /**
     * The browser's side of the flow: Sésame, the provider, back to Sésame; returns Sésame's last
     * answer.
     */
    static HttpResponse<String> signIn(Http browser, String next) {
        HttpResponse<String> toProvider =
                browser.get("/auth/ent" + (next == null ? "" : "?next=" + next));
        assertThat(toProvider.statusCode()).as(toProvider.body()).isEqualTo(302);
        HttpResponse<String> back = browser.follow(toProvider);
        assertThat(back.statusCode()).as(back.body()).isEqualTo(302);
        return browser.follow(back);
    }

    /**
     * The provider's redirect back to Sésame (the callback URL with code and state), without
     * following it.
     */
    static String callbackUrl(Http browser) {
        HttpResponse<String> toProvider = browser.get("/auth/ent");
        assertThat(toProvider.statusCode()).as(toProvider.body()).isEqualTo(302);
        HttpResponse<String> back = browser.follow(toProvider);
        assertThat(back.statusCode()).as(back.body()).isEqualTo(302);
        return back.headers().firstValue("Location").orElseThrow();
    }

    static Map<String, String> query(String url) {
        Map<String, String> params = new LinkedHashMap<>();
        String query = URI.create(url).getRawQuery();
        if (query == null) return params;
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            params.put(
                    URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return params;
    }

    /** Who the database says this browser is signed in as: "kind:id issuer subject", or null. */
    static String principal(TestApp app, Http browser) {
        String id =
                browser.cookies().getCookieStore().getCookies().stream()
                        .filter(
                                c ->
                                        c.getName().equals(LoginSessions.COOKIE)
                                                && !c.getValue().isEmpty()
                                                && !c.hasExpired())
                        .map(HttpCookie::getValue)
                        .findFirst()
                        .orElse(null);
        if (id == null) return null;
        return app.jdbi()
                .withHandle(
                        h ->
                                h.createQuery(
                                                """
                        select principal_kind || ':' || principal_id || ' ' || coalesce(ent_issuer, '-') || ' '
                               || coalesce(ent_subject, '-')
                        from web_session where id_hash = :id and principal_kind is not null""")
                                        .bind("id", Tokens.sha256(id))
                                        .mapTo(String.class)
                                        .findOne()
                                        .orElse(null));
    }

    static int signedInSessions(Jdbi jdbi) {
        return jdbi.withHandle(
                h ->
                        h.createQuery(
                                        "select count(*) from web_session where principal_kind is not null")
                                .mapTo(Integer.class)
                                .one());
    }

    /** A small roster: one school, families with guardians and children carrying ENT ids. */
    static final class Roster {
        private final Jdbi jdbi;
        private final long school;

        Roster(Jdbi jdbi) {
            this.jdbi = jdbi;
            this.school =
                    jdbi.withHandle(
                            h ->
                                    h.createQuery(
                                                    "insert into school (uai, name) values ('0211234A', 'École Jules Ferry') returning id")
                                            .mapTo(Long.class)
                                            .one());
        }

        long family(String reference) {
            return jdbi.withHandle(
                    h ->
                            h.createQuery("insert into family (reference) values (:r) returning id")
                                    .bind("r", reference)
                                    .mapTo(Long.class)
                                    .one());
        }

        long family(String reference, String letterCode) {
            return jdbi.withHandle(
                    h ->
                            h.createQuery(
                                            "insert into family (reference, letter_code, letter_code_issued_at) "
                                                    + "values (:r, :c, now()) returning id")
                                    .bind("r", reference)
                                    .bind("c", letterCode)
                                    .mapTo(Long.class)
                                    .one());
        }

        long guardian(long family, String first, String last, String entId) {
            return jdbi.withHandle(
                    h ->
                            h.createQuery(
                                            "insert into guardian (family_id, first_name, last_name, ent_id) "
                                                    + "values (:f, :first, :last, :ent) returning id")
                                    .bind("f", family)
                                    .bind("first", first)
                                    .bind("last", last)
                                    .bind("ent", entId)
                                    .mapTo(Long.class)
                                    .one());
        }

        long child(long family, String first, String last, String entId) {
            return jdbi.withHandle(
                    h ->
                            h.createQuery(
                                            "insert into child (family_id, school_id, first_name, last_name, "
                                                    + "class_level, ent_id) values (:f, :s, :first, :last, 'CM1', :ent) returning id")
                                    .bind("f", family)
                                    .bind("s", school)
                                    .bind("first", first)
                                    .bind("last", last)
                                    .bind("ent", entId)
                                    .mapTo(Long.class)
                                    .one());
        }
    }

    /** Records what a logger writes, to check that a failure leaves a line in the log. */
    static final class LogLines implements AutoCloseable {
        private final Logger logger;
        private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

        LogLines(Class<?> source) {
            logger = (Logger) LoggerFactory.getLogger(source);
            appender.start();
            logger.addAppender(appender);
        }

        List<String> lines() {
            synchronized (appender.list) {
                return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
            }
        }

        @Override
        public void close() {
            logger.detachAppender(appender);
        }
    }
}
