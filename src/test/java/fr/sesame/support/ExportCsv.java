package fr.sesame.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;

/**
 * Reads an export back as a spreadsheet would, after checking the parts of its format a parser
 * forgives.
 */
public final class ExportCsv {
    private ExportCsv() {}

    /**
     * Every record (the header first) of an export: UTF-8 BOM, {@code ;}, CRLF, every cell quoted.
     */
    public static List<List<String>> read(String csv) {
        assertThat(csv).as("an export starts with a BOM").startsWith("\uFEFF");
        assertThat(csv).as("an export ends its lines with CRLF").endsWith("\r\n");
        assertThat(csv.substring(1)).as("every cell is quoted").startsWith("\"");
        CSVFormat format = CSVFormat.DEFAULT.builder().setDelimiter(';').get();
        try (CSVParser parser =
                CSVParser.builder()
                        .setReader(new StringReader(csv.substring(1)))
                        .setFormat(format)
                        .get()) {
            return parser.getRecords().stream().map(r -> List.of(r.values())).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
