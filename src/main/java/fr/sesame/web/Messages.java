package fr.sesame.web;

import java.text.MessageFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/** The texts of one language, from i18n/messages*.properties (French first, English second). */
public final class Messages {
    public static final List<String> LANGUAGES = List.of("fr", "en");
    private static final Map<String, Messages> BY_LANG =
            Map.of(
                    "fr", new Messages("fr"),
                    "en", new Messages("en"));

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
