package fr.sesame.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** One way to write dates and times per language, and no date pattern anywhere else. */
class DatesTest {
    // Tuesday 8 December 2026, 14:00 to 16:00 in Paris
    private static final Instant START = Instant.parse("2026-12-08T13:00:00Z");
    private static final Instant END = Instant.parse("2026-12-08T15:00:00Z");

    @Test
    void each_language_writes_the_day_with_its_year_and_a_24_hour_time() {
        assertThat(Dates.date(START, "fr")).isEqualTo("mardi 8 décembre 2026");
        assertThat(Dates.dayAndTime(START, "fr")).isEqualTo("mardi 8 décembre 2026 à 14:00");
        assertThat(Dates.dayAndTimeRange(START, END, "fr"))
                .isEqualTo("mardi 8 décembre 2026, 14:00 – 16:00");
        assertThat(Dates.timeRange(START, END, "fr")).isEqualTo("14:00 – 16:00");
        assertThat(Dates.dayAndTime(START, "en")).isEqualTo("Tuesday 8 December 2026 at 14:00");
        assertThat(Dates.date(START, "ar")).isEqualTo("الثلاثاء 8 ديسمبر 2026");
        assertThat(Dates.dayAndTime(START, "ar")).isEqualTo("الثلاثاء 8 ديسمبر 2026، الساعة 14:00");
        assertThat(Dates.dayAndTime(START, "tr")).isEqualTo("8 Aralık 2026 Salı, saat 14:00");
        assertThat(Dates.dayAndTime(START, "pt"))
                .isEqualTo("terça-feira, 8 de dezembro de 2026, às 14:00");
        assertThat(Dates.dayAndTime(START, "uk")).isEqualTo("вівторок, 8 грудня 2026 р., о 14:00");
        for (String lang : Messages.LANGUAGES) {
            assertThat(Dates.time(START, lang)).isEqualTo("14:00");
            assertThat(Dates.dayAndTimeRange(START, END, lang))
                    .as(lang)
                    .startsWith(Dates.date(START, lang))
                    .endsWith("14:00 – 16:00")
                    .contains("2026");
        }
        // a day alone, and a language not served reads French
        assertThat(Dates.date(LocalDate.of(2027, 1, 4), "fr")).isEqualTo("lundi 4 janvier 2027");
        assertThat(Dates.dayAndTime(START, "xx")).isEqualTo(Dates.dayAndTime(START, "fr"));
        // summer time: 14:00 in July is 12:00 UTC
        assertThat(Dates.time(Instant.parse("2027-07-06T12:00:00Z"), "fr")).isEqualTo("14:00");
    }

    /** Every date on a page, a mail, a feed, a PDF or an SMS comes from Dates. */
    @Test
    void no_date_pattern_is_written_outside_dates() throws IOException {
        List<String> found;
        try (Stream<Path> files =
                Stream.concat(
                        Files.walk(Path.of("src/main/java")), Files.walk(Path.of("templates")))) {
            found =
                    files.filter(Files::isRegularFile)
                            .filter(f -> !f.endsWith(Path.of("fr/sesame/web/Dates.java")))
                            .filter(
                                    f -> {
                                        try {
                                            String text = Files.readString(f);
                                            return text.contains("ofPattern(")
                                                    || text.contains("ofLocalizedDate")
                                                    || text.contains("ofLocalizedTime")
                                                    || text.contains("ofLocalizedDateTime")
                                                    || text.contains("SimpleDateFormat")
                                                    || text.matches("(?s).*'h'mm.*");
                                        } catch (IOException e) {
                                            throw new java.io.UncheckedIOException(e);
                                        }
                                    })
                            .map(Path::toString)
                            .toList();
        }
        assertThat(found).isEmpty();
        // the scan reads the real sources: Dates itself is found by the same test
        assertThat(Files.readString(Path.of("src/main/java/fr/sesame/web/Dates.java")))
                .contains("ofPattern(");
    }
}
