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
 * <p>Triggers on the sessions, bookings, trainers, schools and invitations advance {@code
 * calendar_change_seq} at commit time. A cached feed built at the current counter value is served
 * as it is (or as 304); otherwise it is rebuilt. A warm request touches no database: the counter is
 * read at most once per {@link #VERSION_CHECK} (and at once after a change made through {@link
 * CalendarOutbox} in this process), and a token's owner is remembered for {@link #TOKEN_TTL}
 * (forgotten at once when it is regenerated here). So another instance sharing the database shows a
 * change within a second and stops serving a regenerated link within {@link #TOKEN_TTL}. A feed is
 * also rebuilt after {@link #MAX_AGE}, so that sessions leave the window as time passes; its ETag
 * stays the same when its text does. (The triggers run just before commit: a feed built in the
 * instant between a trigger and its commit misses that change until the next change or MAX_AGE. No
 * lock is taken in the booking transactions.)
 */
public final class CalendarFeeds {
    static final Duration MAX_AGE = Duration.ofMinutes(10);
    static final Duration VERSION_CHECK = Duration.ofSeconds(1);
    static final Duration TOKEN_TTL = Duration.ofSeconds(10);

    /** Owner kinds, as stored in calendar_feed_token. */
    public static final String GUARDIAN = "guardian";

    public static final String TRAINER = "trainer";
    public static final String SCHOOL = "school";
    public static final String ADMIN = "admin";

    /**
     * A feed ready to serve, also gzipped (calendar apps ask for gzip; the text shrinks about
     * tenfold).
     */
    public record Feed(byte[] body, byte[] gzipped, String etag, Instant lastModified) {
        /** The ETag of the gzipped representation. */
        public String gzipEtag() {
            return etag.substring(0, etag.length() - 1) + "-gz\"";
        }
    }

    private record Entry(long version, long builtAt, Feed feed) {}

    private record Owner(String kind, long id, String language, long seenAt) {}

    private record Version(long value, long checkedAt) {}

    private final Jdbi jdbi;
    private final CalendarTexts texts;
    private final ConcurrentHashMap<String, Entry> cache = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Owner> owners = new ConcurrentHashMap<>();
    private volatile Version version = new Version(-1, 0);

    /** {@code urls}: each town's feeds and their links with its own address. */
    public CalendarFeeds(Jdbi jdbi, fr.sesame.db.TownUrls urls, fr.sesame.Config.Mail mail) {
        this.jdbi = jdbi;
        this.texts = new CalendarTexts(urls, mail);
    }

    /** The feed a token opens; empty for an unknown or revoked token. */
    public Optional<Feed> feed(String token) {
        if (token == null || token.length() < 20 || token.length() > 100) return Optional.empty();
        long now = System.currentTimeMillis();
        String hash = Tokens.sha256(token);
        // a token opens its own town's feed only, on its town's host (issue 17)
        String ownerKey = fr.sesame.db.Towns.currentOf(jdbi) + ":" + hash;
        Owner owner = owners.get(ownerKey);
        if (owner == null || now - owner.seenAt() > TOKEN_TTL.toMillis()) {
            Optional<CalendarDao.FeedOwner> found =
                    jdbi.withHandle(h -> h.attach(CalendarDao.class).feedOwner(hash));
            if (found.isEmpty()) {
                owners.remove(ownerKey);
                return Optional.empty();
            }
            CalendarDao.FeedOwner f = found.get();
            owner = new Owner(f.kind(), f.ownerId(), f.language(), now);
            owners.put(ownerKey, owner);
            version = new Version(Math.max(version.value(), f.version()), now);
        }
        long current = currentVersion(now);
        String key = owner.kind() + ":" + owner.id() + ":" + owner.language();
        Entry entry = cache.get(key);
        if (entry != null
                && entry.version() >= current
                && now - entry.builtAt() < MAX_AGE.toMillis()) {
            return Optional.of(entry.feed());
        }
        byte[] body =
                build(owner.kind(), owner.id(), owner.language()).getBytes(StandardCharsets.UTF_8);
        String etag = "\"" + etagOf(body) + "\"";
        Instant lastModified =
                entry != null && entry.feed().etag().equals(etag)
                        ? entry.feed().lastModified()
                        : Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Feed feed = new Feed(body, gzip(body), etag, lastModified);
        // the counter was read before building: a change committed meanwhile makes a later request
        // rebuild
        cache.merge(
                key,
                new Entry(current, now, feed),
                (old, fresh) -> old.version() > fresh.version() ? old : fresh);
        return Optional.of(feed);
    }

    /** The change counter, read from the database at most once per VERSION_CHECK. */
    private long currentVersion(long now) {
        Version v = version;
        if (now - v.checkedAt() < VERSION_CHECK.toMillis()) return v.value();
        long value = jdbi.withHandle(h -> h.attach(CalendarDao.class).changeVersion());
        version = new Version(value, now);
        return value;
    }

    /** Something changed in this process: the next request reads the counter again. */
    void changed() {
        version = new Version(version.value(), 0);
    }

    private static byte[] gzip(byte[] body) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(body.length / 6 + 64);
        try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(out)) {
            gz.write(body);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static String etagOf(byte[] body) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(body))
                    .substring(0, 32);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The text of a feed, built from the database now (the benchmark measures this). */
    String build(String kind, long ownerId, String lang) {
        Messages msg = Messages.of(lang);
        return jdbi.withHandle(
                h -> {
                    CalendarDao dao = h.attach(CalendarDao.class);
                    return switch (kind) {
                        case GUARDIAN ->
                                Ics.feed(
                                        msg.t("calendar.feed.name.guardian"),
                                        guardianEvents(dao.guardianBookings(ownerId), lang));
                        case TRAINER ->
                                Ics.feed(
                                        msg.t(
                                                "calendar.feed.name.trainer",
                                                dao.staffName(ownerId).orElse("")),
                                        events(dao.trainerSessions(ownerId), kind, lang));
                        case SCHOOL ->
                                Ics.feed(
                                        msg.t(
                                                "calendar.feed.name.school",
                                                dao.schoolName(ownerId).orElse("")),
                                        events(dao.schoolSessions(ownerId), kind, lang));
                        case ADMIN ->
                                Ics.feed(
                                        msg.t("calendar.feed.name.admin"),
                                        events(dao.allSessions(), kind, lang));
                        default -> throw new IllegalArgumentException(kind);
                    };
                });
    }

    private List<Ics.Event> events(List<CalendarDao.SessionRow> rows, String kind, String lang) {
        CalendarTexts.FeedWords words = new CalendarTexts.FeedWords(lang);
        return rows.stream().map(s -> texts.feedEvent(s, kind, words)).toList();
    }

    private List<Ics.Event> guardianEvents(List<CalendarDao.SessionRow> rows, String lang) {
        CalendarTexts.FeedWords words = new CalendarTexts.FeedWords(lang);
        return rows.stream().map(s -> texts.guardianEvent(s, words)).toList();
    }

    /**
     * A new secret URL token for this owner (at least 128 random bits; only its hash is kept). The
     * owner's previous token stops working at once.
     */
    public String newToken(String kind, long ownerId, String lang) {
        String token = Tokens.random(24);
        jdbi.useTransaction(
                h -> {
                    CalendarDao dao = h.attach(CalendarDao.class);
                    dao.revokeTokens(kind, ownerId);
                    dao.insertToken(
                            kind,
                            ownerId,
                            Tokens.sha256(token),
                            fr.sesame.web.Messages.LANGUAGES.contains(lang) ? lang : "fr");
                });
        owners.values().removeIf(o -> o.kind().equals(kind) && o.id() == ownerId);
        return token;
    }

    /**
     * A disabled staff account's feeds stop at once here (other instances within {@link
     * #TOKEN_TTL}).
     */
    public void forgetStaff(long staffId) {
        owners.values()
                .removeIf(
                        o ->
                                (o.kind().equals(TRAINER) || o.kind().equals(ADMIN))
                                        && o.id() == staffId);
    }

    /** When the owner's live token was made, if there is one. */
    public Optional<Instant> liveTokenSince(String kind, long ownerId) {
        return jdbi.withHandle(h -> h.attach(CalendarDao.class).liveToken(kind, ownerId))
                .map(CalendarDao.LiveToken::createdAt);
    }

    public String feedUrl(String token) {
        return texts.baseUrl() + "/calendar/feed/" + token + ".ics";
    }

    /**
     * The same address for apps that subscribe with a click (Apple Calendar, Outlook on the
     * desktop).
     */
    public String webcalUrl(String token) {
        return feedUrl(token).replaceFirst("^https?://", "webcal://");
    }
}
