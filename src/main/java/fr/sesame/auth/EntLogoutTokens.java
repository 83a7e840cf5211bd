package fr.sesame.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import java.net.MalformedURLException;
import java.net.URI;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Set;

/**
 * Verifies the ENT's back-channel logout tokens (OpenID Connect Back-Channel Logout 1.0) with
 * nimbus-jose-jwt: signed by one of the ENT's keys (its JWKS, from discovery), issued by the ENT,
 * for our client, recently, with the back-channel logout event, a {@code sub} (the ENT sends no
 * {@code sid}) and no {@code nonce}.
 */
final class EntLogoutTokens {
    static final String EVENT = "http://schemas.openid.net/event/backchannel-logout";

    /** How old a logout token may be. */
    static final Duration MAX_AGE = Duration.ofMinutes(5);

    private static final int CLOCK_SKEW_SECONDS = 60;
    private static final Set<JWSAlgorithm> ALGORITHMS =
            Set.of(
                    JWSAlgorithm.RS256,
                    JWSAlgorithm.RS384,
                    JWSAlgorithm.RS512,
                    JWSAlgorithm.PS256,
                    JWSAlgorithm.PS384,
                    JWSAlgorithm.PS512,
                    JWSAlgorithm.ES256,
                    JWSAlgorithm.ES384,
                    JWSAlgorithm.ES512);

    /**
     * A token that must not end any session; its message says why (for the log and the JSON
     * answer).
     */
    static final class Rejected extends Exception {
        Rejected(String message) {
            super(message);
        }
    }

    /** Who to sign out. */
    record Subject(String issuer, String subject) {}

    private final String clientId;
    private final EntProvider provider;
    private volatile Verifier verifier;

    private record Verifier(
            String issuer, String jwksUri, DefaultJWTProcessor<SecurityContext> processor) {}

    EntLogoutTokens(String clientId, EntProvider provider) {
        this.clientId = clientId;
        this.provider = provider;
    }

    Subject verify(String logoutToken) throws Rejected {
        if (logoutToken == null || logoutToken.isBlank())
            throw new Rejected("missing logout_token");
        if (logoutToken.length() > 20_000) throw new Rejected("logout_token too long");
        Verifier v = verifier();
        JWTClaimsSet claims;
        try {
            claims = v.processor().process(logoutToken, null);
        } catch (ParseException e) {
            throw new Rejected("logout_token is not a signed JWT");
        } catch (BadJOSEException | JOSEException e) {
            throw new Rejected("logout_token rejected: " + e.getMessage());
        }
        Date issuedAt = claims.getIssueTime();
        Instant now = Instant.now();
        if (issuedAt.toInstant().isBefore(now.minus(MAX_AGE).minusSeconds(CLOCK_SKEW_SECONDS))
                || issuedAt.toInstant().isAfter(now.plusSeconds(CLOCK_SKEW_SECONDS))) {
            throw new Rejected("logout_token iat is not recent");
        }
        Object events = claims.getClaim("events");
        if (!(events instanceof Map<?, ?> map) || !map.containsKey(EVENT)) {
            throw new Rejected("logout_token events lacks " + EVENT);
        }
        if (claims.getSubject() == null || claims.getSubject().isBlank())
            throw new Rejected("logout_token has no sub");
        return new Subject(claims.getIssuer(), claims.getSubject());
    }

    /** Built from the discovery document once, and again if the ENT's issuer or keys URL change. */
    private Verifier verifier() throws Rejected {
        OIDCProviderMetadata metadata;
        try {
            metadata = provider.metadata(502);
        } catch (EntFailure e) {
            throw new Rejected("cannot read the ENT's discovery document: " + e.getMessage());
        }
        String issuer = metadata.getIssuer().getValue();
        String jwksUri =
                metadata.getJWKSetURI() == null ? null : metadata.getJWKSetURI().toString();
        if (jwksUri == null) throw new Rejected("the ENT's discovery document has no jwks_uri");
        Verifier current = verifier;
        if (current != null && current.issuer().equals(issuer) && current.jwksUri().equals(jwksUri))
            return current;

        JWKSource<SecurityContext> keys;
        try {
            keys =
                    JWKSourceBuilder.<SecurityContext>create(
                                    URI.create(jwksUri).toURL(),
                                    new DefaultResourceRetriever(
                                            provider.connectTimeoutMs(),
                                            provider.readTimeoutMs(),
                                            512 * 1024))
                            .build();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new Rejected("the ENT's jwks_uri is not a URL");
        }
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(
                new DefaultJOSEObjectTypeVerifier<>(
                        new JOSEObjectType("logout+jwt"), JOSEObjectType.JWT, null));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
        DefaultJWTClaimsVerifier<SecurityContext> claims =
                new DefaultJWTClaimsVerifier<>(
                        Set.of(clientId),
                        new JWTClaimsSet.Builder().issuer(issuer).build(),
                        Set.of("iss", "aud", "iat", "sub", "events"),
                        Set.of("nonce"));
        claims.setMaxClockSkew(CLOCK_SKEW_SECONDS);
        processor.setJWTClaimsSetVerifier(claims);
        current = new Verifier(issuer, jwksUri, processor);
        verifier = current;
        return current;
    }
}
