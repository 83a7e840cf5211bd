package fr.sesame.a11y;

import static org.assertj.core.api.Assertions.assertThat;

import fr.sesame.support.SesameTest;
import fr.sesame.support.TestApp;
import fr.sesame.web.Messages;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * The accessibility statement's body is in every family language: each one's own words (not the
 * French), on a page marked with that language and its direction.
 */
@SesameTest
class AccessibilityStatementLanguagesTest {
    static TestApp app;

    @Test
    void the_statement_reads_in_each_family_language() {
        Messages fr = Messages.of("fr");
        for (String lang : Messages.FAMILY_LANGUAGES) {
            Messages msg = Messages.of(lang);
            HttpResponse<String> r = app.client().get("/accessibilite?lang=" + lang);
            assertThat(r.statusCode()).isEqualTo(200);
            String body = r.body();
            assertThat(body).contains("lang=\"" + lang + "\"");
            assertThat(body).contains("dir=\"" + (lang.equals("ar") ? "rtl" : "ltr") + "\"");
            for (String key :
                    java.util.List.of(
                            "a11y.title",
                            "a11y.status.title",
                            "a11y.tests.title",
                            "a11y.missing.title",
                            "a11y.contact.title",
                            "a11y.appeal.title")) {
                assertThat(body).as(lang + " " + key).contains(escaped(msg.t(key)));
                if (!lang.equals("fr")) {
                    assertThat(msg.t(key)).as(lang + " " + key).isNotEqualTo(fr.t(key));
                }
            }
        }
    }

    private static String escaped(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;");
    }
}
