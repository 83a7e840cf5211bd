package fr.sesame.auth;

import static org.assertj.core.api.Assertions.assertThat;

import fr.sesame.demo.DemoSeed;
import fr.sesame.support.Http;
import fr.sesame.support.SesameTest;
import fr.sesame.support.SignIn;
import fr.sesame.support.Sql;
import fr.sesame.support.TestApp;
import fr.sesame.support.TestDatabase;
import java.net.HttpCookie;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@SesameTest(demo = true)
class StaffAndSessionsTest {
    static TestApp app;

    @BeforeEach
    void forgetFailures() {
        app.jdbi().useHandle(h -> h.execute("delete from sign_in_throttle"));
    }

    private static String sessionCookie(Http client) {
        return client.cookies().getCookieStore().getCookies().stream()
                .filter(c -> c.getName().equals(LoginSessions.COOKIE))
                .map(HttpCookie::getValue)
                .findFirst()
                .orElse(null);
    }

    @Test
    void each_staff_role_lands_on_its_own_page() {
        assertThat(SignIn.admin(app).get("/admin").body())
                .contains("Service éducation", "Comptes du personnel");
        Http trainer = SignIn.trainer(app);
        assertThat(trainer.get("/trainer").body())
                .contains("Mes séances", "Premiers pas avec l'ordinateur");
        Http school = SignIn.schoolStaff(app);
        HttpResponse<String> page = school.get("/school");
        int pupils =
                Sql.count(
                        app.jdbi(),
                        "select count(*) from child c join school s on s.id = c.school_id "
                                + "where s.uai = '0211234A'");
        assertThat(page.body()).contains("École élémentaire Jules Ferry", "Martin Lina");
        assertThat(page.body().split("<tr class=\"pupil\">").length - 1).isEqualTo(pupils);
        // school staff cannot look at another school
        String other = school.get("/school?school=0215678B").body();
        assertThat(other).contains("École élémentaire Jules Ferry").doesNotContain("Jean Moulin");
        assertThat(other.split("<tr class=\"pupil\">").length - 1).isEqualTo(pupils);
    }

    @Test
    void a_trainer_sees_only_their_own_sessions() {
        int mine =
                Sql.count(
                        app.jdbi(),
                        "select count(*) from session_trainer st join staff_account s on s.id = st.staff_id "
                                + "where s.email = '"
                                + DemoSeed.TRAINER_EMAIL
                                + "'");
        String body = SignIn.trainer(app).get("/trainer").body();
        assertThat(body.split("href=\"/trainer/sessions/").length - 1).isEqualTo(mine);
    }

    @Test
    void a_wrong_password_is_refused_and_the_email_kept() {
        Http client = app.client();
        client.get("/sign-in/staff");
        HttpResponse<String> r =
                client.postForm(
                        "/sign-in/staff",
                        Map.of("email", DemoSeed.ADMIN_EMAIL, "password", "wrong-password"));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body())
                .contains("ne correspond pas", "value=\"" + DemoSeed.ADMIN_EMAIL + "\"");
        assertThat(r.body()).doesNotContain("wrong-password");
        assertThat(client.get("/admin").statusCode()).isEqualTo(302);
    }

    @Test
    void the_password_is_stored_as_an_argon2id_hash() {
        String hash =
                Sql.text(
                        app.jdbi(),
                        "select password_hash from staff_account where email = '"
                                + DemoSeed.ADMIN_EMAIL
                                + "'");
        assertThat(hash).startsWith("$argon2id$").doesNotContain(DemoSeed.ADMIN_PASSWORD);
    }

    @Test
    void signing_in_gives_a_new_session_id_with_safe_cookie_flags() {
        Http client = app.client();
        HttpResponse<String> form = client.get("/sign-in/staff");
        String before = sessionCookie(client);
        assertThat(before).isNotNull();
        assertThat(form.headers().allValues("Set-Cookie"))
                .anySatisfy(
                        c ->
                                assertThat(c)
                                        .contains("sesame_session=", "HttpOnly", "SameSite=Lax")
                                        .doesNotContain("Secure"));
        client.postForm(
                "/sign-in/staff",
                Map.of("email", DemoSeed.ADMIN_EMAIL, "password", DemoSeed.ADMIN_PASSWORD));
        assertThat(sessionCookie(client)).isNotEqualTo(before);
        // the session id is stored hashed only
        assertThat(
                        Sql.count(
                                app.jdbi(),
                                "select count(*) from web_session where id_hash = '"
                                        + sessionCookie(client)
                                        + "'"))
                .isZero();
    }

    @Test
    void a_staff_session_cookie_ends_with_the_browser_and_a_parents_lasts_the_session() {
        Http staff = app.client();
        staff.get("/sign-in/staff");
        HttpResponse<String> signedIn =
                staff.postForm(
                        "/sign-in/staff",
                        Map.of(
                                "email",
                                DemoSeed.TRAINER_EMAIL,
                                "password",
                                DemoSeed.TRAINER_PASSWORD));
        assertThat(signedIn.headers().allValues("Set-Cookie"))
                .filteredOn(c -> c.startsWith("sesame_session="))
                .singleElement()
                .satisfies(c -> assertThat(c.toLowerCase()).doesNotContain("max-age", "expires"));

        Http parent = app.client();
        parent.get("/sign-in/code");
        HttpResponse<String> code =
                parent.postForm("/sign-in/code", Map.of("code", "K7M4-9PQX", "child", "Lina"));
        assertThat(code.headers().allValues("Set-Cookie"))
                .filteredOn(c -> c.startsWith("sesame_session="))
                .singleElement()
                .satisfies(c -> assertThat(c).contains("Max-Age=43200"));
    }

    @Test
    void cookies_are_secure_when_the_base_url_is_https() {
        int port = TestApp.freePort();
        try (TestApp https =
                TestApp.start(
                        Map.of(
                                "PORT",
                                String.valueOf(port),
                                "BASE_URL",
                                "https://sesame.example.fr"))) {
            HttpResponse<String> r = new Http("http://localhost:" + port).get("/sign-in/staff");
            assertThat(r.headers().allValues("Set-Cookie"))
                    .anySatisfy(c -> assertThat(c).contains("Secure"));
        }
    }

    @Test
    void signing_out_ends_the_session_for_good() {
        Http admin = SignIn.admin(app);
        String cookie = sessionCookie(admin);
        admin.get("/admin");
        assertThat(admin.postForm("/sign-out", Map.of()).statusCode()).isEqualTo(302);
        Http replay = app.client();
        replay.cookies().getCookieStore().add(java.net.URI.create(app.baseUrl()), cookieOf(cookie));
        assertThat(replay.get("/admin").statusCode()).isEqualTo(302);
    }

    @Test
    void a_disabled_account_is_signed_out_and_cannot_sign_in_again() {
        Http admin = SignIn.admin(app);
        Http trainer = SignIn.staff(app, "formateur@demo.sesame.test", DemoSeed.TRAINER_PASSWORD);
        long id =
                Sql.count(
                        app.jdbi(),
                        "select id from staff_account where email = 'formateur@demo.sesame.test'");
        admin.get("/admin/staff");
        assertThat(
                        admin.postForm("/admin/staff/" + id + "/active", Map.of("active", "false"))
                                .statusCode())
                .isEqualTo(302);
        assertThat(trainer.get("/trainer").statusCode()).isEqualTo(302);
        Http again = app.client();
        again.get("/sign-in/staff");
        assertThat(
                        again.postForm(
                                        "/sign-in/staff",
                                        Map.of(
                                                "email",
                                                "formateur@demo.sesame.test",
                                                "password",
                                                DemoSeed.TRAINER_PASSWORD))
                                .statusCode())
                .isEqualTo(400);
        admin.postForm("/admin/staff/" + id + "/active", Map.of("active", "true"));
    }

    @Test
    void an_admin_creates_staff_accounts_from_a_page_with_each_field_checked() {
        Http admin = SignIn.admin(app);
        admin.get("/admin/staff");
        HttpResponse<String> bad =
                admin.postForm(
                        "/admin/staff",
                        Map.of(
                                "email",
                                "not-an-email",
                                "name",
                                "",
                                "role",
                                "wizard",
                                "password",
                                "short"));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body())
                .contains(
                        "adresse e-mail valide",
                        "Écrivez le nom",
                        "Choisissez un rôle",
                        "au moins 12 caractères",
                        "value=\"not-an-email\"");
        HttpResponse<String> noSchool =
                admin.postForm(
                        "/admin/staff",
                        Map.of(
                                "email",
                                "dir@ecole.fr",
                                "name",
                                "Dir",
                                "role",
                                "school_staff",
                                "school",
                                "",
                                "password",
                                "a-long-password-1"));
        assertThat(noSchool.body()).contains("Choisissez l'école");
        int before = Sql.count(app.jdbi(), "select count(*) from staff_account");
        HttpResponse<String> ok =
                admin.postForm(
                        "/admin/staff",
                        Map.of(
                                "email",
                                "dir.moulin@ecole.fr",
                                "name",
                                "Direction Jean Moulin",
                                "role",
                                "school_staff",
                                "school",
                                "0215678B",
                                "password",
                                "a-long-password-1"));
        assertThat(ok.statusCode()).isEqualTo(302);
        assertThat(Sql.count(app.jdbi(), "select count(*) from staff_account"))
                .isEqualTo(before + 1);
        Http director = SignIn.staff(app, "dir.moulin@ecole.fr", "a-long-password-1");
        assertThat(director.get("/school").body()).contains("École élémentaire Jean Moulin");
        HttpResponse<String> dup =
                admin.postForm(
                        "/admin/staff",
                        Map.of(
                                "email",
                                "DIR.MOULIN@ecole.fr",
                                "name",
                                "X",
                                "role",
                                "trainer",
                                "password",
                                "a-long-password-1"));
        assertThat(dup.body()).contains("existe déjà");
    }

    @Test
    void sessions_survive_a_restart_of_the_app() {
        Map<String, String> env = new HashMap<>(TestDatabase.freshDatabaseEnv());
        int port = TestApp.freePort();
        env.put("PORT", String.valueOf(port));
        Http client;
        try (TestApp first = TestApp.startWithEnv(env)) {
            new DemoSeed(first.jdbi()).seed();
            client = SignIn.admin(first);
            assertThat(client.get("/admin").statusCode()).isEqualTo(200);
        }
        try (TestApp second = TestApp.startWithEnv(env)) {
            assertThat(client.get("/admin").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void a_state_changing_form_without_its_csrf_token_is_refused() {
        Http admin = SignIn.admin(app);
        admin.get("/admin/tokens");
        HttpResponse<String> none =
                admin.post("/admin/tokens", Map.of("name", "x", "scope", "read"));
        assertThat(none.statusCode()).isEqualTo(403);
        assertThat(none.body()).contains("Formulaire expiré");
        HttpResponse<String> wrong =
                admin.post(
                        "/admin/tokens", Map.of("name", "x", "scope", "read", "_csrf", "forged"));
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(Sql.count(app.jdbi(), "select count(*) from api_token where name = 'x'"))
                .isZero();
        // also before sign-in
        Http anonymous = app.client();
        assertThat(
                        anonymous
                                .post("/sign-in/code", Map.of("code", "K7M49PQX", "child", "Lina"))
                                .statusCode())
                .isEqualTo(403);
    }

    @Test
    void api_tokens_are_shown_once_stored_hashed_scoped_and_revocable() {
        Http admin = SignIn.admin(app);
        admin.get("/admin/tokens");
        HttpResponse<String> created =
                admin.postForm(
                        "/admin/tokens", Map.of("name", "Service informatique", "scope", "it"));
        String token =
                created.body().replaceAll("(?s).*<code class=\"token\">([^<]+)</code>.*", "$1");
        assertThat(token).startsWith("ses_");
        assertThat(
                        Sql.count(
                                app.jdbi(),
                                "select count(*) from api_token where token_hash = '"
                                        + token
                                        + "'"))
                .isZero();
        assertThat(admin.get("/admin/tokens").body()).doesNotContain(token);

        Http api = app.client();
        HttpResponse<String> me = api.get("/api/v1/me", "Authorization", "Bearer " + token);
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(me.body()).contains("\"scope\":\"it\"");
        assertThat(api.get("/api/v1/me").statusCode()).isEqualTo(401);
        assertThat(api.get("/api/v1/me", "Authorization", "Bearer ses_forged").statusCode())
                .isEqualTo(401);

        long id =
                Sql.count(
                        app.jdbi(), "select id from api_token where name = 'Service informatique'");
        admin.get("/admin/tokens");
        admin.postForm("/admin/tokens/" + id + "/revoke", Map.of());
        HttpResponse<String> revoked = api.get("/api/v1/me", "Authorization", "Bearer " + token);
        assertThat(revoked.statusCode()).isEqualTo(401);
        assertThat(revoked.body()).contains("\"error\"");
    }

    private static HttpCookie cookieOf(String value) {
        HttpCookie c = new HttpCookie(LoginSessions.COOKIE, value);
        c.setPath("/");
        c.setVersion(0);
        return c;
    }

    @Test
    void a_session_idle_for_more_than_two_hours_or_older_than_twelve_has_ended() {
        Http idle = SignIn.admin(app);
        app.jdbi()
                .useHandle(
                        h ->
                                h.execute(
                                        "update web_session set last_seen_at = now() - interval '2 hours 1 minute' "
                                                + "where id_hash = '"
                                                + Tokens.sha256(sessionCookie(idle))
                                                + "'"));
        assertThat(idle.get("/admin").statusCode()).isEqualTo(302);

        Http old = SignIn.admin(app);
        app.jdbi()
                .useHandle(
                        h ->
                                h.execute(
                                        "update web_session set created_at = now() - interval '12 hours 1 minute' "
                                                + "where id_hash = '"
                                                + Tokens.sha256(sessionCookie(old))
                                                + "'"));
        assertThat(old.get("/admin").statusCode()).isEqualTo(302);
    }

    @Test
    void the_first_admin_comes_from_admin_email_and_admin_password_on_first_start() {
        try (TestApp fresh =
                TestApp.start(
                        Map.of(
                                "ADMIN_EMAIL",
                                "education@ville.fr",
                                "ADMIN_PASSWORD",
                                "first-admin-pass"))) {
            Http admin = SignIn.staff(fresh, "education@ville.fr", "first-admin-pass");
            assertThat(admin.get("/admin/staff").statusCode()).isEqualTo(200);
        }
    }
}
