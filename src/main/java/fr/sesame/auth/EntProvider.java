package fr.sesame.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import fr.sesame.Config;
import fr.sesame.db.TownUrls;
import fr.sesame.json.Json;
import io.javalin.http.Context;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.pac4j.core.context.CallContext;
import org.pac4j.core.credentials.Credentials;
import org.pac4j.core.exception.http.HttpAction;
import org.pac4j.core.exception.http.WithLocationAction;
import org.pac4j.core.http.callback.NoParameterCallbackUrlResolver;
import org.pac4j.core.util.InitializableObject;
import org.pac4j.oidc.client.OidcClient;
import org.pac4j.oidc.config.OidcConfiguration;
import org.pac4j.oidc.credentials.OidcCredentials;
import org.pac4j.oidc.exceptions.OidcIssuerMismatchException;
import org.pac4j.oidc.exceptions.OidcMissingSessionStateException;
import org.pac4j.oidc.exceptions.OidcMissingStateParameterException;
import org.pac4j.oidc.exceptions.OidcStateMismatchException;
import org.pac4j.oidc.exceptions.OidcTokenException;
import org.pac4j.oidc.metadata.OidcOpMetadataResolver;
import org.pac4j.oidc.profile.OidcProfile;

/**
 * The ENT's OpenID provider, through pac4j-oidc: authorization-code flow with state, nonce and PKCE
 * (S256 when the provider offers it, plain when that is all it offers, none otherwise), discovery,
 * client_secret_basic. pac4j does not call the userinfo endpoint (the ENT's default answer has no
 * {@code sub}, which pac4j rejects): {@link #userinfo} fetches it with the access token and reads
 * it leniently.
 */
final class EntProvider {
    static final String CALLBACK_PATH = "/auth/ent/callback";
    private static final ObjectMapper JSON = Json.mapper();
    private static final int CONNECT_TIMEOUT_MS = 5_000;
    private static final int READ_TIMEOUT_MS = 10_000;
    static final int MAX_USERINFO_BYTES = 64 * 1024;

    /** What the ENT vouched for: a verified ID token and the access token that goes with it. */
    record Verified(String issuer, String subject, JWTClaimsSet idToken, AccessToken accessToken) {}

    private final Config.Ent ent;
    private final OidcConfiguration configuration;
    private final OidcClient client;
    private final LoginSessions sessions;
    private volatile boolean ready;
    private final HttpClient http =
            HttpClient.newBuilder()
                    .connectTimeout(Duration.ofMillis(CONNECT_TIMEOUT_MS))
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .build();

    EntProvider(Config.Ent ent, TownUrls urls, LoginSessions sessions) {
        this.ent = ent;
        this.sessions = sessions;
        configuration =
                new OidcConfiguration() {
                    @Override
                    protected OidcOpMetadataResolver createNewOpMetadataResolver() {
                        return new DiscoveryReadOnce(this);
                    }
                };
        configuration.setDiscoveryURI(ent.discoveryUrl());
        configuration.setClientId(ent.clientId());
        configuration.setSecret(ent.clientSecret());
        configuration.setScope(ent.scopes());
        configuration.setResponseType("code");
        configuration.setClientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC);
        configuration.setWithState(true);
        configuration.setUseNonce(true);
        // The ENT signs with RS256. Without a preference pac4j tries every algorithm of the
        // discovery document and
        // reports the last failure ("no matching key"), which hides the real one (expired,
        // audience, nonce...).
        configuration.setPreferredJwsAlgorithm(JWSAlgorithm.RS256);
        configuration.setCallUserInfoEndpoint(false);
        configuration.setConnectTimeout(CONNECT_TIMEOUT_MS);
        configuration.setReadTimeout(READ_TIMEOUT_MS);
        client = new OidcClient(configuration);
        client.setName("ent");
        // the redirect URI is the town's own (its host name): the request's, at the redirect to
        // the ENT and at the code exchange; each town's address is registered with the ENT
        client.setCallbackUrl(CALLBACK_PATH);
        client.setUrlResolver((url, context) -> url.startsWith("/") ? urls.current() + url : url);
        client.setCallbackUrlResolver(new NoParameterCallbackUrlResolver());
        client.setCheckAuthenticationAttempt(false);
        // pac4j gives up initializing after 3 attempts 5 s apart: a provider down at start-up would
        // then disable
        // ENT sign-in until a restart. Try again on every request instead.
        for (InitializableObject initializable :
                new InitializableObject[] {configuration, client}) {
            initializable.setMaxAttempts(-1);
            initializable.setMinTimeIntervalBetweenAttemptsInMilliseconds(0);
        }
    }

    /**
     * The provider's authorization URL for this visitor; state, nonce and PKCE verifier are kept in
     * the visitor's session (a new one when needed).
     */
    String authorizationUrl(Context ctx) throws EntFailure {
        init(503);
        CallContext call = callContext(ctx);
        try {
            var action = client.getRedirectionAction(call);
            if (action.isPresent() && action.get() instanceof WithLocationAction located)
                return located.getLocation();
            throw EntFailure.unavailable(503, "no redirection from pac4j", null);
        } catch (HttpAction action) {
            if (action instanceof WithLocationAction located) return located.getLocation();
            throw EntFailure.unavailable(
                    503,
                    "pac4j answered HTTP " + action.getCode() + " instead of a redirect",
                    null);
        } catch (RuntimeException e) {
            throw classify(
                    e, EntFailure.unavailable(503, "cannot build the authorization request", e));
        }
    }

    /** Whether this visitor's session holds a sign-in in progress (a state pac4j stored). */
    boolean inProgress(Context ctx) {
        LoginSession session = sessions.current(ctx);
        return session != null
                && session.get(EntSessionStore.PREFIX + client.getStateSessionAttributeName())
                        != null
                && session.get(EntSessionStore.PREFIX + client.getNonceSessionAttributeName())
                        != null;
    }

    /**
     * Checks the callback (state), exchanges the code for tokens (with the PKCE verifier) and
     * verifies the ID token (signature against the provider's keys, issuer, audience, expiry,
     * nonce).
     */
    Verified verifyCallback(Context ctx) throws EntFailure {
        if (!inProgress(ctx)) throw EntFailure.expired("no sign-in in progress in this session");
        CallContext call = callContext(ctx);
        init(502);
        Credentials credentials;
        try {
            credentials =
                    client.getCredentialsExtractor()
                            .extract(call)
                            .orElseThrow(
                                    () -> EntFailure.expired("no credentials in the callback"));
        } catch (HttpAction action) {
            throw EntFailure.expired(
                    "pac4j answered HTTP " + action.getCode() + " to the callback");
        } catch (RuntimeException e) {
            throw classify(e, EntFailure.expired("callback rejected: " + e.getMessage()));
        }
        try {
            client.getAuthenticator().validate(call, credentials);
        } catch (OidcTokenException e) {
            throw EntFailure.unverified("token request refused", e);
        } catch (RuntimeException e) {
            throw classify(e, EntFailure.unavailable(502, "token request failed", e));
        }
        // Without an ID token pac4j would build a profile from the access token alone: the identity
        // is unproven.
        if (!(credentials instanceof OidcCredentials oidc) || oidc.getIdToken() == null) {
            throw EntFailure.unavailable(502, "the token answer has no ID token", null);
        }
        OidcProfile profile;
        try {
            profile =
                    (OidcProfile)
                            client.getProfileCreator()
                                    .create(call, credentials)
                                    .orElseThrow(
                                            () ->
                                                    EntFailure.unverified(
                                                            "no profile from the ID token", null));
        } catch (RuntimeException e) {
            throw classify(e, EntFailure.unverified("ID token rejected", e));
        }
        try {
            if (profile.getIdToken() == null)
                throw EntFailure.unavailable(502, "no ID token in the profile", null);
            JWTClaimsSet claims = profile.getIdToken().getJWTClaimsSet();
            if (claims.getSubject() == null
                    || claims.getSubject().isBlank()
                    || claims.getIssuer() == null) {
                throw EntFailure.unverified("ID token without sub or iss", null);
            }
            if (profile.getAccessToken() == null)
                throw EntFailure.unverified("no access token", null);
            return new Verified(
                    claims.getIssuer(), claims.getSubject(), claims, profile.getAccessToken());
        } catch (java.text.ParseException e) {
            throw EntFailure.unverified("unreadable ID token", e);
        }
    }

    /**
     * The userinfo answer (ENT_USERINFO_URL, else the discovery's endpoint) as a JSON object; an
     * empty object when the provider has no userinfo endpoint. Its {@code sub} may be missing (the
     * ENT's default format).
     */
    JsonNode userinfo(AccessToken accessToken) throws EntFailure {
        URI uri =
                ent.userinfoUrl() != null
                        ? URI.create(ent.userinfoUrl())
                        : metadata(502).getUserInfoEndpointURI();
        if (uri == null) return JSON.createObjectNode();
        HttpRequest request =
                HttpRequest.newBuilder(uri)
                        .timeout(Duration.ofMillis(READ_TIMEOUT_MS))
                        .header("Authorization", "Bearer " + accessToken.getValue())
                        .header("Accept", "application/json")
                        .GET()
                        .build();
        byte[] answer;
        try {
            HttpResponse<java.io.InputStream> response =
                    http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (java.io.InputStream in = response.body()) {
                if (response.statusCode() != 200) {
                    throw EntFailure.unavailable(
                            502, "userinfo answered HTTP " + response.statusCode(), null);
                }
                // One parent's claims are a few hundred bytes: a far larger answer is not read,
                // whatever it announces.
                answer = in.readNBytes(MAX_USERINFO_BYTES + 1);
                if (answer.length > MAX_USERINFO_BYTES) {
                    throw EntFailure.unavailable(
                            502, "userinfo answer over " + MAX_USERINFO_BYTES + " bytes", null);
                }
            }
        } catch (IOException e) {
            throw EntFailure.unavailable(502, "userinfo unreachable", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw EntFailure.unavailable(502, "interrupted while reading userinfo", e);
        }
        try {
            JsonNode body = JSON.readTree(answer);
            if (body == null || !body.isObject()) {
                throw EntFailure.unavailable(502, "userinfo answer is not a JSON object", null);
            }
            return body;
        } catch (IOException e) {
            throw EntFailure.unavailable(502, "userinfo answer is not JSON", e);
        }
    }

    /** The provider's discovery document (loaded once, then kept). */
    OIDCProviderMetadata metadata(int statusWhenDown) throws EntFailure {
        init(statusWhenDown);
        try {
            return configuration.getOpMetadataResolver().load();
        } catch (RuntimeException e) {
            throw classify(
                    e,
                    EntFailure.unavailable(
                            statusWhenDown, "cannot read the discovery document", e));
        }
    }

    /** Forgets the sign-in in progress (state, nonce, verifier): each serves one callback only. */
    void forgetAttempt(Context ctx) {
        EntSessionStore.clear(sessions.current(ctx));
    }

    int connectTimeoutMs() {
        return CONNECT_TIMEOUT_MS;
    }

    int readTimeoutMs() {
        return READ_TIMEOUT_MS;
    }

    /**
     * Initialises the client and the parts of it that pac4j would otherwise initialise at their
     * first use (profile creator, credentials extractor, authenticator): done lazily, the first
     * simultaneous callbacks of a fresh app raced and most failed (NullPointerException in
     * OidcProfileCreator). Called at start; until the provider has answered once, each request
     * tries again, one at a time.
     */
    private void init(int statusWhenDown) throws EntFailure {
        if (ready) return;
        synchronized (this) {
            if (!ready) {
                try {
                    client.init();
                    if (client.isInitialized()) {
                        for (Object part :
                                new Object[] {
                                    client.getCredentialsExtractor(),
                                    client.getAuthenticator(),
                                    client.getProfileCreator()
                                }) {
                            if (part instanceof InitializableObject initializable)
                                initializable.init();
                        }
                        configuration.getOpMetadataResolver().load();
                        ready = true;
                    }
                } catch (RuntimeException e) {
                    throw classify(
                            e,
                            EntFailure.unavailable(
                                    statusWhenDown, "cannot read the discovery document", e));
                }
            }
        }
        if (!ready)
            throw EntFailure.unavailable(statusWhenDown, "OIDC client not initialized", null);
    }

    /**
     * At start: reads the discovery document and prepares the client; a provider down now is
     * retried later.
     */
    void initAtStart() {
        try {
            init(503);
        } catch (EntFailure e) {
            org.slf4j.LoggerFactory.getLogger(EntProvider.class)
                    .warn(
                            "event=ent_not_ready detail=\"{}\" (ENT sign-in retries at each request)",
                            rootMessage(e));
        }
    }

    private CallContext callContext(Context ctx) {
        return new CallContext(new JavalinWebContext(ctx), new EntSessionStore(sessions, ctx));
    }

    /**
     * The discovery document, read when the client initializes. pac4j would otherwise ask the
     * provider whether it changed (a HEAD request) each time it needs it, and fetch it again
     * whenever that answer is not a plain 200: several requests per sign-in. Until a first read
     * succeeds (the provider was down), each use tries again. The provider's keys are fetched (and
     * refreshed) separately.
     */
    private static final class DiscoveryReadOnce extends OidcOpMetadataResolver {
        DiscoveryReadOnce(OidcConfiguration configuration) {
            super(configuration);
        }

        @Override
        public boolean hasChanged() {
            return loaded == null;
        }
    }

    /** The provider being unreachable wins over any other reading of an exception. */
    private static EntFailure classify(RuntimeException e, EntFailure otherwise) {
        if (causedBy(e, IOException.class) || causedBy(e, KeySourceException.class)) {
            int status = otherwise.reason == EntFailure.Reason.UNAVAILABLE ? otherwise.status : 502;
            return EntFailure.unavailable(status, "provider unreachable", e);
        }
        if (e instanceof OidcMissingSessionStateException
                || e instanceof OidcMissingStateParameterException
                || e instanceof OidcStateMismatchException) {
            return EntFailure.expired(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        if (causedBy(e, BadJOSEException.class)
                || causedBy(e, JOSEException.class)
                || e instanceof OidcIssuerMismatchException) {
            return EntFailure.unverified(
                    otherwise.reason == EntFailure.Reason.UNVERIFIED
                            ? otherwise.getMessage()
                            : "verification failed",
                    e);
        }
        return otherwise;
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) return true;
        }
        return false;
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
