package fr.sesame.web;

import com.ibm.icu.text.MessageFormat;
import com.ibm.icu.util.ULocale;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * The texts of one language, from i18n/messages*.properties (French first, English second, then the
 * other languages families read). A key a family language lacks falls back to French: staff pages
 * are in French and English only.
 *
 * <p>Texts with arguments are ICU message formats: counts say {@code {n, plural, one {…} other
 * {…}}} with the language's own CLDR plural categories (Arabic zero/one/two/few/many/other,
 * Ukrainian one/few/many/other, French {@code one} for 0 and 1), and {@code select} chooses between
 * words. An apostrophe is literal, except before a brace where {@code ''} writes one (ICU's
 * default: a text written for the JDK's MessageFormat, with {@code ''}, reads the same).
 */
public final class Messages {
    /** The languages a family can read Sésame in: pages, e-mails, invitations, letters, feeds. */
    public static final List<String> FAMILY_LANGUAGES = List.of("fr", "en", "ar", "tr", "pt", "uk");

    /**
     * The languages of staff pages (admin, trainer, school): a staff page asked in "ar" is French.
     */
    public static final List<String> STAFF_LANGUAGES = List.of("fr", "en");

    /**
     * Every language served, the one list used everywhere a language is accepted: roster import,
     * guardians' and sessions' languages, calendar feeds, the language switch.
     */
    public static final List<String> LANGUAGES = FAMILY_LANGUAGES;

    /**
     * The keys every family language must translate, by prefix (MessageBundlesTest checks them);
     * the other keys are staff texts, in French and English only.
     */
    public static final List<String> FAMILY_KEY_PREFIXES =
            List.of(
                    "layout.",
                    "home.",
                    "error.",
                    "form.",
                    "auth.choose.",
                    "auth.code.",
                    "auth.ent.",
                    "auth.throttled",
                    "parent.",
                    "booking.",
                    "a11y.footer",
                    "a11y.home",
                    "sms.stop",
                    "reminder.",
                    "optout.",
                    "reach.family.",
                    "roster.letter.",
                    "calendar.mail.",
                    "calendar.reminder",
                    "calendar.event.",
                    "calendar.feed.",
                    "charter.",
                    "a11y.",
                    // the guardian's calendar page (its school and staff texts stay French and
                    // English)
                    "calendar.page.guardian.",
                    "calendar.help.",
                    "calendar.page.bookings",
                    "calendar.page.add",
                    "calendar.page.subscribe",
                    "calendar.page.created",
                    "calendar.page.webcal",
                    "calendar.page.https",
                    "calendar.page.apps",
                    "calendar.page.exists",
                    "calendar.page.none",
                    "calendar.page.create",
                    "calendar.page.renew",
                    "calendar.nav",
                    "roster.code.prefilled");

    /** Keys under a family prefix that are staff texts after all. */
    public static final List<String> STAFF_KEY_PREFIXES =
            List.of("booking.staff.", "auth.choose.staff", "calendar.nav.outbox");

    public static boolean familyKey(String key) {
        return FAMILY_KEY_PREFIXES.stream().anyMatch(key::startsWith)
                && STAFF_KEY_PREFIXES.stream().noneMatch(key::startsWith);
    }

    private static final Map<String, Messages> BY_LANG =
            LANGUAGES.stream()
                    .collect(java.util.stream.Collectors.toUnmodifiableMap(l -> l, Messages::new));

    private final String lang;
    private final Locale locale;
    private final ULocale uLocale;
    private final ResourceBundle bundle;

    /**
     * The compiled formats of this language, by key. An ICU format is not safe for two threads at
     * once, and compiling one costs far more than formatting: each key keeps a few idle copies, one
     * taken per use and given back.
     */
    private final Map<String, Pool> formats = new java.util.concurrent.ConcurrentHashMap<>();

    private static final class Pool {
        private final MessageFormat prototype;
        private final java.util.concurrent.ConcurrentLinkedQueue<MessageFormat> idle =
                new java.util.concurrent.ConcurrentLinkedQueue<>();

        Pool(MessageFormat prototype) {
            this.prototype = prototype;
        }

        String format(Object[] args) {
            MessageFormat f = idle.poll();
            if (f == null) f = (MessageFormat) prototype.clone();
            try {
                return f.format(args);
            } finally {
                idle.offer(f);
            }
        }
    }

    private Messages(String lang) {
        this.lang = lang;
        this.locale = Locale.forLanguageTag(lang);
        // The Portuguese texts are Portugal's (most Portuguese-speaking families here come from
        // there): its plural rules count 0 as "other", where Brazil's count it with 1.
        this.uLocale = ULocale.forLanguageTag(lang.equals("pt") ? "pt-PT" : lang);
        this.bundle =
                ResourceBundle.getBundle(
                        "i18n.messages",
                        lang.equals("fr") ? Locale.ROOT : locale,
                        ResourceBundle.Control.getNoFallbackControl(
                                ResourceBundle.Control.FORMAT_PROPERTIES));
    }

    public static Messages of(String lang) {
        return BY_LANG.getOrDefault(lang, BY_LANG.get("fr"));
    }

    public String lang() {
        return lang;
    }

    public Locale locale() {
        return locale;
    }

    public String t(String key, Object... args) {
        String text;
        try {
            text = bundle.getString(key);
        } catch (MissingResourceException e) {
            return key;
        }
        if (args.length == 0) return text;
        return formats.computeIfAbsent(key, k -> new Pool(new MessageFormat(text, uLocale)))
                .format(args);
    }

    /** The ICU locale of this language (plural rules, numbers). */
    public ULocale uLocale() {
        return uLocale;
    }

    public boolean has(String key) {
        return bundle.containsKey(key);
    }
}
