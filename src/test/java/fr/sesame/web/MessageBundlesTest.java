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
 * Every text exists in every language: French (messages.properties) and each messages_*.properties
 * beside it.
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
            Set<String> missing = new TreeSet<>(french);
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
}
