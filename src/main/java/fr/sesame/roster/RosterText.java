package fr.sesame.roster;

import fr.sesame.roster.RosterCsv.Kind;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns an uploaded file's bytes into text, or says why it cannot, naming the line. The encoding is
 * decided once for the whole file: UTF-8 (a BOM is skipped), UTF-16 with a BOM (or plainly UTF-16
 * without one), else Windows-1252; a file whose lines disagree is refused rather than decoded
 * wrongly. Every line is then checked for control characters, which a database or a letter would
 * choke on later.
 */
final class RosterText {
    static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

    /**
     * The text of a file and the name of its encoding; or, when it cannot be used, why (text is
     * then null).
     */
    record Decoded(String text, String encoding, List<Problem> problems) {
        boolean ok() {
            return problems.isEmpty();
        }
    }

    private RosterText() {}

    static Decoded decode(Kind kind, byte[] bytes) {
        String notText = notTextReason(bytes);
        if (notText != null) return refused(Problem.file(kind, notText));
        if (startsWith(bytes, 0xEF, 0xBB, 0xBF))
            return checked(kind, strict(kind, bytes, 3, StandardCharsets.UTF_8));
        if (startsWith(bytes, 0xFF, 0xFE))
            return checked(kind, strict(kind, bytes, 2, StandardCharsets.UTF_16LE));
        if (startsWith(bytes, 0xFE, 0xFF))
            return checked(kind, strict(kind, bytes, 2, StandardCharsets.UTF_16BE));
        Charset utf16 = utf16WithoutBom(bytes);
        if (utf16 != null) return checked(kind, strict(kind, bytes, 0, utf16));
        if (mostlyControls(bytes)) return refused(Problem.file(kind, "roster.problem.notcsv"));
        return checked(kind, eightBit(kind, bytes));
    }

    /**
     * A file that declares its encoding (a BOM) must hold to it: the first line that does not is
     * named.
     */
    private static Decoded strict(Kind kind, byte[] bytes, int offset, Charset charset) {
        try {
            String text =
                    decoder(charset)
                            .decode(ByteBuffer.wrap(bytes, offset, bytes.length - offset))
                            .toString();
            return new Decoded(text, charset.name(), List.of());
        } catch (CharacterCodingException e) {
            String lenient = new String(bytes, offset, bytes.length - offset, charset);
            int line = lineOfFirst(lenient, '\uFFFD');
            return refused(
                    new Problem(
                            kind.key,
                            line,
                            "roster.problem.encoding.broken",
                            List.of(charset.name())));
        }
    }

    /**
     * Without a BOM, each line is classified: plain ASCII (either encoding), valid UTF-8 with
     * accents, or not UTF-8 (Windows-1252). UTF-8 wins as soon as one line is UTF-8 with accents;
     * one line of the other kind after that is a file saved twice in different ways (or pasted
     * together), and is refused at that line.
     */
    private static Decoded eightBit(Kind kind, byte[] bytes) {
        int line = 1;
        int firstUtf8 = 0;
        int firstWindows = 0;
        int start = 0;
        for (int i = 0; i <= bytes.length; i++) {
            boolean end =
                    i == bytes.length
                            || bytes[i] == '\n'
                            || (bytes[i] == '\r'
                                    && (i + 1 == bytes.length || bytes[i + 1] != '\n'));
            if (!end) continue;
            switch (classify(bytes, start, i)) {
                case UTF8 -> {
                    if (firstUtf8 == 0) firstUtf8 = line;
                }
                case WINDOWS -> {
                    if (firstWindows == 0) firstWindows = line;
                }
                case ASCII -> {}
            }
            if (firstUtf8 > 0 && firstWindows > 0) {
                return refused(
                        new Problem(
                                kind.key,
                                line,
                                "roster.problem.encoding.mixed",
                                List.of(Math.min(firstUtf8, firstWindows))));
            }
            start = i + 1;
            line++;
        }
        if (firstWindows == 0)
            return new Decoded(new String(bytes, StandardCharsets.UTF_8), "UTF-8", List.of());
        try {
            String text = decoder(WINDOWS_1252).decode(ByteBuffer.wrap(bytes)).toString();
            return new Decoded(text, WINDOWS_1252.name(), List.of());
        } catch (CharacterCodingException e) {
            // the five bytes Windows-1252 leaves undefined: neither encoding the town's tools write
            int bad = lineOfFirst(new String(bytes, WINDOWS_1252), '\uFFFD');
            return refused(
                    new Problem(kind.key, bad, "roster.problem.encoding.unknown", List.of()));
        }
    }

    private enum LineKind {
        ASCII,
        UTF8,
        WINDOWS
    }

    private static LineKind classify(byte[] bytes, int from, int to) {
        boolean ascii = true;
        for (int i = from; i < to && ascii; i++) ascii = bytes[i] >= 0;
        if (ascii) return LineKind.ASCII;
        try {
            decoder(StandardCharsets.UTF_8).decode(ByteBuffer.wrap(bytes, from, to - from));
            return LineKind.UTF8;
        } catch (CharacterCodingException e) {
            return LineKind.WINDOWS;
        }
    }

    /** UTF-16 saved without a BOM: text in which every other byte of the start is zero. */
    private static Charset utf16WithoutBom(byte[] bytes) {
        int n = Math.min(bytes.length, 512) & ~1;
        if (n < 4) return null;
        int evenZeros = 0;
        int oddZeros = 0;
        for (int i = 0; i < n; i += 2) {
            if (bytes[i] == 0) evenZeros++;
            if (bytes[i + 1] == 0) oddZeros++;
        }
        int pairs = n / 2;
        if (oddZeros * 10 >= pairs * 9 && evenZeros == 0) return StandardCharsets.UTF_16LE;
        if (evenZeros * 10 >= pairs * 9 && oddZeros == 0) return StandardCharsets.UTF_16BE;
        return null;
    }

    /**
     * Control characters (C0 other than tab and line ends) anywhere in the file, one problem per
     * line that has some, with its column when the line starts a record (the usual case).
     */
    private static Decoded checked(Kind kind, Decoded decoded) {
        if (!decoded.ok()) return decoded;
        String text = decoded.text();
        char separator = RosterCsv.separatorOf(text);
        List<String> header = headerCells(text, separator);
        List<Problem> problems = new ArrayList<>();
        int line = 1;
        int lineStart = 0;
        boolean reported = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n'
                    || (c == '\r' && (i + 1 == text.length() || text.charAt(i + 1) != '\n'))) {
                line++;
                lineStart = i + 1;
                reported = false;
            } else if (c < 0x20 && c != '\t' && c != '\r' && !reported) {
                int column = columnAt(text, lineStart, i, separator);
                String name =
                        column < header.size() && !header.get(column).isBlank()
                                ? header.get(column)
                                : String.valueOf(column + 1);
                problems.add(
                        new Problem(
                                kind.key, line, "roster.problem.control", List.of((int) c), name));
                reported = true;
            }
        }
        return problems.isEmpty()
                ? decoded
                : new Decoded(null, decoded.encoding(), List.copyOf(problems));
    }

    /**
     * The index of the cell holding position at, counting separators outside quotes from the line's
     * start.
     */
    private static int columnAt(String text, int lineStart, int at, char separator) {
        int column = 0;
        boolean quoted = false;
        for (int i = lineStart; i < at; i++) {
            char c = text.charAt(i);
            if (c == '"') quoted = !quoted;
            else if (c == separator && !quoted) column++;
        }
        return column;
    }

    private static List<String> headerCells(String text, char separator) {
        int end = text.length();
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n' || text.charAt(i) == '\r') {
                end = i;
                break;
            }
        }
        List<String> cells = new ArrayList<>();
        for (String cell : text.substring(0, end).split(String.valueOf(separator), -1)) {
            String s = cell.strip();
            if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\""))
                s = s.substring(1, s.length() - 1);
            cells.add(s.chars().allMatch(ch -> ch >= 0x20) ? s : "");
        }
        return cells;
    }

    private static String notTextReason(byte[] bytes) {
        if (startsWith(bytes, 'P', 'K', 3, 4)) return "roster.problem.spreadsheet";
        if (startsWith(bytes, '%', 'P', 'D', 'F')) return "roster.problem.notcsv";
        if (startsWith(bytes, 0xD0, 0xCF, 0x11, 0xE0))
            return "roster.problem.spreadsheet"; // the old .xls
        return null;
    }

    /**
     * An image or another binary file: its start is full of control bytes, where a text file has
     * none or one.
     */
    private static boolean mostlyControls(byte[] bytes) {
        int n = Math.min(bytes.length, 8192);
        int controls = 0;
        for (int i = 0; i < n; i++) {
            int b = bytes[i] & 0xFF;
            if (b < 0x20 && b != '\t' && b != '\n' && b != '\r') controls++;
        }
        return controls * 32 > n;
    }

    private static int lineOfFirst(String text, char wanted) {
        int line = 1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == wanted) return line;
            if (c == '\n' || (c == '\r' && (i + 1 == text.length() || text.charAt(i + 1) != '\n')))
                line++;
        }
        return 0;
    }

    private static boolean startsWith(byte[] bytes, int... prefix) {
        if (bytes.length < prefix.length) return false;
        for (int i = 0; i < prefix.length; i++) {
            if ((bytes[i] & 0xFF) != prefix[i]) return false;
        }
        return true;
    }

    private static java.nio.charset.CharsetDecoder decoder(Charset charset) {
        return charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    private static Decoded refused(Problem problem) {
        return new Decoded(null, null, List.of(problem));
    }
}
