package fr.sesame.booking;

import static fr.sesame.booking.Fixtures.book;
import static fr.sesame.booking.Fixtures.count;
import static fr.sesame.booking.Fixtures.newSession;
import static fr.sesame.booking.Fixtures.token;
import static org.assertj.core.api.Assertions.assertThat;

import fr.sesame.support.Http;
import fr.sesame.support.SesameTest;
import fr.sesame.support.TestApp;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/** Every booking rule a parent meets, over HTTP against the real app and database. */
@SesameTest(demo = true)
class ParentBookingTest {
    static final String FERRY = "0211234A";
    static final String MOULIN = "0215678B";
    static TestApp app;
    static Jdbi db;

    private static Http family(String prefix) {
        return Fixtures.parent(app, Fixtures.addFamilies(db, prefix, 1, FERRY).get(0));
    }

    private static Http[] families(String prefix, int n) {
        List<String[]> made = Fixtures.addFamilies(db, prefix, n, FERRY);
        return made.stream().map(f -> Fixtures.parent(app, f)).toArray(Http[]::new);
    }

    @Test
    void the_list_shows_the_childrens_school_first_and_the_seats_left_in_words() {
        long ferryFull = newSession(db, FERRY, "premiers-pas", 1, 30);
        long ferryThree = newSession(db, FERRY, "premiers-pas", 3, 31);
        long moulin = newSession(db, MOULIN, "premiers-pas", 2, 29);
        book(family("list-a"), ferryFull);

        HttpResponse<String> list = family("list-b").get("/sessions");
        assertThat(list.statusCode()).isEqualTo(200);
        String body = list.body();
        assertThat(body).contains("3 places restantes", "Complet", "2 places restantes");
        int others = body.indexOf("Dans les autres écoles");
        assertThat(body.indexOf("href=\"/sessions/" + ferryThree + "\"")).isBetween(0, others);
        assertThat(body.indexOf("href=\"/sessions/" + ferryFull + "\"")).isBetween(0, others);
        assertThat(body.indexOf("href=\"/sessions/" + moulin + "\"")).isGreaterThan(others);

        Http inEnglish = family("list-c");
        inEnglish.get("/lang/en?next=/sessions"); // the parent's choice, kept on the guardian
        HttpResponse<String> english = inEnglish.get("/sessions");
        assertThat(english.body()).contains("3 seats left", "Full");
    }

    @Test
    void a_parent_books_in_one_confirmed_step_and_sees_it_in_my_bookings() {
        long session = newSession(db, FERRY, "premiers-pas", 5, 20);
        Http parent = family("book");
        HttpResponse<String> r = book(parent, session);
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(r.headers().firstValue("Location")).hasValue("/me?done=booked");
        HttpResponse<String> home = parent.follow(r);
        assertThat(home.body()).contains("C'est réservé", "Mes réservations", "/bookings/");
        assertThat(count(db, "select booked from workshop_session where id = ?", session))
                .isEqualTo(1);
        assertThat(
                        count(
                                db,
                                "select count(*) from booking where session_id = ? and status = 'active'",
                                session))
                .isEqualTo(1);
        assertThat(
                        count(
                                db,
                                "select count(*) from audit_log where action = 'book' and details->>'session' = ?",
                                String.valueOf(session)))
                .isEqualTo(1);
        assertThat(parent.get("/sessions/" + session).body())
                .contains("Vous avez une place à cette séance.");
    }

    @Test
    void the_same_form_sent_twice_books_once() {
        long session = newSession(db, FERRY, "premiers-pas", 5, 21);
        Http parent = family("twice");
        HttpResponse<String> page = parent.get("/sessions/" + session);
        String token = token(page);
        HttpResponse<String> first =
                parent.postForm("/sessions/" + session + "/book", Map.of("token", token));
        HttpResponse<String> second =
                parent.postForm("/sessions/" + session + "/book", Map.of("token", token));
        assertThat(first.statusCode()).isEqualTo(302);
        assertThat(second.statusCode()).isEqualTo(302);
        assertThat(second.headers().firstValue("Location"))
                .isEqualTo(first.headers().firstValue("Location"));
        assertThat(count(db, "select count(*) from booking where session_id = ?", session))
                .isEqualTo(1);
        assertThat(count(db, "select booked from workshop_session where id = ?", session))
                .isEqualTo(1);
    }

    @Test
    void a_family_has_one_booking_per_workshop_and_is_told_to_change_the_date_instead() {
        long first = newSession(db, FERRY, "premiers-pas", 5, 22);
        long second = newSession(db, FERRY, "premiers-pas", 5, 23);
        long otherWorkshop = newSession(db, FERRY, "suivre-ent", 5, 23);
        Http parent = family("limit");
        assertThat(book(parent, first).statusCode()).isEqualTo(302);
        HttpResponse<String> page = parent.get("/sessions/" + second);
        assertThat(page.body())
                .contains("Changer pour cette date")
                .doesNotContain("Réserver ma place");
        HttpResponse<String> refused =
                parent.postForm("/sessions/" + second + "/book", Map.of("token", token(page)));
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.body()).contains("Votre famille a déjà une place pour cet atelier");
        assertThat(count(db, "select booked from workshop_session where id = ?", second)).isZero();
        assertThat(book(parent, otherWorkshop).statusCode())
                .as("another workshop type")
                .isEqualTo(302);
    }

    @Test
    void a_session_outside_its_window_started_or_cancelled_cannot_be_booked() {
        Http parent = family("window");
        long notYet = newSession(db, FERRY, "premiers-pas", 5, 24);
        db.useHandle(
                h ->
                        h.execute(
                                "update workshop_session set booking_opens_at = now() + interval '3 days' where id = ?",
                                notYet));
        long closed = newSession(db, FERRY, "premiers-pas", 5, 24);
        db.useHandle(
                h ->
                        h.execute(
                                "update workshop_session set booking_closes_hours = 168 * 5 where id = ?",
                                closed));
        long started = newSession(db, FERRY, "premiers-pas", 5, 24);
        db.useHandle(
                h ->
                        h.execute(
                                "update workshop_session set starts_at = now() - interval '10 minutes', "
                                        + "ends_at = now() + interval '1 hour', booking_closes_hours = 0 where id = ?",
                                started));
        long cancelled = newSession(db, FERRY, "premiers-pas", 5, 24);
        db.useHandle(
                h ->
                        h.execute(
                                "update workshop_session set status = 'cancelled' where id = ?",
                                cancelled));

        Map<Long, String> expected =
                Map.of(
                        notYet,
                        "pas encore ouvertes",
                        closed,
                        "sont fermées",
                        started,
                        "a déjà commencé",
                        cancelled,
                        "est annulée");
        for (Map.Entry<Long, String> e : expected.entrySet()) {
            HttpResponse<String> page = parent.get("/sessions/" + e.getKey());
            assertThat(page.body()).doesNotContain("Réserver ma place");
            HttpResponse<String> r =
                    parent.postForm(
                            "/sessions/" + e.getKey() + "/book",
                            Map.of("token", java.util.UUID.randomUUID().toString()));
            assertThat(r.statusCode()).as("session " + e.getKey()).isEqualTo(409);
            assertThat(r.body()).contains(e.getValue());
        }
        assertThat(
                        count(
                                db,
                                "select count(*) from booking where session_id in (?, ?, ?, ?)",
                                notYet,
                                closed,
                                started,
                                cancelled))
                .isZero();
    }

    @Test
    void a_full_session_offers_the_waiting_list_and_gives_a_freed_seat_to_the_first_in_line() {
        long session = newSession(db, FERRY, "premiers-pas", 1, 25);
        Http[] p = families("wait", 4);
        assertThat(book(p[0], session).statusCode()).isEqualTo(302);
        HttpResponse<String> full = p[1].get("/sessions/" + session);
        assertThat(full.body()).contains("Complet", "M'inscrire sur la liste d'attente");
        HttpResponse<String> late =
                p[1].postForm(
                        "/sessions/" + session + "/book",
                        Map.of("token", java.util.UUID.randomUUID().toString()));
        assertThat(late.statusCode()).isEqualTo(409);
        assertThat(late.body()).contains("la dernière place vient d'être prise");
        for (int i = 1; i <= 3; i++) {
            p[i].get("/sessions/" + session);
            assertThat(p[i].postForm("/sessions/" + session + "/wait", Map.of()).statusCode())
                    .isEqualTo(302);
        }
        assertThat(p[2].get("/me").body()).contains("Vous êtes 2e sur la liste d’attente.");
        assertThat(p[3].get("/sessions/" + session).body())
                .contains("Vous êtes 3e sur la liste d’attente.");
        // joining twice keeps the place in line
        p[1].get("/sessions/" + session);
        assertThat(p[1].postForm("/sessions/" + session + "/wait", Map.of()).statusCode())
                .isEqualTo(302);
        assertThat(
                        count(
                                db,
                                "select count(*) from waiting_entry where session_id = ? and status = 'waiting'",
                                session))
                .isEqualTo(3);

        long booking =
                db.withHandle(
                        h ->
                                h.createQuery(
                                                "select id from booking where session_id = ? and status = 'active'")
                                        .bind(0, session)
                                        .mapTo(Long.class)
                                        .one());
        p[0].get("/bookings/" + booking + "/cancel");
        HttpResponse<String> cancelled =
                p[0].postForm("/bookings/" + booking + "/cancel", Map.of());
        assertThat(cancelled.headers().firstValue("Location")).hasValue("/me?done=cancelled");

        long firstInLine = Fixtures.familyId(app, "wait-1");
        assertThat(
                        count(
                                db,
                                "select count(*) from booking where session_id = ? and status = 'active' and family_id = ?",
                                session,
                                firstInLine))
                .isEqualTo(1);
        assertThat(count(db, "select booked from workshop_session where id = ?", session))
                .isEqualTo(1);
        assertThat(
                        count(
                                db,
                                "select count(*) from calendar_outbox o join booking b on b.id = o.booking_id where o.kind = 'confirmed' and b.session_id = ? and b.booked_by_staff is null and b.form_token is null",
                                session))
                .isEqualTo(1);
        assertThat(p[1].get("/me").body())
                .contains("Mes réservations")
                .doesNotContain("sur la liste d’attente");
        assertThat(p[2].get("/me").body()).contains("Vous êtes en tête de la liste d’attente.");

        // leaving the list moves the others up
        long entry =
                db.withHandle(
                        h ->
                                h.createQuery(
                                                "select id from waiting_entry where session_id = ? and family_id = ? and status = 'waiting'")
                                        .bind(0, session)
                                        .bind(1, Fixtures.familyId(app, "wait-2"))
                                        .mapTo(Long.class)
                                        .one());
        p[2].get("/me");
        assertThat(p[2].postForm("/waiting/" + entry + "/leave", Map.of()).statusCode())
                .isEqualTo(302);
        assertThat(p[3].get("/me").body()).contains("Vous êtes en tête de la liste d’attente.");
    }

    @Test
    void a_session_with_seats_left_has_no_waiting_list() {
        long session = newSession(db, FERRY, "premiers-pas", 3, 26);
        Http parent = family("notfull");
        parent.get("/sessions/" + session);
        HttpResponse<String> r = parent.postForm("/sessions/" + session + "/wait", Map.of());
        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(r.body()).contains("Il reste des places");
        assertThat(count(db, "select count(*) from waiting_entry where session_id = ?", session))
                .isZero();
    }

    @Test
    void a_booking_moves_to_another_date_and_frees_the_old_seat_for_the_waiting_list() {
        long from = newSession(db, FERRY, "premiers-pas", 1, 27);
        long to = newSession(db, FERRY, "premiers-pas", 2, 28);
        Http[] p = families("move", 2);
        book(p[0], from);
        p[1].get("/sessions/" + from);
        p[1].postForm("/sessions/" + from + "/wait", Map.of());
        long booking =
                db.withHandle(
                        h ->
                                h.createQuery(
                                                "select id from booking where session_id = ? and status = 'active'")
                                        .bind(0, from)
                                        .mapTo(Long.class)
                                        .one());

        HttpResponse<String> choices = p[0].get("/bookings/" + booking + "/move");
        assertThat(choices.statusCode()).isEqualTo(200);
        assertThat(choices.body()).contains("Choisir cette date", "value=\"" + to + "\"");
        HttpResponse<String> moved =
                p[0].postForm(
                        "/bookings/" + booking + "/move",
                        Map.of("to", String.valueOf(to), "token", token(choices)));
        assertThat(moved.headers().firstValue("Location")).hasValue("/me?done=moved");
        assertThat(count(db, "select booked from workshop_session where id = ?", to)).isEqualTo(1);
        assertThat(
                        count(
                                db,
                                "select count(*) from booking where id = ? and status = 'moved' and moved_to is not null",
                                booking))
                .isEqualTo(1);
        // the freed seat went to the first in line, in the same transaction
        assertThat(count(db, "select booked from workshop_session where id = ?", from))
                .isEqualTo(1);
        assertThat(
                        count(
                                db,
                                "select count(*) from booking where session_id = ? and status = 'active' and family_id = ?",
                                from,
                                Fixtures.familyId(app, "move-1")))
                .isEqualTo(1);
    }

    @Test
    void a_move_to_a_full_session_changes_nothing() {
        long from = newSession(db, FERRY, "premiers-pas", 2, 27);
        long to = newSession(db, FERRY, "premiers-pas", 1, 28);
        Http[] p = families("nomove", 2);
        book(p[0], from);
        book(p[1], to);
        long booking =
                db.withHandle(
                        h ->
                                h.createQuery(
                                                "select id from booking where session_id = ? and status = 'active'")
                                        .bind(0, from)
                                        .mapTo(Long.class)
                                        .one());
        HttpResponse<String> choices = p[0].get("/bookings/" + booking + "/move");
        HttpResponse<String> r =
                p[0].postForm(
                        "/bookings/" + booking + "/move",
                        Map.of("to", String.valueOf(to), "token", token(choices)));
        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(r.body()).contains("la dernière place vient d'être prise");
        assertThat(
                        count(
                                db,
                                "select count(*) from booking where id = ? and status = 'active'",
                                booking))
                .isEqualTo(1);
        assertThat(count(db, "select booked from workshop_session where id = ?", from))
                .isEqualTo(1);
        assertThat(count(db, "select booked from workshop_session where id = ?", to)).isEqualTo(1);
    }

    @Test
    void another_familys_booking_or_an_unknown_id_is_not_found() {
        long session = newSession(db, FERRY, "premiers-pas", 3, 29);
        Http[] p = families("foreign", 2);
        book(p[0], session);
        long booking =
                db.withHandle(
                        h ->
                                h.createQuery(
                                                "select id from booking where session_id = ? and status = 'active'")
                                        .bind(0, session)
                                        .mapTo(Long.class)
                                        .one());
        p[1].get("/me");
        assertThat(p[1].get("/bookings/" + booking + "/cancel").statusCode()).isEqualTo(404);
        assertThat(p[1].postForm("/bookings/" + booking + "/cancel", Map.of()).statusCode())
                .isEqualTo(404);
        assertThat(p[1].get("/bookings/" + booking + "/move").statusCode()).isEqualTo(404);
        assertThat(p[1].get("/sessions/999999").statusCode()).isEqualTo(404);
        assertThat(p[1].get("/sessions/abc").statusCode()).isEqualTo(404);
        p[1].get("/me");
        assertThat(
                        p[1].postForm("/sessions/999999/book", Map.of("token", "0123456789abcdef"))
                                .statusCode())
                .isEqualTo(404);
        assertThat(
                        p[1].postForm("/sessions/" + session + "/book", Map.of("token", "<bad>"))
                                .statusCode())
                .isEqualTo(400);
        assertThat(
                        count(
                                db,
                                "select count(*) from booking where id = ? and status = 'active'",
                                booking))
                .isEqualTo(1);
    }

    @Test
    void the_home_page_shows_what_to_do_next_and_the_bookings_in_english_too() {
        Http parent = family("home");
        parent.get("/lang/en?next=/me"); // the parent's choice, kept on the guardian
        HttpResponse<String> home = parent.get("/me");
        assertThat(home.body())
                .contains("For the computer to go home, choose a workshop.", "href=\"/sessions\"");
        long session = newSession(db, FERRY, "premiers-pas", 3, 30);
        HttpResponse<String> done = parent.follow(book(parent, session));
        assertThat(done.body())
                .contains("It is booked.", "My bookings", "Change the date", "Cancel");
    }
}
