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

    @Test
    void every_text_with_arguments_parses_as_a_message_format_in_every_bundle() throws Exception {
        List<Path> all = new java.util.ArrayList<>(translations());
        all.add(bundles().resolve("messages.properties"));
        List<String> broken = new java.util.ArrayList<>();
        for (Path bundle : all) {
            Properties p = new Properties();
            try (Reader in = Files.newBufferedReader(bundle, StandardCharsets.UTF_8)) {
                p.load(in);
            }
            for (String key : p.stringPropertyNames()) {
                String text = p.getProperty(key);
                if (!text.matches("(?s).*\\{\\d.*")) continue;
                try {
                    new java.text.MessageFormat(text, java.util.Locale.FRENCH);
                } catch (IllegalArgumentException e) {
                    broken.add(bundle.getFileName() + " " + key + ": " + e.getMessage());
                }
            }
        }
        assertThat(broken).isEmpty();
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
        assertThat(fr.t("auth.throttled", 1))
                .isEqualTo(
                        "Trop d'essais. Pour votre sécurité, attendez 1 minute avant de réessayer.");
        assertThat(fr.t("auth.throttled", 5)).contains("attendez 5 minutes avant");
        assertThat(en.t("auth.throttled", 2)).contains("wait 2 minutes before");
        assertThat(fr.t("devices.returns.done", 1)).isEqualTo("1 ordinateur marqué comme rendu.");
        assertThat(fr.t("devices.returns.done", 5))
                .isEqualTo("5 ordinateurs marqués comme rendus.");
        assertThat(fr.t("planning.series.preview", 18)).isEqualTo("18 séances seront créées");
        assertThat(Messages.of("pt").t("booking.seats", 1)).isEqualTo("Resta 1 lugar");
        assertThat(Messages.of("uk").t("booking.seats", 5)).isEqualTo("Вільних місць: 5");
    }
}
