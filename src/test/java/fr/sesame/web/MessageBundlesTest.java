package fr.sesame.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every text exists in French (messages.properties) and English; every text a family reads
 * (Messages.familyKey) exists in every family language; no bundle has a key French lacks.
 */
class MessageBundlesTest {
    private static final Pattern KEY = Pattern.compile("^\\s*([^#!\\s=:][^\\s=:]*)\\s*[=:]");

    private static Path bundles() throws URISyntaxException {
        return Path.of(MessageBundlesTest.class.getResource("/i18n/messages.properties").toURI())
                .getParent();
    }

    private static Set<String> keys(Path bundle) throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(bundle, StandardCharsets.UTF_8)) {
            p.load(in);
        }
        return new TreeSet<>(p.stringPropertyNames());
    }

    private static List<Path> translations() throws Exception {
        try (Stream<Path> files = Files.list(bundles())) {
            return files.filter(
                            f ->
                                    f.getFileName()
                                            .toString()
                                            .matches("messages_[a-zA-Z_]+\\.properties"))
                    .sorted()
                    .toList();
        }
    }

    @Test
    void every_french_key_is_in_every_other_language_and_no_other_language_has_a_key_french_lacks()
            throws Exception {
        Set<String> french = keys(bundles().resolve("messages.properties"));
        List<Path> others = translations();
        assertThat(french).hasSizeGreaterThan(100);
        assertThat(others)
                .extracting(p -> p.getFileName().toString())
                .contains("messages_en.properties");
        List<String> problems = new ArrayList<>();
        for (Path other : others) {
            Set<String> theirs = keys(other);
            String lang = other.getFileName().toString().replaceAll("messages_|\\.properties", "");
            Set<String> missing = new TreeSet<>(french);
            // staff texts are in French and English only: the other languages fall back to French
            if (!Messages.STAFF_LANGUAGES.contains(lang))
                missing.removeIf(k -> !Messages.familyKey(k));
            missing.removeAll(theirs);
            Set<String> extra = new TreeSet<>(theirs);
            extra.removeAll(french);
            if (!missing.isEmpty()) problems.add(other.getFileName() + " lacks " + missing);
            if (!extra.isEmpty())
                problems.add(
                        other.getFileName() + " has keys that messages.properties lacks " + extra);
        }
        assertThat(problems).as("keys out of step between the languages").isEmpty();
    }

    @Test
    void every_family_language_has_its_bundle_and_every_language_served_is_a_family_language()
            throws Exception {
        List<String> files = translations().stream().map(p -> p.getFileName().toString()).toList();
        for (String lang : Messages.FAMILY_LANGUAGES)
            if (!lang.equals("fr")) assertThat(files).contains("messages_" + lang + ".properties");
        assertThat(Messages.LANGUAGES).containsExactlyElementsOf(Messages.FAMILY_LANGUAGES);
        assertThat(Messages.FAMILY_LANGUAGES).containsAll(Messages.STAFF_LANGUAGES);
        // the family keys are many (the parent path), and the staff keys are not among them
        Set<String> french = keys(bundles().resolve("messages.properties"));
        assertThat(french.stream().filter(Messages::familyKey).count()).isGreaterThan(150);
        assertThat(Messages.familyKey("booking.book")).isTrue();
        assertThat(Messages.familyKey("booking.staff.book")).isFalse();
        assertThat(Messages.familyKey("roster.title")).isFalse();
    }

    @Test
    void a_family_language_reads_its_own_text_and_a_staff_text_in_french() {
        assertThat(Messages.of("ar").t("booking.book")).isEqualTo("احجز مكاني");
        assertThat(Messages.of("tr").t("booking.book")).isEqualTo("Yerimi ayır");
        assertThat(Messages.of("pt").t("booking.book")).isEqualTo("Reservar o meu lugar");
        assertThat(Messages.of("uk").t("booking.book")).isEqualTo("Забронювати місце");
        assertThat(Messages.of("ar").t("booking.staff.book"))
                .isEqualTo(Messages.of("fr").t("booking.staff.book"));
        assertThat(Messages.of("uk").t("parent.hello", "Nadia")).isEqualTo("Вітаємо, Nadia");
        assertThat(Messages.of("pt").t("booking.seats", 3)).isEqualTo("Restam 3 lugares");
    }

    private static List<Path> allBundles() throws Exception {
        List<Path> all = new ArrayList<>(translations());
        all.add(0, bundles().resolve("messages.properties"));
        return all;
    }

    private static Properties load(Path bundle) throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(bundle, StandardCharsets.UTF_8)) {
            p.load(in);
        }
        return p;
    }

    private static String lang(Path bundle) {
        String name = bundle.getFileName().toString();
        return name.equals("messages.properties")
                ? "fr"
                : name.replaceAll("messages_|\\.properties", "");
    }

    private static boolean hasArguments(String text) {
        return text.matches("(?s).*\\{\\s*\\d.*");
    }

    @Test
    void every_text_with_arguments_parses_with_icu_in_every_bundle() throws Exception {
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path bundle : allBundles()) {
            Properties p = load(bundle);
            com.ibm.icu.util.ULocale locale = Messages.of(lang(bundle)).uLocale();
            for (String key : p.stringPropertyNames()) {
                String text = p.getProperty(key);
                if (!hasArguments(text)) continue;
                checked++;
                try {
                    new com.ibm.icu.text.MessageFormat(text, locale);
                } catch (IllegalArgumentException e) {
                    broken.add(bundle.getFileName() + " " + key + ": " + e.getMessage());
                }
            }
        }
        assertThat(checked).isGreaterThan(150);
        assertThat(broken).isEmpty();
    }

    /**
     * ICU reads apostrophes differently from the JDK's MessageFormat (a lone one before a letter
     * stays): every text that is not a plural or a select gives the same words through both, for
     * sample arguments, so that the move to ICU changed no page.
     */
    private static String westernDigits(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray())
            b.append(
                    c >= '\u0660' && c <= '\u0669'
                            ? (char) ('0' + c - '\u0660')
                            : c == '\u066c' ? ',' : c);
        return b.toString();
    }

    @Test
    void every_text_without_plural_or_select_reads_as_the_jdk_read_it() throws Exception {
        Pattern arg = Pattern.compile("\\{\\s*(\\d+)\\s*(,\\s*(\\w+))?");
        List<String> different = new ArrayList<>();
        int compared = 0;
        for (Path bundle : allBundles()) {
            Properties p = load(bundle);
            Messages messages = Messages.of(lang(bundle));
            for (String key : p.stringPropertyNames()) {
                String text = p.getProperty(key);
                if (!hasArguments(text) || text.matches("(?s).*,\\s*(plural|select)\\s*,.*"))
                    continue;
                java.util.Map<Integer, String> types = new java.util.TreeMap<>();
                Matcher m = arg.matcher(text);
                while (m.find())
                    types.merge(
                            Integer.parseInt(m.group(1)),
                            m.group(3) == null ? "" : m.group(3),
                            (a, b) -> a.isEmpty() ? b : a);
                int count = types.isEmpty() ? 0 : java.util.Collections.max(types.keySet()) + 1;
                for (Object sample : new Object[] {"Lina d’Ali", 0, 1, 2, 5, 1234}) {
                    Object[] args = new Object[count];
                    for (int i = 0; i < count; i++) {
                        String type = types.getOrDefault(i, "");
                        args[i] =
                                type.equals("number") || type.equals("choice")
                                        ? (sample instanceof Integer n ? n : 3)
                                        : sample;
                    }
                    // one change on purpose: Arabic numbers in Western digits, as in dates, times
                    // and the letter codes (the JDK wrote Arabic-Indic digits)
                    String jdk =
                            westernDigits(
                                    new java.text.MessageFormat(text, messages.uLocale().toLocale())
                                            .format(args));
                    String icu = messages.t(key, args);
                    compared++;
                    if (!jdk.equals(icu))
                        different.add(
                                bundle.getFileName()
                                        + " "
                                        + key
                                        + " "
                                        + java.util.Arrays.toString(args)
                                        + "\n  jdk: "
                                        + jdk
                                        + "\n  icu: "
                                        + icu);
                }
            }
        }
        assertThat(compared).isGreaterThan(500);
        assertThat(different).isEmpty();
    }

    /**
     * French puts a (no-break) space before ":", "?" and "!"; English and the other languages do
     * not: no "Parents :" on an English page, from a bundle or from a template.
     */
    @Test
    void only_french_puts_a_space_before_a_colon() throws Exception {
        List<String> found = new ArrayList<>();
        for (Path bundle : translations()) {
            Properties p = load(bundle);
            for (String key : p.stringPropertyNames())
                if (p.getProperty(key).matches("(?s).*[ \\u00a0\\u202f][:?!](\\s.*|$)"))
                    found.add(bundle.getFileName() + " " + key + ": " + p.getProperty(key));
        }
        try (Stream<Path> files = Files.walk(Path.of("templates"))) {
            for (Path f : files.filter(x -> x.toString().endsWith(".jte")).toList()) {
                List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
                for (int i = 0; i < lines.size(); i++)
                    if (lines.get(i).matches(".*[>}] : .*"))
                        found.add(f + ":" + (i + 1) + " " + lines.get(i).trim());
            }
        }
        assertThat(found).isEmpty();
        assertThat(Messages.of("fr").t("layout.colon")).isEqualTo("\u00a0: ");
        assertThat(Messages.of("en").t("layout.colon")).isEqualTo(": ");
    }

    /** Every text is formatted by Messages (ICU): the JDK's MessageFormat reads no plural. */
    @Test
    void no_code_formats_a_text_with_the_jdk_message_format() throws Exception {
        List<String> found;
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            found =
                    files.filter(f -> f.toString().endsWith(".java"))
                            .filter(
                                    f -> {
                                        try {
                                            return Files.readString(f)
                                                    .matches(
                                                            "(?s).*java\\.text\\.(\\*|MessageFormat|ChoiceFormat).*");
                                        } catch (IOException e) {
                                            throw new java.io.UncheckedIOException(e);
                                        }
                                    })
                            .map(Path::toString)
                            .toList();
        }
        assertThat(found).isEmpty();
    }

    @Test
    void no_bundle_gives_the_same_key_twice() throws Exception {
        // Properties keeps the last of two equal keys silently: after a merge, one of the two texts
        // is lost
        List<Path> all = new ArrayList<>(translations());
        all.add(0, bundles().resolve("messages.properties"));
        List<String> twice = new ArrayList<>();
        for (Path bundle : all) {
            Set<String> seen = new TreeSet<>();
            boolean continued = false;
            for (String line : Files.readAllLines(bundle, StandardCharsets.UTF_8)) {
                boolean wasContinued = continued;
                continued = line.endsWith("\\") && !line.endsWith("\\\\");
                if (wasContinued) continue;
                Matcher m = KEY.matcher(line);
                if (m.find() && !seen.add(m.group(1)))
                    twice.add(bundle.getFileName() + ": " + m.group(1));
            }
        }
        assertThat(twice).as("keys given twice").isEmpty();
    }

    @Test
    void no_text_says_s_in_brackets_and_counts_read_right_for_0_1_2_and_5() throws Exception {
        List<Path> all = new ArrayList<>(translations());
        all.add(0, bundles().resolve("messages.properties"));
        for (Path bundle : all)
            assertThat(Files.readString(bundle, StandardCharsets.UTF_8))
                    .as(bundle.getFileName().toString())
                    .doesNotContain("(s)");
        Messages fr = Messages.of("fr");
        Messages en = Messages.of("en");
        assertThat(fr.t("planning.session.taken", 0, 12)).isEqualTo("Aucune place prise sur 12.");
        assertThat(fr.t("planning.session.taken", 1, 12)).isEqualTo("1 place prise sur 12.");
        assertThat(fr.t("planning.session.taken", 2, 12)).isEqualTo("2 places prises sur 12.");
        assertThat(fr.t("planning.session.taken", 5, 12)).isEqualTo("5 places prises sur 12.");
        assertThat(en.t("planning.session.taken", 1, 12)).isEqualTo("1 seat taken out of 12.");
        assertThat(en.t("planning.session.taken", 5, 12)).isEqualTo("5 seats taken out of 12.");
        assertThat(fr.t("planning.session.cancel.explain", 0)).startsWith("Aucune réservation");
        assertThat(fr.t("planning.session.cancel.explain", 1)).startsWith("La réservation sera");
        assertThat(fr.t("planning.session.cancel.explain", 2)).startsWith("Les 2 réservations");
        // an apostrophe beside a count: written twice in the bundle, once on the page
        assertThat(fr.t("auth.throttled", 1, "minutes"))
                .isEqualTo(
                        "Trop d'essais. Pour votre sécurité, attendez 1 minute avant de réessayer.");
        assertThat(fr.t("auth.throttled", 5, "minutes")).contains("attendez 5 minutes avant");
        assertThat(fr.t("auth.throttled", 30, "seconds")).contains("attendez 30 secondes avant");
        assertThat(en.t("auth.throttled", 2, "minutes")).contains("wait 2 minutes before");
        assertThat(en.t("auth.throttled", 1, "seconds")).contains("wait 1 second before");
        assertThat(fr.t("devices.returns.done", 1)).isEqualTo("1 ordinateur marqué comme rendu.");
        assertThat(fr.t("devices.returns.done", 5))
                .isEqualTo("5 ordinateurs marqués comme rendus.");
        assertThat(fr.t("planning.series.preview", 18)).isEqualTo("18 séances seront créées");
        assertThat(Messages.of("pt").t("booking.seats", 1)).isEqualTo("Resta 1 lugar");
        assertThat(Messages.of("uk").t("booking.seats", 5)).isEqualTo("Залишилося 5 місць");
        assertThat(fr.t("attendance.count", 1, 2)).isEqualTo("1 marqué sur 2");
        assertThat(fr.t("attendance.count", 0, 2)).isEqualTo("0 marqué sur 2");
        assertThat(fr.t("attendance.count", 5, 12)).isEqualTo("5 marqués sur 12");
        assertThat(fr.t("attendance.sync.pending", 2)).isEqualTo("2 en attente d'envoi.");
    }

    /** A count in each language, for 0, 1, 2 and 5, and the numbers where the language turns. */
    @Test
    void plural_forms_follow_each_language_for_0_1_2_and_5() {
        java.util.Map<String, java.util.Map<Integer, String>> seats =
                java.util.Map.of(
                        "fr",
                        java.util.Map.of(
                                0, "Complet",
                                1, "1 place restante",
                                2, "2 places restantes",
                                5, "5 places restantes"),
                        "en",
                        java.util.Map.of(
                                0, "Full", 1, "1 seat left", 2, "2 seats left", 5, "5 seats left"),
                        "ar",
                        java.util.Map.of(
                                0, "الحصة ممتلئة",
                                1, "بقي مكان واحد",
                                2, "بقي مكانان",
                                3, "بقيت 3 أماكن",
                                5, "بقيت 5 أماكن",
                                11, "بقي 11 مكانًا",
                                100, "بقي 100 مكان"),
                        "tr",
                        java.util.Map.of(
                                0, "Yer yok", 1, "1 yer kaldı", 2, "2 yer kaldı", 5, "5 yer kaldı"),
                        "pt",
                        java.util.Map.of(
                                0, "Cheio",
                                1, "Resta 1 lugar",
                                2, "Restam 2 lugares",
                                5, "Restam 5 lugares"),
                        "uk",
                        java.util.Map.of(
                                0, "Місць немає",
                                1, "Залишилося 1 місце",
                                2, "Залишилося 2 місця",
                                5, "Залишилося 5 місць",
                                11, "Залишилося 11 місць",
                                21, "Залишилося 21 місце",
                                22, "Залишилося 22 місця"));
        seats.forEach(
                (lang, byCount) ->
                        byCount.forEach(
                                (n, text) ->
                                        assertThat(Messages.of(lang).t("booking.seats", n))
                                                .as(lang + " " + n)
                                                .isEqualTo(text)));
        // the throttle's wait, where each language says its own number words
        assertThat(Messages.of("ar").t("auth.throttled", 2, "minutes"))
                .contains("انتظر دقيقتين ثم");
        assertThat(Messages.of("ar").t("auth.throttled", 5, "minutes"))
                .contains("انتظر 5 دقائق ثم");
        assertThat(Messages.of("ar").t("auth.throttled", 30, "seconds"))
                .contains("انتظر 30 ثانية ثم");
        assertThat(Messages.of("uk").t("auth.throttled", 1, "minutes"))
                .contains("зачекайте 1 хвилину");
        assertThat(Messages.of("uk").t("auth.throttled", 2, "minutes"))
                .contains("зачекайте 2 хвилини");
        assertThat(Messages.of("uk").t("auth.throttled", 5, "minutes"))
                .contains("зачекайте 5 хвилин");
        assertThat(Messages.of("uk").t("auth.throttled", 21, "seconds"))
                .contains("зачекайте 21 секунду");
        assertThat(Messages.of("pt").t("auth.throttled", 1, "minutes"))
                .contains("espere 1 minuto e");
        assertThat(Messages.of("pt").t("auth.throttled", 0, "seconds"))
                .contains("espere 0 segundos e");
        assertThat(Messages.of("tr").t("auth.throttled", 5, "minutes"))
                .contains("5 dakika bekleyin");
        // French counts 0 with 1; English does not
        assertThat(Messages.of("fr").t("booking.waiting.count", 1))
                .isEqualTo("1 personne en attente");
        assertThat(Messages.of("fr").t("booking.waiting.count", 2))
                .isEqualTo("2 personnes en attente");
        assertThat(Messages.of("fr").t("roster.import.more", 0))
                .isEqualTo("… et 0 autre problème.");
        assertThat(Messages.of("en").t("roster.import.more", 0))
                .isEqualTo("… and 0 more problems.");
        assertThat(Messages.of("ar").t("booking.waiting.count", 2))
                .isEqualTo("شخصان في قائمة الانتظار");
        assertThat(Messages.of("uk").t("booking.waiting.count", 5))
                .isEqualTo("5 людей у списку очікування");
        assertThat(Messages.of("uk").t("booking.waiting.count", 2))
                .isEqualTo("2 людини в списку очікування");
        for (String lang : Messages.FAMILY_LANGUAGES) {
            String first = Messages.of(lang).t("booking.waiting.position", 1);
            String fifth = Messages.of(lang).t("booking.waiting.position", 5);
            assertThat(first).as(lang).doesNotContain("1").isNotEqualTo(fifth);
            assertThat(fifth).as(lang).contains("5");
        }
    }

    /**
     * The letter names the child and never guesses a sex: the roster has no such column, so the
     * text says "l'enfant".
     */
    @Test
    void the_letter_says_the_child_without_guessing_whether_a_boy_or_a_girl() {
        assertThat(Messages.of("fr").t("roster.letter.why", "Lina"))
                .startsWith("Lina a reçu un ordinateur")
                .contains("L'enfant pourra l'emporter")
                .doesNotContain(" Il ")
                .doesNotContain(" Elle ");
    }
}
