package fr.sesame.reach;

import fr.sesame.audit.Actor;
import fr.sesame.audit.Audit;
import fr.sesame.auth.Tokens;
import fr.sesame.db.TownUrls;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Personal links: the link a campaign or a follow-up message carries, that opens the sessions page
 * signed in as the guardian the message went to, like a letter-code sign-in. A link is valid {@code
 * PERSONAL_LINK_DAYS} days (default 14), for that guardian's family only, and <b>once</b>: the
 * first use consumes it (a message forwarded or read over the shoulder later opens nothing). Only
 * the SHA-256 of the token is stored; the token has 128 random bits.
 *
 * <p>A personal-link sign-in is a letter-code sign-in for everything else: the same parent session
 * without an ENT account (so a new letter code ends it), the guardian's language, an audit row. It
 * is <b>not</b> evidence for linking an ENT account: like the letter code alone it proves only that
 * the visitor holds a message meant for the family (a phone shared, an SMS forwarded), so an ENT
 * account signed in from such a session is linked only on the evidence of its own claims
 * (EntService), as after a letter code.
 */
public final class PersonalLinks {
    /** Path of the link; the token follows. Short, for SMS. */
    public static final String PATH = "/l/";

    static final int TOKEN_BYTES = 16;

    private final Jdbi jdbi;
    private final TownUrls urls;
    private final Clock clock;
    private final java.util.function.Supplier<Duration> validity;

    public PersonalLinks(Jdbi jdbi, String baseUrl, Clock clock, int days) {
        this(jdbi, TownUrls.fixed(baseUrl), clock, days);
    }

    /** The same, each town's links with its own address. */
    public PersonalLinks(Jdbi jdbi, TownUrls urls, Clock clock, int days) {
        if (days < 1) throw new IllegalArgumentException("PERSONAL_LINK_DAYS must be >= 1");
        this.jdbi = jdbi;
        this.urls = urls;
        this.clock = clock;
        Duration fixed = Duration.ofDays(days);
        this.validity = () -> fixed;
    }

    /** With the current town's address and validity, read at each link (issue 17). */
    public PersonalLinks(
            Jdbi jdbi, TownUrls urls, Clock clock, java.util.function.Supplier<Duration> validity) {
        this.jdbi = jdbi;
        this.urls = urls;
        this.clock = clock;
        this.validity = validity;
    }

    public Duration validity() {
        return validity.get();
    }

    /** A new link for this guardian, written on the caller's transaction; returns its URL. */
    public String issue(Handle h, long guardianId, long familyId, String purpose) {
        String token = Tokens.random(TOKEN_BYTES);
        Instant now = clock.instant();
        h.attach(PersonalLinkDao.class)
                .insert(
                        Tokens.sha256(token),
                        guardianId,
                        familyId,
                        purpose,
                        now,
                        now.plus(validity.get()));
        return url(token);
    }

    public String url(String token) {
        return urls.current() + PATH + token;
    }

    /** A URL of the length a real one has, to count SMS parts in a preview. */
    String sampleUrl() {
        return url("x".repeat(22));
    }

    /** What a link is, seen before it is used. */
    public enum State {
        OPEN,
        USED,
        EXPIRED,
        UNKNOWN
    }

    /** The link's state and, when it is known, its guardian's language. */
    public record Look(State state, String language) {}

    public Look look(String token) {
        if (!wellFormed(token)) return new Look(State.UNKNOWN, null);
        return jdbi.withHandle(
                        h ->
                                h.attach(PersonalLinkDao.class)
                                        .find(Tokens.sha256(token), clock.instant()))
                .map(
                        f ->
                                new Look(
                                        f.moved()
                                                ? State.UNKNOWN
                                                : f.used()
                                                        ? State.USED
                                                        : f.expired() ? State.EXPIRED : State.OPEN,
                                        f.language()))
                .orElse(new Look(State.UNKNOWN, null));
    }

    /**
     * Uses the link: the guardian it signs in, once; audited in the same transaction. Empty when it
     * is unknown, used, expired or its guardian has left the family.
     */
    public Optional<Long> use(String token) {
        if (!wellFormed(token)) return Optional.empty();
        return jdbi.inTransaction(
                h -> {
                    Optional<Long> guardian =
                            h.attach(PersonalLinkDao.class)
                                    .use(Tokens.sha256(token), clock.instant());
                    guardian.ifPresent(
                            g ->
                                    Audit.record(
                                            h,
                                            Actor.guardian(g),
                                            "sign_in_personal_link",
                                            "guardian",
                                            g,
                                            Map.of("method", "personal_link")));
                    return guardian;
                });
    }

    static boolean wellFormed(String token) {
        return token != null && token.matches("[A-Za-z0-9_-]{22}");
    }
}
