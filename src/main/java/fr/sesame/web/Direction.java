package fr.sesame.web;

import java.util.Locale;
import java.util.Set;

/** Which way a language is written: the pages' {@code dir} attribute. */
public final class Direction {
    private static final Set<String> RIGHT_TO_LEFT = Set.of("ar", "he", "fa", "ur");

    private Direction() {}

    /** "rtl" for Arabic (and the other right-to-left scripts), "ltr" for every other language. */
    public static String of(String lang) {
        if (lang == null) return "ltr";
        String primary = lang.split("[-_]")[0].toLowerCase(Locale.ROOT);
        return RIGHT_TO_LEFT.contains(primary) ? "rtl" : "ltr";
    }

    public static boolean rightToLeft(String lang) {
        return "rtl".equals(of(lang));
    }
}
