package fr.sesame;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import fr.sesame.web.Refusal;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every refusal a rule can throw: its kind answers with the status of the one table, its code is a
 * stable machine-readable name, and its message exists in every language.
 */
class RefusalCodesTest {

    /** The table, written out: changing a status is an API change (openapi.json follows). */
    @Test
    void each_kind_answers_with_its_status() {
        Map<Refusal.Kind, Integer> expected =
                Map.of(
                        Refusal.Kind.INVALID, 400,
                        Refusal.Kind.FORBIDDEN, 403,
                        Refusal.Kind.NOT_FOUND, 404,
                        Refusal.Kind.CONFLICT, 409,
                        Refusal.Kind.TOO_LARGE, 413);
        assertThat(Refusal.Kind.values()).hasSize(expected.size());
        for (Refusal.Kind kind : Refusal.Kind.values()) {
            assertThat(kind.status()).as(kind.name()).isEqualTo(expected.get(kind));
        }
    }

    @Test
    void each_refusal_code_has_a_status_and_a_message_in_every_language() throws Exception {
        List<Refusal.Code> codes = allCodes();
        List<String> enums =
                codes.stream().map(c -> c.getClass().getSimpleName()).distinct().toList();
        assertThat(enums)
                .contains("BookingRefusal", "AttendanceRefusal", "DeviceRefusal", "ApiRefusal");
        List<Properties> bundles = bundles();
        assertThat(bundles).hasSizeGreaterThanOrEqualTo(2);
        List<String> problems = new ArrayList<>();
        for (Refusal.Code code : codes) {
            String name = code.getClass().getSimpleName() + "." + code;
            if (code.code() == null || !code.code().matches("[a-z][a-z_]{1,40}"))
                problems.add(name + ": code " + code.code());
            if (code.kind() == null) problems.add(name + ": no kind");
            else if (code.kind().status() < 400 || code.kind().status() > 499)
                problems.add(name + ": status " + code.kind().status());
            for (Properties bundle : bundles) {
                // staff texts are in French and English only (Messages.familyKey)
                String file = String.valueOf(bundle.get(FILE));
                boolean staffOnly =
                        !fr.sesame.web.Messages.familyKey(code.messageKey())
                                && !file.equals("messages.properties")
                                && !file.equals("messages_en.properties");
                if (!staffOnly && bundle.getProperty(code.messageKey()) == null)
                    problems.add(name + ": no " + code.messageKey() + " in " + bundle.get(FILE));
            }
            Refusal refusal = new Refusal(code);
            assertThat(refusal.status()).isEqualTo(code.kind().status());
            assertThat(refusal.code()).isEqualTo(code.code());
        }
        assertThat(problems).isEmpty();
    }

    private static final String FILE = "\u0000file";

    private static List<Refusal.Code> allCodes() {
        List<Refusal.Code> codes = new ArrayList<>();
        for (JavaClass c :
                new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("fr.sesame")) {
            if (c.isEnum() && c.isAssignableTo(Refusal.Code.class)) {
                for (Object constant : c.reflect().getEnumConstants()) {
                    codes.add((Refusal.Code) constant);
                }
            }
        }
        return codes;
    }

    private static List<Properties> bundles() throws Exception {
        Path dir =
                Path.of(RefusalCodesTest.class.getResource("/i18n/messages.properties").toURI())
                        .getParent();
        List<Properties> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f :
                    files.filter(
                                    f ->
                                            f.getFileName()
                                                    .toString()
                                                    .matches("messages(_[a-zA-Z_]+)?\\.properties"))
                            .sorted()
                            .toList()) {
                all.add(load(f));
            }
        }
        return all;
    }

    private static Properties load(Path f) throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            p.load(in);
        }
        p.put(FILE, f.getFileName().toString());
        return p;
    }
}
