package fr.sesame.reach;

import fr.sesame.demo.DemoSeed;
import fr.sesame.support.Http;
import fr.sesame.support.TestApp;
import java.net.http.HttpResponse;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/** Families, guardians and sign-ins for the reach tests, written straight in SQL. */
final class ReachFixture {
    /**
     * The BASE_URL of the reach tests: a fixed length, so that SMS parts can be counted by hand.
     */
    static final String BASE_URL = "http://sesame.ville.example";

    private final Jdbi jdbi;

    ReachFixture(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** A client of the app (BASE_URL names another host: the tests speak to the port). */
    static Http client(TestApp app) {
        return new Http("http://localhost:" + app.port());
    }

    static Http admin(TestApp app) {
        Http c = client(app);
        c.get("/sign-in/staff");
        HttpResponse<String> r =
                c.postForm(
                        "/sign-in/staff",
                        Map.of("email", DemoSeed.ADMIN_EMAIL, "password", DemoSeed.ADMIN_PASSWORD));
        if (r.statusCode() != 302) throw new AssertionError("admin sign-in: " + r.statusCode());
        return c;
    }

    static Http trainer(TestApp app) {
        Http c = client(app);
        c.get("/sign-in/staff");
        HttpResponse<String> r =
                c.postForm(
                        "/sign-in/staff",
                        Map.of(
                                "email",
                                DemoSeed.TRAINER_EMAIL,
                                "password",
                                DemoSeed.TRAINER_PASSWORD));
        if (r.statusCode() != 302) throw new AssertionError("trainer sign-in: " + r.statusCode());
        return c;
    }

    long school(String uai) {
        return jdbi.withHandle(
                h -> {
                    long s =
                            h.createQuery(
                                            "insert into school (uai, name) values (?, ?) returning id")
                                    .bind(0, uai)
                                    .bind(1, "École " + uai)
                                    .mapTo(Long.class)
                                    .one();
                    h.execute(
                            "insert into room (school_id, name, seats) values (?, 'Salle 1', 20)",
                            s);
                    return s;
                });
    }

    /** A family with one child in this school and class; returns the family's id. */
    long family(long school, String className) {
        return jdbi.withHandle(
                h -> {
                    long f =
                            h.createQuery(
                                            "insert into family (reference) values ('R-' || gen_random_uuid()) returning id")
                                    .mapTo(Long.class)
                                    .one();
                    h.execute(
                            "insert into child (family_id, school_id, first_name, last_name, class_level, class_name)"
                                    + " values (?, ?, 'Enfant', 'Test', 'CM1', ?)",
                            f,
                            school,
                            className);
                    return f;
                });
    }

    long guardian(long family, String language, String phone, String email) {
        return jdbi.withHandle(
                h ->
                        h.createQuery(
                                        """
                insert into guardian (family_id, first_name, last_name, email, phone, language)
                values (?, 'Parent', 'Test', ?, ?, ?) returning id""")
                                .bind(0, family)
                                .bind(1, email)
                                .bind(2, phone)
                                .bind(3, language)
                                .mapTo(Long.class)
                                .one());
    }

    void optOut(long guardian) {
        jdbi.useHandle(
                h ->
                        h.execute(
                                "update guardian set opt_out = true, opt_out_at = now(), opt_out_by = 'test' where id = ?",
                                guardian));
    }
}
