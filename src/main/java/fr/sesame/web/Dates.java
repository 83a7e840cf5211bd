package fr.sesame.web;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.FormatStyle;
import java.util.Locale;
import java.util.Optional;

/** Dates and times as people in the town read them: Europe/Paris, in the page's language. */
public final class Dates {
    public static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    /**
     * The years a date typed or sent to Sésame may have. Java reads years far beyond what
     * PostgreSQL stores (timestamptz ends in 294276): every date from outside goes through here, so
     * that none reaches the database.
     */
    static final int FIRST_YEAR = 1900;

    static final int LAST_YEAR = 2200;

    private Dates() {}

    /**
     * An ISO 8601 date-time with its offset ({@code 2026-12-01T17:30:00+01:00}, {@code ...Z});
     * empty if not one.
     */
    public static Optional<Instant> parseInstant(String text) {
        if (text == null) return Optional.empty();
        try {
            OffsetDateTime t = OffsetDateTime.parse(text.trim());
            return inRange(t.atZoneSameInstant(ZoneOffset.UTC).getYear())
                    ? Optional.of(t.toInstant())
                    : Optional.empty();
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** An ISO 8601 date ({@code 2026-12-01}); empty if not one. */
    public static Optional<LocalDate> parseDate(String text) {
        if (text == null) return Optional.empty();
        try {
            LocalDate d = LocalDate.parse(text.trim());
            return inRange(d.getYear()) ? Optional.of(d) : Optional.empty();
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static boolean inRange(int year) {
        return year >= FIRST_YEAR && year <= LAST_YEAR;
    }

    // Built once: formatters are immutable, and parsing a pattern at every date of every page
    // showed in the profile.
    private static final DateTimeFormatter DAY_AND_TIME_FR =
            DateTimeFormatter.ofPattern("EEEE d MMMM 'à' HH'h'mm", Locale.forLanguageTag("fr"));
    private static final DateTimeFormatter DAY_AND_TIME_EN =
            DateTimeFormatter.ofPattern("EEEE d MMMM, h:mm a", Locale.forLanguageTag("en"));
    private static final DateTimeFormatter TIME_FR =
            DateTimeFormatter.ofLocalizedTime(FormatStyle.SHORT)
                    .withLocale(Locale.forLanguageTag("fr"));
    private static final DateTimeFormatter TIME_EN =
            DateTimeFormatter.ofLocalizedTime(FormatStyle.SHORT)
                    .withLocale(Locale.forLanguageTag("en"));

    // The other family languages: day, date and a 24-hour time, in the language's own words.
    private static final java.util.Map<String, DateTimeFormatter> DAY_AND_TIME_OTHER =
            java.util.Map.of(
                    "ar",
                            DateTimeFormatter.ofPattern(
                                    "EEEE d MMMM، HH:mm", Locale.forLanguageTag("ar")),
                    "tr",
                            DateTimeFormatter.ofPattern(
                                    "d MMMM EEEE, HH:mm", Locale.forLanguageTag("tr")),
                    "pt",
                            DateTimeFormatter.ofPattern(
                                    "EEEE, d 'de' MMMM, 'às' HH:mm", Locale.forLanguageTag("pt")),
                    "uk",
                            DateTimeFormatter.ofPattern(
                                    "EEEE, d MMMM, HH:mm", Locale.forLanguageTag("uk")));
    private static final DateTimeFormatter TIME_24 = DateTimeFormatter.ofPattern("HH:mm");

    public static String dayAndTime(Instant instant, String lang) {
        DateTimeFormatter other = lang == null ? null : DAY_AND_TIME_OTHER.get(lang);
        if (other != null) return other.format(instant.atZone(PARIS));
        return ("en".equals(lang) ? DAY_AND_TIME_EN : DAY_AND_TIME_FR)
                .format(instant.atZone(PARIS));
    }

    public static String time(Instant instant, String lang) {
        if (lang != null && DAY_AND_TIME_OTHER.containsKey(lang))
            return TIME_24.format(instant.atZone(PARIS));
        return ("en".equals(lang) ? TIME_EN : TIME_FR).format(instant.atZone(PARIS));
    }
}
