package fr.sesame.calendar;

import fr.sesame.auth.Tokens;
import fr.sesame.web.Messages;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Jdbi;

/**
 * Subscription feeds (METHOD:PUBLISH) at secret URLs, and their cache.
 *
 * <p>A request costs one indexed query: the token's owner, read together with {@code calendar_change_seq}, which
 * triggers on the sessions, bookings, trainers, schools and invitations advance at commit time. A cached feed built
 * at the same counter value is served as it is (or as 304); otherwise it is rebuilt. A feed is also rebuilt after
 * {@link #MAX_AGE}, so that sessions leave the window as time passes; its ETag stays the same when its text does.
 */
public final class CalendarFeeds {
    static final Duration MAX_AGE = Duration.ofMinutes(10);
    /** Owner kinds, as stored in calendar_feed_token. */
    public static final String GUARDIAN = "guardian";
    public static final String TRAINER = "trainer";
    public static final String SCHOOL = "school";
    public static final String ADMIN = "admin";

    /** A feed ready to serve. */
    public record Feed(byte[] body, String etag, Instant lastModified) {
    }

    private record Entry(long version, long builtAt, Feed feed) {
    }

    private final Jdbi jdbi;
    private final CalendarTexts texts;
    private final ConcurrentHashMap<String, Entry> cache = new ConcurrentHashMap<>();

    public CalendarFeeds(Jdbi jdbi, String baseUrl, fr.sesame.Config.Mail mail) {
        this.jdbi = jdbi;
        this.texts = new CalendarTexts(baseUrl, mail);
    }

    /** The feed a token opens; empty for an unknown or revoked token. */
    public Optional<Feed> feed(String token) {
        if (token == null || token.length() < 20 || token.length() > 100) return Optional.empty();
        Optional<CalendarDao.FeedOwner> found = jdbi.withHandle(h ->
                h.attach(CalendarDao.class).feedOwner(Tokens.sha256(token)));
        if (found.isEmpty()) return Optional.empty();
        CalendarDao.FeedOwner owner = found.get();
        String key = owner.kind() + ":" + owner.ownerId() + ":" + owner.language();
        Entry entry = cache.get(key);
        long now = System.currentTimeMillis();
        if (entry != null && entry.version() == owner.version() && now - entry.builtAt() < MAX_AGE.toMillis()) {
            return Optional.of(entry.feed());
        }
        byte[] body = build(owner.kind(), owner.ownerId(), owner.language()).getBytes(StandardCharsets.UTF_8);
        String etag = "\"" + etagOf(body) + "\"";
        Instant lastModified = entry != null && entry.feed().etag().equals(etag)
                ? entry.feed().lastModified() : Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Feed feed = new Feed(body, etag, lastModified);
        // the version was read before building: a change committed meanwhile makes the next request rebuild
        cache.merge(key, new Entry(owner.version(), now, feed),
                (old, fresh) -> old.version() > fresh.version() ? old : fresh);
        return Optional.of(feed);
    }

    private static String etagOf(byte[] body) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(body))
                    .substring(0, 32);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The text of a feed, built from the database now (the benchmark measures this). */
    String build(String kind, long ownerId, String lang) {
        Messages msg = Messages.of(lang);
        return jdbi.withHandle(h -> {
            CalendarDao dao = h.attach(CalendarDao.class);
            return switch (kind) {
                case GUARDIAN -> Ics.feed(msg.t("calendar.feed.name.guardian"),
                        dao.guardianBookings(ownerId).stream().map(s -> texts.guardianEvent(s, lang)).toList());
                case TRAINER -> Ics.feed(msg.t("calendar.feed.name.trainer", dao.staffName(ownerId).orElse("")),
                        events(dao.trainerSessions(ownerId), kind, lang));
                case SCHOOL -> Ics.feed(msg.t("calendar.feed.name.school", dao.schoolName(ownerId).orElse("")),
                        events(dao.schoolSessions(ownerId), kind, lang));
                case ADMIN -> Ics.feed(msg.t("calendar.feed.name.admin"), events(dao.allSessions(), kind, lang));
                default -> throw new IllegalArgumentException(kind);
            };
        });
    }

    private List<Ics.Event> events(List<CalendarDao.SessionRow> rows, String kind, String lang) {
        return rows.stream().map(s -> texts.feedEvent(s, kind, lang)).toList();
    }

    /**
     * A new secret URL token for this owner (at least 128 random bits; only its hash is kept). The owner's previous
     * token stops working at once.
     */
    public String newToken(String kind, long ownerId, String lang) {
        String token = Tokens.random(24);
        jdbi.useTransaction(h -> {
            CalendarDao dao = h.attach(CalendarDao.class);
            dao.revokeTokens(kind, ownerId);
            dao.insertToken(kind, ownerId, Tokens.sha256(token), "en".equals(lang) ? "en" : "fr");
        });
        return token;
    }

    /** When the owner's live token was made, if there is one. */
    public Optional<Instant> liveTokenSince(String kind, long ownerId) {
        return jdbi.withHandle(h -> h.attach(CalendarDao.class).liveToken(kind, ownerId))
                .map(CalendarDao.LiveToken::createdAt);
    }

    public String feedUrl(String token) {
        return texts.baseUrl() + "/calendar/feed/" + token + ".ics";
    }

    /** The same address for apps that subscribe with a click (Apple Calendar, Outlook on the desktop). */
    public String webcalUrl(String token) {
        return feedUrl(token).replaceFirst("^https?://", "webcal://");
    }
}
