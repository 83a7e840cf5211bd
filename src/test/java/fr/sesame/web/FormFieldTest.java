package fr.sesame.web;

import static org.assertj.core.api.Assertions.assertThat;

import fr.sesame.support.Http;
import fr.sesame.support.SignIn;
import fr.sesame.support.TestApp;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The one field tag, as forms of two features render it after a refused submission. */
class FormFieldTest {
    static TestApp app;

    @BeforeAll
    static void start() {
        app = SignIn.demoApp();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    static String input(String html, String id) {
        // the tag's attributes, quoted values included (an escaped value may hold a >)
        Matcher m =
                Pattern.compile("<input id=\"" + id + "\"(?:[^>\"]|\"[^\"]*\")*>").matcher(html);
        assertThat(m.find()).as("input " + id).isTrue();
        return m.group();
    }

    @Test
    void
            a_refused_field_keeps_its_value_and_is_labelled_invalid_and_described_by_its_error_with_arguments() {
        Http admin = SignIn.admin(app);
        admin.get("/admin/workshops");
        HttpResponse<String> r =
                admin.postForm(
                        "/admin/workshops",
                        Map.of(
                                "code",
                                "tablette-2",
                                "titleFr",
                                "Tablette",
                                "titleEn",
                                "Tablet",
                                "duration",
                                "9999",
                                "maxActive",
                                "1",
                                "languages",
                                "fr"));
        assertThat(r.statusCode()).isBetween(400, 499);
        String html = r.body();
        assertThat(html)
                .contains(
                        "<label for=\"f-duration\">",
                        "<p class=\"error-text\" id=\"f-duration-error\" role=\"alert\">Écrivez une durée entre 15 et 480 minutes.</p>");
        assertThat(input(html, "f-duration"))
                .contains(
                        "value=\"9999\"",
                        "aria-invalid=\"true\"",
                        "aria-describedby=\"f-duration-error\"");
        assertThat(input(html, "f-titleFr"))
                .contains("value=\"Tablette\"")
                .doesNotContain("aria-invalid");
    }

    @Test
    void an_error_and_a_hint_both_describe_the_field_and_the_typed_value_is_escaped() {
        Http admin = SignIn.admin(app);
        admin.get("/admin/webhooks");
        HttpResponse<String> r =
                admin.postForm("/admin/webhooks", Map.of("url", "\"><script>x</script>"));
        assertThat(r.statusCode()).isBetween(400, 499);
        String field = input(r.body(), "f-url");
        assertThat(field)
                .contains(
                        "aria-invalid=\"true\"",
                        "aria-describedby=\"f-url-error f-url-hint\"",
                        "required")
                .doesNotContain("<script>");
        assertThat(r.body()).contains("id=\"f-url-error\"", "id=\"f-url-hint\"");
    }
}
