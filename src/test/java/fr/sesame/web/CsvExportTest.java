package fr.sesame.web;

import static org.assertj.core.api.Assertions.assertThat;

import fr.sesame.support.ExportCsv;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one export format, read back by commons-csv as a spreadsheet would. */
class CsvExportTest {

    @Test
    void every_cell_is_quoted_with_semicolons_a_bom_and_crlf_and_reads_back_as_written() {
        String csv =
                CsvExport.write(
                        List.of("nom", "note"),
                        List.of(
                                List.of("Lefèvre; Zoé", "dit \"Zozo\"\nsur deux lignes"),
                                List.of("Martin", "")));
        assertThat(csv).startsWith("\uFEFF\"nom\";\"note\"\r\n\"Lefèvre; Zoé\";\"dit \"\"Zozo\"\"");
        List<List<String>> records = ExportCsv.read(csv);
        assertThat(records)
                .containsExactly(
                        List.of("nom", "note"),
                        List.of("Lefèvre; Zoé", "dit \"Zozo\"\nsur deux lignes"),
                        List.of("Martin", ""));
    }

    @Test
    void dates_are_iso_days_times_are_paris_wall_clock_and_null_is_an_empty_cell() {
        String csv =
                CsvExport.write(
                        List.of("le", "depuis", "l_ete", "rien", "oui"),
                        List.of(
                                Arrays.asList(
                                        LocalDate.of(2026, 9, 1),
                                        Instant.parse("2026-12-01T16:30:00Z"),
                                        Instant.parse("2026-07-01T16:30:00Z"),
                                        null,
                                        true)));
        assertThat(ExportCsv.read(csv).get(1))
                .containsExactly(
                        "2026-09-01", "2026-12-01 17:30:00", "2026-07-01 18:30:00", "", "true");
    }

    @Test
    void
            cells_a_spreadsheet_would_run_as_formulas_start_with_an_apostrophe_and_others_are_untouched() {
        List<String> cells =
                List.of(
                        "=HYPERLINK(\"http://evil\")",
                        "+33 6 12 34 56 78",
                        "-2+3",
                        "@SUM(A1)",
                        "\tx",
                        "Martin",
                        "a=b");
        List<String> row =
                ExportCsv.read(
                                CsvExport.write(
                                        List.of("a", "b", "c", "d", "e", "f", "g"), List.of(cells)))
                        .get(1);
        assertThat(row)
                .containsExactly(
                        "'=HYPERLINK(\"http://evil\")",
                        "'+33 6 12 34 56 78",
                        "'-2+3",
                        "'@SUM(A1)",
                        "'\tx",
                        "Martin",
                        "a=b");
    }
}
