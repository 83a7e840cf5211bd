package fr.sesame.calendar;

import java.nio.charset.StandardCharsets;

/**
 * Turns unfolded iCalendar text into what strict readers accept (RFC 5545 §3.1): CRLF line ends and
 * lines of at most 75 octets of UTF-8. ical4j 4.1.1 folds by Java chars, which lets accented text
 * exceed 75 octets and can cut an emoji's surrogate pair in two, so Sésame folds itself, by octets,
 * between whole code points.
 */
final class ContentLines {
    static final int MAX_OCTETS = 75;

    private ContentLines() {}

    /**
     * Folds every line of {@code unfolded} (separated by CRLF, CR or LF); the result ends with
     * CRLF.
     */
    static String fold(String unfolded) {
        StringBuilder out = new StringBuilder(unfolded.length() + unfolded.length() / 50 + 16);
        int start = 0;
        int n = unfolded.length();
        while (start < n) {
            int end = start;
            while (end < n && unfolded.charAt(end) != '\r' && unfolded.charAt(end) != '\n') end++;
            if (end > start) foldLine(unfolded, start, end, out);
            if (end < n && unfolded.charAt(end) == '\r') end++;
            if (end < n && unfolded.charAt(end) == '\n') end++;
            start = end;
        }
        return out.toString();
    }

    /**
     * Appends one logical line, folded: the first physical line holds 75 octets, the next ones a
     * space and 74.
     */
    private static void foldLine(String s, int from, int to, StringBuilder out) {
        if (to - from <= MAX_OCTETS && isAscii(s, from, to)) {
            out.append(s, from, to).append("\r\n");
            return;
        }
        int budget = MAX_OCTETS;
        int used = 0;
        int i = from;
        while (i < to) {
            int cp = s.codePointAt(i);
            int octets = utf8Length(cp);
            if (used + octets > budget) {
                out.append("\r\n ");
                budget = MAX_OCTETS - 1;
                used = 0;
            }
            out.appendCodePoint(cp);
            used += octets;
            i += Character.charCount(cp);
        }
        out.append("\r\n");
    }

    private static boolean isAscii(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) >= 0x80) return false;
        }
        return true;
    }

    static int utf8Length(int codePoint) {
        if (codePoint < 0x80) return 1;
        if (codePoint < 0x800) return 2;
        if (codePoint < 0x10000) return 3;
        return 4;
    }

    static byte[] bytes(String folded) {
        return folded.getBytes(StandardCharsets.UTF_8);
    }
}
