package fr.sesame.roster;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.QuoteMode;

/**
 * CSV for spreadsheets: semicolons (what French Excel expects), every cell quoted, a BOM so that Excel reads UTF-8,
 * and no cell that a spreadsheet would run as a formula (such a cell gets a leading apostrophe).
 */
final class CsvExport {
    private CsvExport() {
    }

    static String write(List<String> header, List<List<String>> rows) {
        StringWriter out = new StringWriter();
        out.write('\uFEFF');
        CSVFormat format = CSVFormat.DEFAULT.builder().setDelimiter(';').setQuoteMode(QuoteMode.ALL)
                .setRecordSeparator("\r\n").get();
        try (CSVPrinter printer = new CSVPrinter(out, format)) {
            printer.printRecord(header.stream().map(CsvExport::neutralise).toList());
            for (List<String> row : rows) printer.printRecord(row.stream().map(CsvExport::neutralise).toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** =, +, -, @, tab or carriage return first: a spreadsheet would take it for a formula. */
    static String neutralise(String cell) {
        if (cell == null || cell.isEmpty()) return "";
        char c = cell.charAt(0);
        return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r' ? "'" + cell : cell;
    }
}
