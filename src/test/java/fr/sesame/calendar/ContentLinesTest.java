package fr.sesame.calendar;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Folding by octets, never inside a character. */
class ContentLinesTest {

    private static String unfold(String folded) {
        return folded.replace("\r\n ", "");
    }

    @Test
    void a_short_ascii_line_is_left_as_it_is_with_crlf() {
        assertThat(ContentLines.fold("BEGIN:VCALENDAR\nVERSION:2.0"))
                .isEqualTo("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n");
    }

    @Test
    void accented_text_is_folded_at_75_octets_not_75_characters() {
        String line = "SUMMARY:" + "é".repeat(70);
        String folded = ContentLines.fold(line);
        Ical.assertWellFormed(folded.getBytes(StandardCharsets.UTF_8));
        assertThat(folded.split("\r\n")[0].getBytes(StandardCharsets.UTF_8))
                .hasSize(75 - 1); // 8 + 33 × 2 = 74
        assertThat(unfold(folded)).isEqualTo(line + "\r\n");
    }

    @Test
    void an_emoji_on_the_fold_moves_whole_to_the_next_line() {
        for (int pad = 60; pad < 80; pad++) {
            String line = "DESCRIPTION:" + "a".repeat(pad - 12) + "😀👩‍👧🎒é" + "b".repeat(50);
            String folded = ContentLines.fold(line);
            Ical.assertWellFormed(folded.getBytes(StandardCharsets.UTF_8));
            assertThat(unfold(folded)).isEqualTo(line + "\r\n");
        }
    }

    @Test
    void a_long_line_becomes_several_lines_that_each_hold_at_most_75_octets() {
        String line =
                "LOCATION:"
                        + "École élémentaire Jules Ferry\\, 12 rue des Écoles\\, 21300 Chenôve "
                                .repeat(10);
        String folded = ContentLines.fold(line);
        assertThat(folded.split("\r\n"))
                .hasSizeGreaterThan(8)
                .allSatisfy(
                        l ->
                                assertThat(l.getBytes(StandardCharsets.UTF_8).length)
                                        .isLessThanOrEqualTo(75));
        assertThat(unfold(folded)).isEqualTo(line + "\r\n");
    }
}
