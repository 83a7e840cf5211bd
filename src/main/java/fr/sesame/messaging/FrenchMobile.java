package fr.sesame.messaging;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * French mobile numbers, as people write them ("06 12 34 56 78", "06.12.34.56.78", "+33 6 12 34 56
 * 78", "+33 (0)6 12 34 56 78", "0033 6 12 34 56 78"), normalised to E.164: {@code +336XXXXXXXX} or
 * {@code +337XXXXXXXX}. Metropolitan mobiles only (06 and 07): a fixed line (01 to 05, 09), a
 * special number (08) or an overseas number cannot receive Sésame's SMS and is refused with its own
 * reason.
 */
public final class FrenchMobile {
    /** Why a number was refused: a message key ({@code phone.problem.*}). */
    public enum Problem {
        /** Not a phone number at all (letters, too short, too long). */
        GARBAGE("phone.problem.garbage"),
        /** A French fixed line (01 to 05, 09): no SMS. */
        FIXED_LINE("phone.problem.fixed"),
        /** A French special-rate or service number (08). */
        SPECIAL("phone.problem.special"),
        /** A number of another country (or an overseas department's own code). */
        FOREIGN("phone.problem.foreign");

        public final String messageKey;

        Problem(String messageKey) {
            this.messageKey = messageKey;
        }
    }

    /** Either the E.164 mobile or the reason it is not one. */
    public record Check(String e164, Problem problem) {
        public boolean ok() {
            return e164 != null;
        }
    }

    private static final Pattern ALLOWED = Pattern.compile("^[+0-9 .\\-()/]+$");
    private static final Pattern E164 = Pattern.compile("^\\+33[67][0-9]{8}$");

    private FrenchMobile() {}

    public static Check check(String input) {
        if (input == null || input.isBlank() || !ALLOWED.matcher(input.trim()).matches()) {
            return new Check(null, Problem.GARBAGE);
        }
        String s = input.trim();
        // "+33 (0)6 ..." writes the trunk 0 in brackets: it is not dialled after the country code.
        s = s.replace("(0)", "");
        boolean plus = s.startsWith("+");
        if (s.indexOf('+', 1) >= 0) return new Check(null, Problem.GARBAGE);
        String digits = s.replaceAll("[^0-9]", "");
        String national;
        if (plus) {
            if (!digits.startsWith("33")) return new Check(null, Problem.FOREIGN);
            national = digits.substring(2);
        } else if (digits.startsWith("0033")) {
            national = digits.substring(4);
        } else if (digits.startsWith("00")) {
            return new Check(null, Problem.FOREIGN);
        } else if (digits.startsWith("0")) {
            national = digits.substring(1);
        } else if (digits.length() == 11 && digits.startsWith("33")) {
            // 336..., as some exports and providers write it
            national = digits.substring(2);
        } else {
            return new Check(null, Problem.GARBAGE);
        }
        if (national.startsWith("0")) national = national.substring(1); // "+33 06 ..."
        if (national.length() != 9) return new Check(null, Problem.GARBAGE);
        return switch (national.charAt(0)) {
            case '6', '7' -> new Check("+33" + national, null);
            case '1', '2', '3', '4', '5', '9' -> new Check(null, Problem.FIXED_LINE);
            case '8' -> new Check(null, Problem.SPECIAL);
            default -> new Check(null, Problem.GARBAGE);
        };
    }

    /** The E.164 mobile, or empty when the input is not a French mobile. */
    public static Optional<String> normalize(String input) {
        return Optional.ofNullable(check(input).e164());
    }

    public static boolean isE164Mobile(String value) {
        return value != null && E164.matcher(value).matches();
    }

    /** How a French reader expects to see it: "06 12 34 56 78". */
    public static String display(String e164) {
        if (!isE164Mobile(e164)) return e164;
        String n = "0" + e164.substring(3);
        return n.substring(0, 2)
                + " "
                + n.substring(2, 4)
                + " "
                + n.substring(4, 6)
                + " "
                + n.substring(6, 8)
                + " "
                + n.substring(8, 10);
    }
}
