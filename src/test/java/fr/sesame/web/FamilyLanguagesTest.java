package fr.sesame.web;

import static org.assertj.core.api.Assertions.assertThat;

import fr.sesame.support.Http;
import fr.sesame.support.SesameTest;
import fr.sesame.support.SignIn;
import fr.sesame.support.TestApp;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The four languages families read besides French and English, over HTTP on the real app. */
@SesameTest(demo = true)
class FamilyLanguagesTest {
    static TestApp app;

    @Test
    void lang_on_the_address_serves_arabic_right_to_left() {
        HttpResponse<String> r = app.client().get("/?lang=ar");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body())
                .contains("<html lang=\"ar\" dir=\"rtl\">", "مرحبا بكم في سيزام")
                .doesNotContain("Bienvenue sur Sésame");
    }

    @Test
    void the_chosen_language_is_remembered_for_each_family_language() {
        String[][] expected = {
            {"ar", "rtl", "مرحبا بكم في سيزام"},
            {"tr", "ltr", "Sésame'a hoş geldiniz"},
            {"pt", "ltr", "Bem-vindo ao Sésame"},
            {"uk", "ltr", "Ласкаво просимо до Sésame"}
        };
        for (String[] e : expected) {
            Http client = app.client();
            assertThat(client.get("/lang/" + e[0] + "?next=/").statusCode()).isEqualTo(302);
            String body = client.get("/").body();
            assertThat(body)
                    .as(e[0])
                    .contains("<html lang=\"" + e[0] + "\" dir=\"" + e[1] + "\">", e[2]);
            // the switch names every family language in its own words
            assertThat(body).contains("العربية", "Türkçe", "Português", "Українська", "English");
        }
    }

    @Test
    void a_turkish_browser_reads_turkish() {
        HttpResponse<String> r = app.client().language("tr-TR,tr;q=0.9").get("/sign-in/code");
        assertThat(r.body()).contains("<html lang=\"tr\"", "Mektuptaki kod");
    }

    @Test
    void a_parent_page_in_arabic_and_a_staff_page_asked_in_arabic_shown_in_french() {
        Http parent = SignIn.parent(app);
        parent.get("/lang/ar?next=/me");
        String me = parent.get("/me").body();
        assertThat(me).contains("<html lang=\"ar\" dir=\"rtl\">", "صفحتي");

        Http admin = SignIn.admin(app);
        admin.get("/lang/ar?next=/admin");
        String page = admin.get("/admin").body();
        assertThat(page).contains("<html lang=\"fr\" dir=\"ltr\">").doesNotContain("العربية");
        assertThat(admin.get("/admin?lang=uk").body()).contains("<html lang=\"fr\"");
    }

    @Test
    void the_staff_language_rule() {
        assertThat(Language.forViewer("ar", "admin")).isEqualTo("fr");
        assertThat(Language.forViewer("en", "trainer")).isEqualTo("en");
        assertThat(Language.forViewer("ar", "parent")).isEqualTo("ar");
        assertThat(Language.forViewer("uk", null)).isEqualTo("uk");
    }
}
