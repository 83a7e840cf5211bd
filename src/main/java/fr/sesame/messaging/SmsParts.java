package fr.sesame.messaging;

import java.text.Normalizer;
import java.util.Map;

/**
 * How many SMS a text costs, exactly as a handset or a provider splits it (3GPP TS 23.038 for the
 * alphabet, TS 23.040 for concatenation).
 *
 * <ul>
 *   <li>GSM-7 when every character is in the GSM 7-bit default alphabet or its extension table; an
 *       extension character ({@code ^ { } \ [ ~ ] | €} and form feed) takes two septets (escape +
 *       character). One part holds 160 septets; a longer text is sent in parts of 153 (the
 *       concatenation header takes the rest), and an escape pair is never split across two parts.
 *   <li>UCS-2 as soon as one character is outside that alphabet (Arabic, Cyrillic, but also {@code
 *       ç}, {@code ê} or an emoji): 70 UTF-16 units in one part, 67 per part beyond, and a
 *       surrogate pair (an emoji) never split.
 * </ul>
 */
public final class SmsParts {
    /** The GSM 7-bit default alphabet (without the escape itself, 0x1B). */
    private static final String BASIC =
            "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
                    + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

    /** The extension table: each costs two septets. */
    private static final String EXTENSION = "\f^{}\\[~]|€";

    public static final int GSM_SINGLE = 160;
    public static final int GSM_PART = 153;
    public static final int UCS2_SINGLE = 70;
    public static final int UCS2_PART = 67;

    /**
     * A text's cost: its encoding, its length in the encoding's units (septets or UTF-16 units),
     * and the number of parts.
     */
    public record Parts(String encoding, int units, int parts) {
        public boolean gsm7() {
            return encoding.equals("GSM-7");
        }

        /** How many units one part holds with this many parts (160/153 or 70/67). */
        public int perPart() {
            if (gsm7()) return parts <= 1 ? GSM_SINGLE : GSM_PART;
            return parts <= 1 ? UCS2_SINGLE : UCS2_PART;
        }
    }

    private SmsParts() {}

    public static boolean isGsm7(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (septets(text.charAt(i)) == 0) return false;
        }
        return true;
    }

    /** The parts of this text (an empty text is one part: providers refuse it before that). */
    public static Parts of(String text) {
        if (isGsm7(text)) {
            int units = 0;
            for (int i = 0; i < text.length(); i++) units += septets(text.charAt(i));
            if (units <= GSM_SINGLE) return new Parts("GSM-7", units, 1);
            int parts = 1;
            int room = GSM_PART;
            for (int i = 0; i < text.length(); i++) {
                int s = septets(text.charAt(i));
                if (s > room) {
                    parts++;
                    room = GSM_PART;
                }
                room -= s;
            }
            return new Parts("GSM-7", units, parts);
        }
        int units = text.length();
        if (units <= UCS2_SINGLE) return new Parts("UCS-2", units, 1);
        int parts = 1;
        int room = UCS2_PART;
        for (int i = 0; i < text.length(); i++) {
            int u = Character.isHighSurrogate(text.charAt(i)) && i + 1 < text.length() ? 2 : 1;
            if (u > room) {
                parts++;
                room = UCS2_PART;
            }
            room -= u;
            i += u - 1;
        }
        return new Parts("UCS-2", units, parts);
    }

    /** 1 for the basic alphabet, 2 for the extension table, 0 outside GSM-7. */
    static int septets(char c) {
        if (BASIC.indexOf(c) >= 0) return 1;
        if (EXTENSION.indexOf(c) >= 0) return 2;
        return 0;
    }

    private static final Map<Character, String> FOLD =
            Map.ofEntries(
                    Map.entry('’', "'"),
                    Map.entry('‘', "'"),
                    Map.entry('“', "\""),
                    Map.entry('”', "\""),
                    Map.entry('«', "\""),
                    Map.entry('»', "\""),
                    Map.entry('–', "-"),
                    Map.entry('—', "-"),
                    Map.entry('…', "..."),
                    Map.entry('\u00a0', " "),
                    Map.entry('\u202f', " "),
                    Map.entry('œ', "oe"),
                    Map.entry('Œ', "OE"),
                    Map.entry('ı', "i"),
                    Map.entry('\t', " "));

    /**
     * The text with each character outside GSM-7 that has a close GSM-7 equivalent replaced by it
     * ({@code ç}→{@code c}, {@code ê}→{@code e}, {@code ş}→{@code s}, typographic quotes and
     * dashes, no-break spaces): French, Portuguese or Turkish text then fits the 160-character part
     * instead of 70. Characters without one (Arabic, Cyrillic, emoji) are kept, and the text stays
     * UCS-2.
     */
    public static String foldToGsm7(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (septets(c) > 0) {
                sb.append(c);
                continue;
            }
            String mapped = FOLD.get(c);
            if (mapped != null) {
                sb.append(mapped);
                continue;
            }
            String base = Normalizer.normalize(String.valueOf(c), Normalizer.Form.NFD);
            if (base.length() > 1
                    && septets(base.charAt(0)) > 0
                    && base.substring(1).chars().allMatch(SmsParts::combining)) {
                sb.append(base.charAt(0));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static boolean combining(int c) {
        return Character.getType(c) == Character.NON_SPACING_MARK;
    }
}
