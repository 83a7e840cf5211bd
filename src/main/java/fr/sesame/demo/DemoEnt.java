package fr.sesame.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.sesame.Config;
import fr.sesame.json.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import kotlin.jvm.functions.Function1;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.http.NettyWrapper;
import no.nav.security.mock.oauth2.http.OAuth2HttpRequest;
import no.nav.security.mock.oauth2.http.OAuth2HttpResponse;
import no.nav.security.mock.oauth2.http.OAuth2HttpServer;
import no.nav.security.mock.oauth2.http.Ssl;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;
import okhttp3.HttpUrl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real OpenID provider on localhost for the demo (mock-oauth2-server, interactive login), whose
 * accounts carry the claims of the demo town's ENT: signing in as {@code demo-parent-01} gives
 * {@code type: Relative}, the family's {@code childrenIds} and {@code uai}, as the ENT would.
 * Started by App in demo mode when no ENT_DISCOVERY_URL is set.
 */
public final class DemoEnt implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DemoEnt.class);
    static final String ISSUER_ID = "ent";
    static final String CLIENT_ID = "sesame-demo";
    static final String CLIENT_SECRET = "demo-ent-secret";
    private static final ObjectMapper JSON = Json.mapper();

    private final MockOAuth2Server server;
    private final int port;
    private final Path loginPage;

    private DemoEnt(MockOAuth2Server server, int port, Path loginPage) {
        this.server = server;
        this.port = port;
        this.loginPage = loginPage;
    }

    /** Starts on {@code preferredPort} when it is free, else on any free port; localhost only. */
    public static DemoEnt start(int preferredPort) {
        Path loginPage;
        try {
            loginPage = Files.createTempFile("sesame-demo-ent-login", ".html");
            Files.writeString(loginPage, LOGIN_PAGE, StandardCharsets.UTF_8);
            loginPage.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the demo ENT's login page", e);
        }
        int port = isFree(preferredPort) ? preferredPort : 0;
        MockOAuth2Server server =
                new MockOAuth2Server(
                        new OAuth2Config(
                                true,
                                loginPage.toString(),
                                null,
                                false,
                                new OAuth2TokenProvider(),
                                Set.of(),
                                new DemoClaims(new NettyWrapper())));
        server.start(InetAddress.getLoopbackAddress(), port);
        int actual = server.getConfig().getHttpServer().port();
        log.info("event=demo_ent_started port={}", actual);
        return new DemoEnt(server, actual, loginPage);
    }

    public String issuerUrl() {
        return "http://localhost:" + port + "/" + ISSUER_ID;
    }

    /** The ENT settings that point Sésame at this provider. */
    public Config.Ent settings() {
        return new Config.Ent(
                issuerUrl() + "/.well-known/openid-configuration",
                CLIENT_ID,
                CLIENT_SECRET,
                "openid userinfo",
                null,
                "type",
                List.of("Relative", "PERSRELELEVE"),
                "childrenIds",
                "uai",
                issuerUrl() + "/endsession?post_logout_redirect_uri={callback}");
    }

    @Override
    public void close() {
        try {
            server.shutdown();
        } catch (RuntimeException e) {
            log.warn("event=demo_ent_stop_failed error={}", e.toString());
        }
        try {
            Files.deleteIfExists(loginPage);
        } catch (IOException ignored) {
            // a temporary file; deleteOnExit tries again
        }
    }

    private static boolean isFree(int port) {
        if (port <= 0 || port > 65535) return false;
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The provider's HTTP server, which gives the submitted login form the demo account's claims
     * (unless the form already carries some): mock-oauth2-server then puts them in the tokens and
     * the userinfo answer.
     */
    private static final class DemoClaims implements OAuth2HttpServer {
        private final OAuth2HttpServer delegate;

        DemoClaims(OAuth2HttpServer delegate) {
            this.delegate = delegate;
        }

        @Override
        public OAuth2HttpServer start(
                InetAddress address,
                int port,
                Function1<? super OAuth2HttpRequest, OAuth2HttpResponse> handler) {
            delegate.start(address, port, request -> handler.invoke(withClaims(request)));
            return this;
        }

        @Override
        public OAuth2HttpServer start(
                Function1<? super OAuth2HttpRequest, OAuth2HttpResponse> handler) {
            return start(InetAddress.getLoopbackAddress(), 0, handler);
        }

        @Override
        public OAuth2HttpServer start(
                int port, Function1<? super OAuth2HttpRequest, OAuth2HttpResponse> handler) {
            return start(InetAddress.getLoopbackAddress(), port, handler);
        }

        @Override
        public OAuth2HttpServer stop() {
            delegate.stop();
            return this;
        }

        @Override
        public void close() {
            delegate.stop();
        }

        @Override
        public int port() {
            return delegate.port();
        }

        @Override
        public HttpUrl url(String path) {
            return delegate.url(path);
        }

        @Override
        public Ssl sslConfig() {
            return delegate.sslConfig();
        }

        private static OAuth2HttpRequest withClaims(OAuth2HttpRequest request) {
            if (!"POST".equals(request.getMethod())
                    || !request.getUrl().encodedPath().endsWith("/authorize")) {
                return request;
            }
            Map<String, String> form = new LinkedHashMap<>(request.getFormParameters().getMap());
            String username = form.get("username");
            if (username == null || (form.get("claims") != null && !form.get("claims").isBlank()))
                return request;
            try {
                form.put("claims", JSON.writeValueAsString(DemoSeed.entClaims(username.trim())));
            } catch (JsonProcessingException e) {
                return request;
            }
            String body =
                    form.entrySet().stream()
                            .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                            .collect(Collectors.joining("&"));
            return request.copy(
                    request.getHeaders(), request.getMethod(), request.getOriginalUrl(), body);
        }

        private static String enc(String s) {
            return URLEncoder.encode(s, StandardCharsets.UTF_8);
        }
    }

    /** The provider's sign-in page: it posts to itself, as mock-oauth2-server's own page does. */
    private static final String LOGIN_PAGE =
            """
            <!DOCTYPE html>
            <html lang="fr">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>ENT de démonstration</title></head>
            <body>
            <h1>ENT de démonstration <small>(demo ENT)</small></h1>
            <p>Ceci n'est pas un vrai ENT : choisissez un compte de démonstration, sans mot de passe.<br>
            <em>This is not a real ENT: pick a demo account, no password needed.</em></p>
            <form method="post">
            <p><label for="username">Identifiant ENT (ENT login)</label><br>
            <input id="username" name="username" required value="demo-parent-01" autocomplete="off"></p>
            <input type="hidden" name="claims" value="">
            <p><button type="submit">Se connecter (sign in)</button></p>
            </form>
            <ul>
            <li><code>demo-parent-01</code> … <code>demo-parent-40</code> : un parent de chaque famille de démonstration
            (a parent of each demo family)</li>
            <li><code>demo-parent-04b</code>, <code>demo-parent-08b</code> … <code>demo-parent-40b</code> : le second
            parent, reconnu par les enfants (the second parent, found through the children)</li>
            <li><code>demo-eleve-01</code> … <code>demo-eleve-40</code> : un compte d'élève (a pupil's account)</li>
            <li>un autre identifiant : un parent inconnu de l'école (any other login: a parent the school does not
            know)</li>
            </ul>
            </body>
            </html>
            """;
}
