package fr.sesame.auth;

import static org.assertj.core.api.Assertions.assertThat;

import fr.sesame.support.Http;
import fr.sesame.support.SesameTest;
import fr.sesame.support.TestApp;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A letter shared by two parents: after the code, the one who came says which parent they are; the
 * session is then theirs (name, language, audit). A family of one parent is not asked.
 */
@SesameTest(demo = true)
class GuardianChoiceTest {
    static TestApp app;

    private record Family(long id, long olivier, long nadia) {}

    /** A family of two guardians, Olivier (French) then Nadia (English), with Lina at school. */
    private static Family family(String code) {
        return app.jdbi()
                .inTransaction(
                        h -> {
                            long family =
                                    h.createQuery(
                                                    "insert into family (reference, letter_code)"
                                                            + " values (:r, :c) returning id")
                                            .bind("r", "CHOICE-" + code)
                                            .bind("c", code)
                                            .mapTo(Long.class)
                                            .one();
                            long olivier = guardian(h, family, "Olivier", "fr");
                            long nadia = guardian(h, family, "Nadia", "en");
                            h.createUpdate(
                                            "insert into child (family_id, school_id, first_name,"
                                                    + " last_name, class_level) select :f, min(id),"
                                                    + " 'Lina', 'Benali', 'CM1' from school")
                                    .bind("f", family)
                                    .execute();
                            return new Family(family, olivier, nadia);
                        });
    }

    private static long guardian(org.jdbi.v3.core.Handle h, long family, String name, String lang) {
        return h.createQuery(
                        "insert into guardian (family_id, first_name, last_name, language)"
                                + " values (:f, :n, 'Benali', :l) returning id")
                .bind("f", family)
                .bind("n", name)
                .bind("l", lang)
                .mapTo(Long.class)
                .one();
    }

    private static HttpResponse<String> code(Http client, String code) {
        client.get("/sign-in/code");
        return client.postForm("/sign-in/code", Map.of("code", code, "child", "lina"));
    }

    private static long signIns(long guardian) {
        return app.jdbi()
                .withHandle(
                        h ->
                                h.createQuery(
                                                "select count(*) from audit_log where action ="
                                                        + " 'sign_in_code' and actor = :a")
                                        .bind("a", "guardian:" + guardian)
                                        .mapTo(Long.class)
                                        .one());
    }

    @Test
    void nadia_says_she_is_nadia_and_reads_her_own_language() {
        Family f = family("N4D2AAAA");
        Http nadia = app.client();
        HttpResponse<String> accepted = code(nadia, "N4D2-AAAA");
        assertThat(accepted.statusCode()).isEqualTo(302);
        assertThat(accepted.headers().firstValue("Location")).hasValue("/sign-in/guardian");
        // not signed in yet: the parent pages still ask to sign in
        assertThat(nadia.get("/me").statusCode()).isEqualTo(302);

        HttpResponse<String> choice = nadia.get("/sign-in/guardian");
        assertThat(choice.statusCode()).isEqualTo(200);
        assertThat(choice.body())
                .contains("Qui êtes-vous", "Olivier", "Nadia")
                .contains("value=\"" + f.olivier() + "\"", "value=\"" + f.nadia() + "\"")
                .doesNotContain("Benali")
                .contains("name=\"_csrf\"");

        HttpResponse<String> chosen =
                nadia.postForm("/sign-in/guardian", Map.of("guardian", String.valueOf(f.nadia())));
        assertThat(chosen.statusCode()).isEqualTo(302);
        assertThat(chosen.headers().firstValue("Location")).hasValue("/me");
        // her session: her name, her roster language (English) on a French browser, her audit
        String me = nadia.get("/me").body();
        assertThat(me).contains("<html lang=\"en\"", "Nadia").doesNotContain("Olivier");
        assertThat(signIns(f.nadia())).isEqualTo(1);
        assertThat(signIns(f.olivier())).isZero();
        // the choice was used up: the page goes back to the code form
        assertThat(nadia.get("/sign-in/guardian").headers().firstValue("Location"))
                .hasValue("/sign-in/code");
    }

    @Test
    void a_guardian_of_another_family_or_no_choice_signs_nobody_in() {
        Family f = family("CH2ZZZZZ");
        long stranger =
                app.jdbi()
                        .withHandle(
                                h ->
                                        h.createQuery(
                                                        "select min(id) from guardian where"
                                                                + " family_id <> :f")
                                                .bind("f", f.id())
                                                .mapTo(Long.class)
                                                .one());
        long strangerSignIns = signIns(stranger);
        Http forger = app.client();
        code(forger, "CH2Z-ZZZZ");
        forger.get("/sign-in/guardian");
        for (String forged :
                new String[] {String.valueOf(stranger), "", "abc", "-1", "9".repeat(30)}) {
            HttpResponse<String> r =
                    forger.postForm("/sign-in/guardian", Map.of("guardian", forged));
            assertThat(r.statusCode()).as(forged).isEqualTo(400);
            assertThat(r.body()).contains("Choisissez votre prénom dans la liste.");
            assertThat(forger.get("/me").statusCode()).as(forged).isEqualTo(302);
        }
        assertThat(signIns(stranger)).isEqualTo(strangerSignIns);
        assertThat(signIns(f.olivier()) + signIns(f.nadia())).isZero();
        // without the CSRF token: refused, nobody signed in
        HttpResponse<String> noToken =
                forger.post("/sign-in/guardian", Map.of("guardian", String.valueOf(f.olivier())));
        assertThat(noToken.statusCode()).isEqualTo(403);
        assertThat(forger.get("/me").statusCode()).isEqualTo(302);
        // without the code first: no choice to make
        Http fresh = app.client();
        fresh.get("/sign-in/code");
        HttpResponse<String> direct =
                fresh.postForm("/sign-in/guardian", Map.of("guardian", String.valueOf(f.nadia())));
        assertThat(direct.statusCode()).isEqualTo(302);
        assertThat(direct.headers().firstValue("Location")).hasValue("/sign-in/code");
        assertThat(fresh.get("/me").statusCode()).isEqualTo(302);
        // the real choice still works afterwards
        forger.get("/sign-in/guardian");
        assertThat(
                        forger.postForm(
                                        "/sign-in/guardian",
                                        Map.of("guardian", String.valueOf(f.olivier())))
                                .statusCode())
                .isEqualTo(302);
        assertThat(forger.get("/me").body()).contains("<html lang=\"fr\"", "Olivier");
    }

    @Test
    void a_family_of_one_parent_is_not_asked_and_the_choice_page_reads_in_each_language() {
        // the first demo family has one guardian: straight to the parent's page
        Http one = app.client();
        one.get("/sign-in/code");
        HttpResponse<String> r =
                one.postForm("/sign-in/code", Map.of("code", "K7M4-9PQX", "child", "Lina"));
        assertThat(r.headers().firstValue("Location")).hasValue("/me");

        family("UK2UUUUU");
        Http ukrainian = app.client().language("uk");
        code(ukrainian, "UK2UUUUU");
        assertThat(ukrainian.get("/sign-in/guardian").body())
                .contains("<html lang=\"uk\"", "Хто ви?", "Olivier", "Nadia");
        family("AR2AAAAA");
        Http arabic = app.client().language("ar");
        code(arabic, "AR2AAAAA");
        assertThat(arabic.get("/sign-in/guardian").body()).contains("dir=\"rtl\"", "من أنت؟");
    }
}
