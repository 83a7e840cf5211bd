package fr.sesame.support;

import static org.assertj.core.api.Assertions.assertThat;

import fr.sesame.demo.DemoSeed;
import java.net.http.HttpResponse;
import java.util.Map;

/** Signs test clients in through the real sign-in pages (on a database holding the demo town). */
public final class SignIn {
    private SignIn() {}

    public static Http staff(TestApp app, String email, String password) {
        Http client = app.client();
        client.get("/sign-in/staff");
        HttpResponse<String> r =
                client.postForm("/sign-in/staff", Map.of("email", email, "password", password));
        assertThat(r.statusCode()).as("staff sign-in of " + email + ": " + r.body()).isEqualTo(302);
        return client;
    }

    public static Http admin(TestApp app) {
        return staff(app, DemoSeed.ADMIN_EMAIL, DemoSeed.ADMIN_PASSWORD);
    }

    public static Http trainer(TestApp app) {
        return staff(app, DemoSeed.TRAINER_EMAIL, DemoSeed.TRAINER_PASSWORD);
    }

    public static Http schoolStaff(TestApp app) {
        return staff(app, DemoSeed.SCHOOL_EMAIL, DemoSeed.SCHOOL_PASSWORD);
    }

    /** The first demo family's parent, with the code on the letter and the child's first name. */
    public static Http parent(TestApp app) {
        return parent(app, "K7M4-9PQX", "Lina");
    }

    public static Http parent(TestApp app, String code, String childFirstName) {
        Http client = app.client();
        client.get("/sign-in/code");
        HttpResponse<String> r =
                client.postForm("/sign-in/code", Map.of("code", code, "child", childFirstName));
        assertThat(r.statusCode()).as("code sign-in: " + r.body()).isEqualTo(302);
        if (r.headers().firstValue("Location").orElse("").startsWith("/sign-in/guardian")) {
            // a letter shared by several guardians: the first of the roster says it is them
            String page = client.get("/sign-in/guardian").body();
            java.util.regex.Matcher first =
                    java.util.regex.Pattern.compile("name=\"guardian\" value=\"(\\d+)\"")
                            .matcher(page);
            assertThat(first.find()).as("guardian choice: " + page).isTrue();
            HttpResponse<String> chosen =
                    client.postForm("/sign-in/guardian", Map.of("guardian", first.group(1)));
            assertThat(chosen.statusCode()).as("guardian choice: " + chosen.body()).isEqualTo(302);
        }
        return client;
    }

    /** Starts the app on a fresh database holding the demo town. */
    public static TestApp demoApp() {
        return demoApp(java.util.Map.of());
    }

    /** The demo town on an app started with this extra environment. */
    public static TestApp demoApp(java.util.Map<String, String> extraEnv) {
        TestApp app = TestApp.start(extraEnv);
        new DemoSeed(app.jdbi()).seed();
        return app;
    }
}
