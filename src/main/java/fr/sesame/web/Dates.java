package fr.sesame.web;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.Locale;

/** Dates and times as people in the town read them: Europe/Paris, in the page's language. */
public final class Dates {
    public static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    private Dates() {
    }

    public static String dayAndTime(Instant instant, String lang) {
        Locale locale = Locale.forLanguageTag(lang);
        return DateTimeFormatter.ofPattern("en".equals(lang) ? "EEEE d MMMM, h:mm a" : "EEEE d MMMM 'à' HH'h'mm", locale)
                .format(instant.atZone(PARIS));
    }

    public static String time(Instant instant, String lang) {
        return DateTimeFormatter.ofLocalizedTime(FormatStyle.SHORT).withLocale(Locale.forLanguageTag(lang))
                .format(instant.atZone(PARIS));
    }
}
