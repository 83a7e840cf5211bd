package fr.sesame.web;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.QuoteMode;

/**
 * The one CSV format of every export, the one French Excel opens with a double click: UTF-8 with a
 * BOM (without it Excel reads Windows-1252), {@code ;} between cells, every cell in double quotes,
 * CRLF line ends, dates as {@code 2026-12-01} and times as {@code 2026-12-01 17:30:00} in
 * Europe/Paris (both read as dates by Excel and LibreOffice in French), booleans as {@code
 * true}/{@code false}. A cell that starts with =, +, -, @, tab or carriage return gets a leading
 * apostrophe, so that no spreadsheet runs it as a formula.
 */
public final class CsvExport {
    public static final String CONTENT_TYPE = "text/csv; charset=utf-8";
    static final CSVFormat FORMAT =
            CSVFormat.DEFAULT
                    .builder()
                    .setDelimiter(';')
                    .setQuoteMode(QuoteMode.ALL)
                    .setRecordSeparator("\r\n")
                    .get();
    private static final DateTimeFormatter TIME = Dates.CSV.withZone(Dates.PARIS);

    private CsvExport() {}

    /**
     * The file: its header, then one line per row; a cell may be any value ({@code null} is an
     * empty cell).
     */
    public static String write(List<String> header, List<? extends List<?>> rows) {
        StringWriter out = new StringWriter();
        out.write('\uFEFF');
        try (CSVPrinter printer = new CSVPrinter(out, FORMAT)) {
            printer.printRecord(header.stream().map(CsvExport::cell).toList());
            for (List<?> row : rows)
                printer.printRecord(row.stream().map(CsvExport::cell).toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Sends the file as a download that no cache keeps (exports hold personal data). */
    public static void send(Context ctx, String fileName, String csv) {
        ctx.header(
                "Content-Disposition",
                "attachment; filename=\"" + fileName.replaceAll("[^A-Za-z0-9._-]", "") + "\"");
        ctx.header("Cache-Control", "no-store");
        ctx.contentType(CONTENT_TYPE).result(csv);
    }

    static String cell(Object value) {
        String s;
        if (value == null) s = "";
        else if (value instanceof Instant i) s = TIME.format(i);
        else if (value instanceof LocalDate d) s = d.toString();
        else s = value.toString();
        return neutralise(s);
    }

    /** =, +, -, @, tab or carriage return first: a spreadsheet would take it for a formula. */
    static String neutralise(String cell) {
        if (cell.isEmpty()) return "";
        char c = cell.charAt(0);
        return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r'
                ? "'" + cell
                : cell;
    }
}
