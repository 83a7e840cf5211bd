package fr.sesame.booking;

import static org.assertj.core.api.Assertions.assertThat;

import fr.sesame.support.Http;
import fr.sesame.support.SignIn;
import fr.sesame.support.TestApp;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;

/**
 * Shortcuts of the booking tests: parents signed in through the letter-code page, form tokens,
 * sessions.
 */
final class Fixtures {
    private static final Pattern TOKEN = Pattern.compile("name=\"token\" value=\"([^\"]+)\"");
    private static final String ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

    private Fixtures() {}

    /** A signed-in parent of the demo family with this reference (DEMO-001 ... DEMO-040). */
    static Http parent(TestApp app, String reference) {
        Map<String, Object> row =
                app.jdbi()
                        .withHandle(
                                h ->
                                        h.createQuery(
                                                        """
                select f.letter_code, (select c.first_name from child c where c.family_id = f.id order by c.id limit 1) as child
                from family f where f.reference = :ref""")
                                                .bind("ref", reference)
                                                .mapToMap()
                                                .one());
        return SignIn.parent(app, (String) row.get("letter_code"), (String) row.get("child"));
    }

    static long familyId(TestApp app, String reference) {
        return app.jdbi()
                .withHandle(
                        h ->
                                h.createQuery("select id from family where reference = :r")
                                        .bind("r", reference)
                                        .mapTo(Long.class)
                                        .one());
    }

    /** The form token of the last page read (the booking and move forms carry one). */
    static String token(HttpResponse<String> page) {
        Matcher m = TOKEN.matcher(page.body());
        assertThat(m.find()).as("a form token on the page").isTrue();
        return m.group(1);
    }

    /** Opens the session page, then presses "Réserver ma place". */
    static HttpResponse<String> book(Http parent, long sessionId) {
        HttpResponse<String> page = parent.get("/sessions/" + sessionId);
        assertThat(page.statusCode()).isEqualTo(200);
        return parent.postForm("/sessions/" + sessionId + "/book", Map.of("token", token(page)));
    }

    /**
     * A scheduled session of the first demo family's school (Jules Ferry) of the given workshop
     * code.
     */
    static long session(Jdbi jdbi, String uai, String workshop, int index) {
        return jdbi.withHandle(
                h ->
                        h.createQuery(
                                        """
                select ws.id from workshop_session ws join school s on s.id = ws.school_id
                join workshop_type wt on wt.id = ws.workshop_type_id
                where s.uai = :uai and wt.code = :code order by ws.starts_at, ws.id offset :i limit 1""")
                                .bind("uai", uai)
                                .bind("code", workshop)
                                .bind("i", index)
                                .mapTo(Long.class)
                                .one());
    }

    /**
     * Creates n families (a guardian and a child at the given school each); returns their code and
     * child name.
     */
    static List<String[]> addFamilies(Jdbi jdbi, String prefix, int n, String uai) {
        List<String[]> created = new ArrayList<>();
        jdbi.useTransaction(
                h -> {
                    long school =
                            h.createQuery("select id from school where uai = :u")
                                    .bind("u", uai)
                                    .mapTo(Long.class)
                                    .one();
                    for (int i = 0; i < n; i++) {
                        String code = code(prefix, i);
                        long family =
                                h.createUpdate(
                                                "insert into family (reference, letter_code) values (:r, :c)")
                                        .bind("r", prefix + "-" + i)
                                        .bind("c", code)
                                        .executeAndReturnGeneratedKeys("id")
                                        .mapTo(Long.class)
                                        .one();
                        h.createUpdate(
                                        "insert into guardian (family_id, first_name, last_name) values (:f, 'Parent', :l)")
                                .bind("f", family)
                                .bind("l", prefix + i)
                                .execute();
                        h.createUpdate(
                                        "insert into child (family_id, school_id, first_name, last_name, class_level) "
                                                + "values (:f, :s, 'Enfant', :l, 'CM1')")
                                .bind("f", family)
                                .bind("s", school)
                                .bind("l", prefix + i)
                                .execute();
                        created.add(new String[] {code, "Enfant"});
                    }
                });
        return created;
    }

    /** Three characters from the prefix, then i in base 32: unique within a prefix. */
    private static String code(String prefix, int i) {
        StringBuilder sb = new StringBuilder();
        int h = Math.abs(prefix.hashCode());
        for (int k = 0; k < 3; k++) {
            sb.append(ALPHABET.charAt(h % 32));
            h /= 32;
        }
        String digits = "";
        int v = i;
        for (int k = 0; k < 5; k++) {
            digits = ALPHABET.charAt(v % 32) + digits;
            v /= 32;
        }
        return sb + digits;
    }

    /**
     * A new scheduled session, open for booking now, starting in some days at 17:30 UTC, in the
     * school's first room.
     */
    static long newSession(Jdbi jdbi, String uai, String workshop, int capacity, int daysAhead) {
        return jdbi.withHandle(
                h ->
                        h.createUpdate(
                                        """
                insert into workshop_session (workshop_type_id, school_id, room_id, starts_at, ends_at, capacity, booking_opens_at)
                select wt.id, s.id, (select r.id from room r where r.school_id = s.id order by r.id limit 1),
                       date_trunc('day', now()) + make_interval(days => :days, hours => 17, mins => 30),
                       date_trunc('day', now()) + make_interval(days => :days, hours => 19, mins => 30),
                       :capacity, now() - interval '1 day'
                from workshop_type wt, school s where wt.code = :code and s.uai = :uai""")
                                .bind("days", daysAhead)
                                .bind("capacity", capacity)
                                .bind("code", workshop)
                                .bind("uai", uai)
                                .executeAndReturnGeneratedKeys("id")
                                .mapTo(Long.class)
                                .one());
    }

    /** Signs in the parent of a family made by {@link #addFamilies}. */
    static Http parent(TestApp app, String[] family) {
        return SignIn.parent(app, family[0], family[1]);
    }

    static long familyOf(Jdbi jdbi, String[] family) {
        return jdbi.withHandle(
                h ->
                        h.createQuery("select id from family where letter_code = :c")
                                .bind("c", family[0])
                                .mapTo(Long.class)
                                .one());
    }

    static int count(Jdbi jdbi, String sql, Object... args) {
        return jdbi.withHandle(
                h -> {
                    var q = h.createQuery(sql);
                    for (int i = 0; i < args.length; i++) q.bind(i, args[i]);
                    return q.mapTo(Integer.class).one();
                });
    }
}
