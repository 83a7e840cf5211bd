package fr.sesame;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The layout CONVENTIONS.md describes, checked on the compiled classes of src/main (not the tests).
 */
class ArchitectureTest {
    private static final JavaClasses MAIN =
            new ClassFileImporter()
                    .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    .importPackages("fr.sesame");

    /** What the web layer may use of Sésame: itself and the one JSON mapper. */
    private static final String[] LEAVES = {"fr.sesame.web..", "fr.sesame.json.."};

    @Test
    void no_two_packages_depend_on_each_other_even_through_others() {
        slices().matching("fr.sesame.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void the_web_layer_knows_no_feature_and_not_the_composition_root() {
        noClasses()
                .that()
                .resideInAPackage("fr.sesame.web..")
                .should()
                .dependOnClassesThat(
                        resideInAPackage("fr.sesame..").and(not(resideInAnyPackage(LEAVES))))
                .check(MAIN);
    }

    @Test
    void controllers_neither_open_transactions_nor_run_sql() {
        noClasses()
                .that()
                .haveSimpleNameEndingWith("Controller")
                .or()
                .haveSimpleNameEndingWith("Api")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.jdbi..", "java.sql..", "javax.sql..")
                .because("services own transactions, SQL and audit: a controller calls a service")
                .check(MAIN);
    }

    @Test
    void the_rules_know_no_http_and_refuse_with_the_one_refusal_type() {
        noClasses()
                .that()
                .haveSimpleNameEndingWith("Service")
                .and()
                .doNotHaveSimpleName("EntService")
                .or()
                .haveSimpleName("Register")
                .or()
                .haveSimpleName("ChangeFeed")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.javalin..")
                .because(
                        "a rule throws fr.sesame.web.Refusal with a code; the web layer alone"
                                + " maps it to an HTTP status")
                .check(MAIN);
        noClasses()
                .that()
                .resideOutsideOfPackage("fr.sesame.web..")
                .should()
                .dependOnClassesThat()
                .haveFullyQualifiedName("io.javalin.http.HttpStatus")
                .check(MAIN);
        noClasses()
                .that()
                .haveSimpleNameContaining("Refus")
                .and()
                .areNotEnums()
                .and()
                .resideOutsideOfPackage("fr.sesame.web..")
                .should()
                .beAssignableTo(RuntimeException.class)
                .because("refusals are fr.sesame.web.Refusal, with a Refusal.Code")
                .allowEmptyShould(true)
                .check(MAIN);
    }

    /**
     * JSON answers are records. The maps that stay are dynamic by nature: jte's template
     * parameters, the claims of an ID token read and of the demo ENT's accounts, an audit row's
     * key-value details.
     */
    @Test
    void json_answers_are_records_not_maps() throws java.io.IOException {
        java.util.Set<String> dynamic =
                java.util.Set.of(
                        "web/Views.java",
                        "json/Json.java",
                        "auth/EntClaims.java",
                        "auth/EntService.java",
                        "demo/DemoSeed.java");
        java.nio.file.Path root = java.nio.file.Path.of("src/main/java/fr/sesame");
        java.util.List<String> found;
        try (var files = java.nio.file.Files.walk(root)) {
            found =
                    files.filter(f -> f.toString().endsWith(".java"))
                            .filter(f -> !dynamic.contains(root.relativize(f).toString()))
                            .filter(
                                    f -> {
                                        try {
                                            return java.nio.file.Files.readString(f)
                                                    .matches("(?s).*Map<String, *Object>.*");
                                        } catch (java.io.IOException e) {
                                            throw new java.io.UncheckedIOException(e);
                                        }
                                    })
                            .map(f -> root.relativize(f).toString())
                            .toList();
        }
        org.assertj.core.api.Assertions.assertThat(found).isEmpty();
    }
}
