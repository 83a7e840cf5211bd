package fr.sesame.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.HttpCookie;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the extension hands a test class: its app, on a database with the demo town, and clients
 * signed in once.
 */
@SesameTest(demo = true, env = "TOWN_CONTACT=Mairie | 03 80 00 00 00")
class SesameAppTest {
    static TestApp app;
    static Jdbi jdbi;

    @SignedIn(SignedIn.Role.ADMIN)
    static Http admin;

    static TestApp fromBeforeAll;

    @BeforeAll
    static void fieldsAreSetBeforeTheClassesOwnSetUp(TestApp given) {
        assertThat(app).isNotNull();
        fromBeforeAll = given;
    }

    @Test
    void the_fields_and_the_parameters_are_the_same_running_app_with_the_environment_asked() {
        assertThat(fromBeforeAll).isSameAs(app);
        assertThat(app.client().get("/health/ready").statusCode()).isEqualTo(200);
        assertThat(app.app().config().townContact()).isEqualTo("Mairie | 03 80 00 00 00");
        long families =
                jdbi.withHandle(
                        h -> h.createQuery("select count(*) from family").mapTo(Long.class).one());
        assertThat(families).as("the demo town's families").isEqualTo(40);
    }

    @Test
    void a_signed_in_field_is_the_classes_one_session_and_a_parameter_gets_its_own(
            @SignedIn(SignedIn.Role.ADMIN) Http anotherAdmin, Http anonymous) {
        assertThat(admin.get("/admin").statusCode()).isEqualTo(200);
        assertThat(anotherAdmin.get("/admin").statusCode()).isEqualTo(200);
        assertThat(session(anotherAdmin)).isNotEqualTo(session(admin));
        assertThat(anonymous.get("/admin").statusCode()).isEqualTo(302);
    }

    private static String session(Http client) {
        return client.cookies().getCookieStore().getCookies().stream()
                .filter(c -> c.getName().equals("sesame_session"))
                .map(HttpCookie::getValue)
                .findFirst()
                .orElseThrow();
    }
}
