package fr.sesame.auth;

import static org.assertj.core.api.Assertions.assertThat;

import fr.sesame.support.Http;
import fr.sesame.support.SesameTest;
import fr.sesame.support.SignIn;
import fr.sesame.support.TestApp;
import org.junit.jupiter.api.Test;

/** After a parent's sign-in, the pages are in the guardian's language; a choice sticks. */
@SesameTest(demo = true)
class GuardianLanguageSignInTest {
    static TestApp app;

    private long familyOfLina() {
        return app.jdbi()
                .withHandle(
                        h ->
                                h.createQuery(
                                                "select id from family where letter_code ="
                                                        + " 'K7M49PQX' or letter_code = 'K7M4-9PQX'")
                                        .mapTo(Long.class)
                                        .one());
    }

    private void setLanguage(long family, String lang) {
        app.jdbi()
                .useHandle(
                        h ->
                                h.createUpdate(
                                                "update guardian set language = :l where family_id"
                                                        + " = :f")
                                        .bind("l", lang)
                                        .bind("f", family)
                                        .execute());
    }

    private String languageOfSignedIn(long family) {
        return app.jdbi()
                .withHandle(
                        h ->
                                h.createQuery(
                                                "select language from guardian where family_id ="
                                                        + " :f order by id limit 1")
                                        .bind("f", family)
                                        .mapTo(String.class)
                                        .one());
    }

    @Test
    void the_roster_language_after_a_letter_code_sign_in_and_a_parent_choice_sticks() {
        long family = familyOfLina();
        setLanguage(family, "en");

        // a French browser, a guardian whose roster language is English: English pages
        Http parent = SignIn.parent(app);
        assertThat(parent.get("/me").body()).contains("<html lang=\"en\"", "My page");

        // the parent chooses Portuguese: stored on the guardian, audited
        assertThat(parent.get("/lang/pt?next=/me").statusCode()).isEqualTo(302);
        assertThat(parent.get("/me").body()).contains("<html lang=\"pt\"", "A minha página");
        assertThat(languageOfSignedIn(family)).isEqualTo("pt");
        long audited =
                app.jdbi()
                        .withHandle(
                                h ->
                                        h.createQuery(
                                                        "select count(*) from audit_log where"
                                                                + " action = 'choose_language'")
                                                .mapTo(Long.class)
                                                .one());
        assertThat(audited).isGreaterThanOrEqualTo(1);

        // another phone, an Arabic browser: the choice holds
        Http otherPhone = app.client().language("ar");
        otherPhone.get("/sign-in/code");
        otherPhone.postForm(
                "/sign-in/code", java.util.Map.of("code", "K7M4-9PQX", "child", "Lina"));
        assertThat(otherPhone.get("/me").body()).contains("<html lang=\"pt\"", "A minha página");

        // a visitor who is not signed in changes nobody's language
        app.client().get("/lang/uk?next=/");
        assertThat(languageOfSignedIn(family)).isEqualTo("pt");
        setLanguage(family, "fr");
    }
}
