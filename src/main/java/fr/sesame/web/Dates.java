package fr.sesame.web;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
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

    /**
     * How one language writes a day, a time and both. Built once: formatters are immutable, and
     * parsing a pattern at every date of every page showed in the profile. Every language writes
     * the year (a series or a letter spans the new year) and a 24-hour time with a colon, the same
     * on pages, e-mails, feeds, PDFs and SMS.
     */
    private record Style(DateTimeFormatter date, DateTimeFormatter dateTime, String dateThenRange) {
        static Style of(String lang, String date, String at, String dateThenRange) {
            Locale locale = Locale.forLanguageTag(lang);
            return new Style(
                    DateTimeFormatter.ofPattern(date, locale),
                    DateTimeFormatter.ofPattern(date + at + "HH:mm", locale),
                    dateThenRange);
        }
    }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm");

    /** Between the two times of a range: an en dash with spaces ("14:00 – 16:00"). */
    public static final String RANGE = " – ";

    private static final java.util.Map<String, Style> STYLES =
            java.util.Map.of(
                    "fr", Style.of("fr", "EEEE d MMMM uuuu", "' à '", ", "),
                    "en", Style.of("en", "EEEE d MMMM uuuu", "' at '", ", "),
                    "ar", Style.of("ar", "EEEE d MMMM uuuu", "'، الساعة '", "، "),
                    "tr", Style.of("tr", "d MMMM uuuu EEEE", "', saat '", ", "),
                    "pt", Style.of("pt", "EEEE, d 'de' MMMM 'de' uuuu", "', às '", ", "),
                    "uk", Style.of("uk", "EEEE, d MMMM uuuu 'р.'", ", 'о' ", ", "));

    private static Style style(String lang) {
        Style s = lang == null ? null : STYLES.get(lang);
        return s == null ? STYLES.get("fr") : s;
    }

    /** A day with its weekday and year: "mardi 8 décembre 2026". */
    public static String date(LocalDate day, String lang) {
        return style(lang).date().format(day);
    }

    /** The day of an instant in Paris: "mardi 8 décembre 2026". */
    public static String date(Instant instant, String lang) {
        return style(lang).date().format(instant.atZone(PARIS));
    }

    /** A day and a time: "mardi 8 décembre 2026 à 14:00". */
    public static String dayAndTime(Instant instant, String lang) {
        return style(lang).dateTime().format(instant.atZone(PARIS));
    }

    /** A time in Paris, 24-hour in every language: "14:00". */
    public static String time(Instant instant, String lang) {
        return TIME.format(instant.atZone(PARIS));
    }

    /** Two times: "14:00 – 16:00". */
    public static String timeRange(Instant start, Instant end, String lang) {
        return time(start, lang) + RANGE + time(end, lang);
    }

    /** A day and two times: "mardi 8 décembre 2026, 14:00 – 16:00". */
    public static String dayAndTimeRange(Instant start, Instant end, String lang) {
        Style s = style(lang);
        return date(start, lang) + s.dateThenRange() + timeRange(start, end, lang);
    }

    // Formats for machines, kept here with the others so that no date pattern lives elsewhere.

    /** A CSV cell: "2026-12-08 14:00:00", Paris time (what a spreadsheet reads as a date). */
    public static final DateTimeFormatter CSV = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    /** An iCalendar local date-time, given with TZID: "20261208T140000". */
    public static final DateTimeFormatter ICS_LOCAL =
            DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss");

    /** A date-time in SMS Factor's API (its campaign listing's start): "2026-12-08 14:00:00". */
    public static final DateTimeFormatter SMS_FACTOR =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    /** A time of day as a setting writes it: "08:00". */
    public static final DateTimeFormatter HOUR_MINUTE = DateTimeFormatter.ofPattern("HH:mm");
}
