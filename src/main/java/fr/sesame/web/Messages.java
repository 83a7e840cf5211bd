package fr.sesame.web;

import java.text.MessageFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * The texts of one language, from i18n/messages*.properties (French first, English second, then the
 * other languages families read). A key a family language lacks falls back to French: staff pages
 * are in French and English only.
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
                    "roster.letter.",
                    "calendar.mail.",
                    "calendar.reminder",
                    "calendar.event.",
                    "calendar.feed.",
                    "charter.",
                    "a11y.");

    /** Keys under a family prefix that are staff texts after all. */
    public static final List<String> STAFF_KEY_PREFIXES =
            List.of("booking.staff.", "auth.choose.staff");

    public static boolean familyKey(String key) {
        return FAMILY_KEY_PREFIXES.stream().anyMatch(key::startsWith)
                && STAFF_KEY_PREFIXES.stream().noneMatch(key::startsWith);
    }

    private static final Map<String, Messages> BY_LANG =
            LANGUAGES.stream()
                    .collect(java.util.stream.Collectors.toUnmodifiableMap(l -> l, Messages::new));

    private final String lang;
    private final Locale locale;
    private final ResourceBundle bundle;
    private final Map<String, MessageFormat> formats =
            new java.util.concurrent.ConcurrentHashMap<>();

    private Messages(String lang) {
        this.lang = lang;
        this.locale = Locale.forLanguageTag(lang);
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
        // Parsed once per key; a format is not thread-safe, so each use formats with a copy
        // (cheaper than parsing).
        MessageFormat parsed = formats.computeIfAbsent(key, k -> new MessageFormat(text, locale));
        return ((MessageFormat) parsed.clone()).format(args);
    }

    public boolean has(String key) {
        return bundle.containsKey(key);
    }
}
