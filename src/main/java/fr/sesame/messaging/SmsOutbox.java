package fr.sesame.messaging;

import fr.sesame.db.TownUrls;
import fr.sesame.web.Messages;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * What a feature calls to send an SMS, <b>inside its own transaction</b>: {@link #enqueue} writes
 * the message to {@code sms_outbox} on the caller's {@link Handle}, so that it is sent if and only
 * if the caller's change commits; the {@link SmsWorker} sends it afterwards (never between 21:00
 * and 08:00 Paris time), retries it with backoff and never sends it twice.
 *
 * <p>The text given is the message itself, in the guardian's language; the outbox adds the
 * guardian's opt-out link on a line of its own ({@code sms.stop}), so {@link #parts(String,
 * String)} is what to show before sending (it counts that line too). Only transactional kinds exist
 * ({@link #KINDS}); a guardian who opted out, or who has no French mobile number, gets a row that
 * records it (status {@code opted_out} or {@code no_number}) and no SMS.
 */
public final class SmsOutbox {
    /** The kinds of SMS Sésame sends: reminders, the no-show follow-up, invitations to book. */
    public static final List<String> KINDS =
            List.of("reminder_before", "reminder_morning", "follow_up", "campaign");

    /** Path of the opt-out page; the token follows. Short, for SMS. */
    public static final String OPT_OUT_PATH = "/o/";

    static final int TOKEN_LENGTH = 12;
    private static final String TOKEN_ALPHABET =
            "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What became of an enqueued message. */
    public enum Outcome {
        /** Written; it will be sent. */
        QUEUED,
        /** A message with this dedup key was already written: nothing new. */
        ALREADY_QUEUED,
        /** The guardian opted out: recorded, not sent. */
        OPTED_OUT,
        /** The guardian has no French mobile number: recorded, not sent. */
        NO_NUMBER
    }

    /**
     * The message, with its opt-out line, is longer than {@code SMS_MAX_PARTS} parts; nothing was
     * written. {@link #messageKey} is {@code sms.error.toolong}, with the parts and the limit.
     */
    public static final class TooLong extends IllegalArgumentException {
        public final String messageKey = "sms.error.toolong";
        public final int parts;
        public final int maxParts;

        TooLong(int parts, int maxParts) {
            super("an SMS of " + parts + " parts, more than SMS_MAX_PARTS=" + maxParts);
            this.parts = parts;
            this.maxParts = maxParts;
        }
    }

    private final TownUrls urls;
    private final Clock clock;
    private final int maxParts;
    private final Runnable written;

    /**
     * {@code written} runs after a transaction that wrote a message to send has committed (App
     * wakes the worker).
     */
    public SmsOutbox(String baseUrl, Clock clock, int maxParts, Runnable written) {
        this(TownUrls.fixed(baseUrl), clock, maxParts, written);
    }

    /** The same, each town's opt-out links with its own address. */
    public SmsOutbox(TownUrls urls, Clock clock, int maxParts, Runnable written) {
        this.urls = urls;
        this.clock = clock;
        this.maxParts = maxParts;
        this.written = written;
    }

    public int maxParts() {
        return maxParts;
    }

    /** A message not tied to a booking (a campaign's invitation to book). */
    public Outcome enqueue(Handle h, long guardianId, String text, String kind, String dedupKey) {
        return enqueue(h, guardianId, null, text, kind, dedupKey);
    }

    /**
     * Writes one SMS to the guardian, once per {@code dedupKey} (a second call with the same key
     * writes nothing and answers {@link Outcome#ALREADY_QUEUED}). A message about a booking names
     * it: a reminder is then dropped at send time if the booking was cancelled or moved, or its
     * session has started.
     *
     * @throws TooLong when the text with its opt-out line exceeds the configured parts
     * @throws IllegalArgumentException for an unknown kind or guardian, or an empty text
     */
    public Outcome enqueue(
            Handle h, long guardianId, Long bookingId, String text, String kind, String dedupKey) {
        if (!KINDS.contains(kind)) throw new IllegalArgumentException("unknown SMS kind " + kind);
        if (text == null || text.isBlank()) throw new IllegalArgumentException("empty SMS");
        if (dedupKey == null || dedupKey.isBlank())
            throw new IllegalArgumentException("an SMS needs a dedup key");
        SmsOutboxDao dao = h.attach(SmsOutboxDao.class);
        SmsOutboxDao.Recipient g =
                dao.recipient(guardianId)
                        .orElseThrow(
                                () -> new IllegalArgumentException("no guardian " + guardianId));
        String token = g.token() != null ? g.token() : optOutToken(dao, guardianId);
        String body = withOptOut(text, g.language(), optOutUrl(token));
        SmsParts.Parts parts = SmsParts.of(body);
        if (parts.parts() > maxParts) throw new TooLong(parts.parts(), maxParts);
        String recipient = FrenchMobile.normalize(g.phone()).orElse(null);
        String status = recipient == null ? "no_number" : g.optOut() ? "opted_out" : "pending";
        Instant now = clock.instant();
        int inserted =
                dao.insert(
                        dedupKey,
                        guardianId,
                        bookingId,
                        recipient,
                        g.language(),
                        kind,
                        body,
                        parts.parts(),
                        parts.encoding(),
                        status,
                        QuietHours.nextAllowed(now),
                        now);
        if (inserted == 0) return Outcome.ALREADY_QUEUED;
        return switch (status) {
            case "pending" -> {
                h.afterCommit(written);
                yield Outcome.QUEUED;
            }
            case "opted_out" -> Outcome.OPTED_OUT;
            default -> Outcome.NO_NUMBER;
        };
    }

    /**
     * Records, once per {@code dedupKey}, a message that was not sent because it is longer than
     * {@code SMS_MAX_PARTS} ({@link TooLong}): a {@code skipped} row (or {@code no_number}) with
     * the reason {@code sms.skipped.toolong}, listed on /admin/outbox, so that a reminder too long
     * is shown once and not tried again at every pass. Returns whether it was written now.
     */
    public boolean recordTooLong(
            Handle h, long guardianId, Long bookingId, String text, String kind, String dedupKey) {
        if (!KINDS.contains(kind)) throw new IllegalArgumentException("unknown SMS kind " + kind);
        SmsOutboxDao dao = h.attach(SmsOutboxDao.class);
        SmsOutboxDao.Recipient g =
                dao.recipient(guardianId)
                        .orElseThrow(
                                () -> new IllegalArgumentException("no guardian " + guardianId));
        String token = g.token() != null ? g.token() : optOutToken(dao, guardianId);
        String body = withOptOut(text, g.language(), optOutUrl(token));
        SmsParts.Parts parts = SmsParts.of(body);
        String recipient = FrenchMobile.normalize(g.phone()).orElse(null);
        Instant now = clock.instant();
        int inserted =
                dao.insert(
                        dedupKey,
                        guardianId,
                        bookingId,
                        recipient,
                        g.language(),
                        kind,
                        body,
                        parts.parts(),
                        parts.encoding(),
                        recipient == null ? "no_number" : "skipped",
                        now,
                        now);
        if (inserted == 0) return false;
        dao.tooLong(dedupKey, parts.parts() + " parts, more than SMS_MAX_PARTS=" + maxParts);
        return true;
    }

    /**
     * The parts the message will cost once its opt-out line is added, in this language (with a link
     * of the real length): what to show before a campaign is sent.
     */
    public SmsParts.Parts parts(String text, String lang) {
        String sample = optOutUrl("x".repeat(TOKEN_LENGTH));
        return SmsParts.of(withOptOut(text, lang, sample));
    }

    /** The final text: the message, then the opt-out line in the guardian's language. */
    static String withOptOut(String text, String lang, String optOutUrl) {
        return text.strip() + "\n" + Messages.of(lang).t("sms.stop", optOutUrl);
    }

    public String optOutUrl(String token) {
        return urls.current() + OPT_OUT_PATH + token;
    }

    /** The guardian's opt-out token, made now if they have none (for e-mails too). */
    public static String optOutToken(Handle h, long guardianId) {
        return optOutToken(h.attach(SmsOutboxDao.class), guardianId);
    }

    private static String optOutToken(SmsOutboxDao dao, long guardianId) {
        String token = dao.optOutToken(guardianId, newToken());
        // A concurrent transaction made it first: its row was not in this statement's snapshot.
        return token != null ? token : dao.optOutToken(guardianId, newToken());
    }

    static String newToken() {
        StringBuilder sb = new StringBuilder(TOKEN_LENGTH);
        for (int i = 0; i < TOKEN_LENGTH; i++)
            sb.append(TOKEN_ALPHABET.charAt(RANDOM.nextInt(TOKEN_ALPHABET.length())));
        return sb.toString();
    }
}
