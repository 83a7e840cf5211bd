package fr.sesame.booking;

import static fr.sesame.booking.Fixtures.book;
import static fr.sesame.booking.Fixtures.count;
import static fr.sesame.booking.Fixtures.newSession;
import static fr.sesame.booking.Fixtures.token;
import static org.assertj.core.api.Assertions.assertThat;

import fr.sesame.support.Http;
import fr.sesame.support.SesameTest;
import fr.sesame.support.SignedIn;
import fr.sesame.support.TestApp;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/** The education service plans workshop types, sessions and series, edits and cancels sessions. */
@SesameTest(demo = true)
class PlanningTest {
    static final String FERRY = "0211234A";
    static TestApp app;
    static Jdbi db;

    @SignedIn(SignedIn.Role.ADMIN)
    static Http admin;

    private static long roomOf(String uai, int index) {
        return db.withHandle(
                h ->
                        h.createQuery(
                                        "select r.id from room r join school s on s.id = r.school_id "
                                                + "where s.uai = ? order by r.id offset ? limit 1")
                                .bind(0, uai)
                                .bind(1, index)
                                .mapTo(Long.class)
                                .one());
    }

    private static long typeId(String code) {
        return db.withHandle(
                h ->
                        h.createQuery("select id from workshop_type where code = ?")
                                .bind(0, code)
                                .mapTo(Long.class)
                                .one());
    }

    private static String inDays(int days) {
        return LocalDate.now(ZoneId.of("Europe/Paris")).plusDays(days).toString();
    }

    @Test
    void
            a_workshop_type_with_bad_input_shows_each_error_next_to_its_field_and_keeps_what_was_typed() {
        admin.get("/admin/workshops");
        HttpResponse<String> bad =
                admin.postFormPairs(
                        "/admin/workshops",
                        "code",
                        "Bad Code",
                        "titleFr",
                        "",
                        "titleEn",
                        "Tablet basics",
                        "duration",
                        "5",
                        "maxActive",
                        "1");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body())
                .contains(
                        "Écrivez un code",
                        "Écrivez un titre",
                        "entre 15 et 480 minutes",
                        "Cochez au moins une langue",
                        "value=\"Bad Code\"",
                        "value=\"Tablet basics\"",
                        "aria-invalid=\"true\"");
        assertThat(count(db, "select count(*) from workshop_type")).isEqualTo(2);

        HttpResponse<String> ok =
                admin.postFormPairs(
                        "/admin/workshops",
                        "code",
                        "tablette",
                        "titleFr",
                        "La tablette",
                        "titleEn",
                        "The tablet",
                        "descriptionFr",
                        "",
                        "descriptionEn",
                        "",
                        "duration",
                        "90",
                        "maxActive",
                        "1",
                        "languages",
                        "fr",
                        "languages",
                        "en",
                        "qualifies",
                        "on");
        assertThat(ok.statusCode()).isEqualTo(302);
        assertThat(
                        count(
                                db,
                                "select count(*) from workshop_type where code = 'tablette' and languages = '{fr,en}' "
                                        + "and qualifies_for_home_use and not requires_charter"))
                .isEqualTo(1);
        assertThat(
                        count(
                                db,
                                "select count(*) from audit_log where action = 'create_workshop_type'"))
                .isEqualTo(1);

        admin.get("/admin/workshops");
        HttpResponse<String> taken =
                admin.postFormPairs(
                        "/admin/workshops",
                        "code",
                        "tablette",
                        "titleFr",
                        "Autre",
                        "titleEn",
                        "Other",
                        "duration",
                        "90",
                        "maxActive",
                        "1",
                        "languages",
                        "fr");
        assertThat(taken.statusCode()).isEqualTo(400);
        assertThat(taken.body()).contains("Ce code est déjà pris");
    }

    @Test
    void a_session_is_created_from_the_form_and_bad_input_is_refused_field_by_field() {
        HttpResponse<String> form = admin.get("/admin/sessions/new");
        String token = token(form);
        long room = roomOf(FERRY, 0);
        HttpResponse<String> bad =
                admin.postFormPairs(
                        "/admin/sessions",
                        "token",
                        token,
                        "type",
                        String.valueOf(typeId("premiers-pas")),
                        "room",
                        String.valueOf(room),
                        "date",
                        "01/12/2026",
                        "start",
                        "18:00",
                        "end",
                        "17:00",
                        "capacity",
                        "40",
                        "language",
                        "fr",
                        "closes",
                        "2");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body())
                .contains(
                        "Écrivez une date",
                        "après l'heure de début",
                        "La salle n'a que 14 places",
                        "value=\"01/12/2026\"");
        HttpResponse<String> ok =
                admin.postFormPairs(
                        "/admin/sessions",
                        "token",
                        token,
                        "type",
                        String.valueOf(typeId("premiers-pas")),
                        "room",
                        String.valueOf(room),
                        "date",
                        inDays(20),
                        "start",
                        "17:30",
                        "end",
                        "19:30",
                        "capacity",
                        "10",
                        "language",
                        "fr",
                        "closes",
                        "2",
                        "trainers",
                        String.valueOf(trainerId()));
        assertThat(ok.statusCode()).isEqualTo(302);
        HttpResponse<String> again =
                admin.postFormPairs(
                        "/admin/sessions",
                        "token",
                        token,
                        "type",
                        String.valueOf(typeId("premiers-pas")),
                        "room",
                        String.valueOf(room),
                        "date",
                        inDays(20),
                        "start",
                        "17:30",
                        "end",
                        "19:30",
                        "capacity",
                        "10",
                        "language",
                        "fr",
                        "closes",
                        "2");
        assertThat(again.headers().firstValue("Location"))
                .isEqualTo(ok.headers().firstValue("Location"));
        assertThat(count(db, "select count(*) from workshop_session where form_token = ?", token))
                .isEqualTo(1);
        assertThat(admin.follow(ok).body()).contains("La séance est créée.");
    }

    private static long trainerId() {
        return db.withHandle(
                h ->
                        h.createQuery(
                                        "select id from staff_account where role = 'trainer' order by id limit 1")
                                .mapTo(Long.class)
                                .one());
    }

    @Test
    void a_series_is_previewed_then_created_once_in_every_chosen_room() {
        HttpResponse<String> form = admin.get("/admin/series");
        String token = token(form);
        int before = count(db, "select count(*) from workshop_session");
        String[] fields = {
            "token",
            token,
            "type",
            String.valueOf(typeId("premiers-pas")),
            "label",
            "Mardis",
            "rooms",
            String.valueOf(roomOf(FERRY, 0)),
            "rooms",
            String.valueOf(roomOf("0215678B", 0)),
            "rooms",
            String.valueOf(roomOf("0219012C", 0)),
            "first",
            inDays(14),
            "start",
            "17:30",
            "weeks",
            "6",
            "capacity",
            "10",
            "language",
            "fr",
            "closes",
            "2"
        };
        HttpResponse<String> preview =
                admin.postFormPairs("/admin/series", concat(fields, "action", "preview"));
        assertThat(preview.statusCode()).isEqualTo(200);
        assertThat(preview.body()).contains("18 séances seront créées", "Créer les 18 séances");
        // each line of the preview gives the year, and one way of writing the times
        java.time.LocalDate first = java.time.LocalDate.parse(inDays(14));
        assertThat(preview.body())
                .contains(fr.sesame.web.Dates.date(first, "fr") + ", 17:30 – ")
                .doesNotContain("17h30");
        assertThat(count(db, "select count(*) from workshop_session")).isEqualTo(before);

        HttpResponse<String> created =
                admin.postFormPairs("/admin/series", concat(fields, "action", "create"));
        assertThat(created.statusCode()).isEqualTo(302);
        HttpResponse<String> twice =
                admin.postFormPairs("/admin/series", concat(fields, "action", "create"));
        assertThat(twice.statusCode()).isEqualTo(302);
        assertThat(count(db, "select count(*) from workshop_session")).isEqualTo(before + 18);
        assertThat(
                        count(
                                db,
                                "select count(distinct series_id) from workshop_session where series_id is not null"))
                .isEqualTo(1);
        assertThat(
                        count(
                                db,
                                "select count(distinct extract(dow from starts_at at time zone 'Europe/Paris')) "
                                        + "from workshop_session where series_id is not null"))
                .isEqualTo(1);

        HttpResponse<String> none =
                admin.postFormPairs(
                        "/admin/series",
                        "token",
                        token,
                        "type",
                        "",
                        "first",
                        "x",
                        "start",
                        "25:00",
                        "weeks",
                        "99",
                        "capacity",
                        "0",
                        "language",
                        "xx",
                        "closes",
                        "-1",
                        "action",
                        "preview");
        assertThat(none.statusCode()).isEqualTo(400);
        assertThat(none.body())
                .contains(
                        "Choisissez un atelier",
                        "Cochez au moins une salle",
                        "Écrivez une heure",
                        "entre 1 et 20",
                        "value=\"99\"");
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void the_capacity_cannot_go_below_the_seats_taken_and_raising_it_promotes_the_waiting_list() {
        long session = newSession(db, FERRY, "premiers-pas", 2, 15);
        var fams = Fixtures.addFamilies(db, "cap", 3, FERRY);
        Http[] p = fams.stream().map(f -> Fixtures.parent(app, f)).toArray(Http[]::new);
        book(p[0], session);
        book(p[1], session);
        p[2].get("/sessions/" + session);
        assertThat(p[2].postForm("/sessions/" + session + "/wait", Map.of()).statusCode())
                .isEqualTo(302);

        HttpResponse<String> page = admin.get("/admin/sessions/" + session);
        assertThat(page.statusCode()).isEqualTo(200);
        String[] edit = {
            "room",
            String.valueOf(roomOf(FERRY, 0)),
            "date",
            inDays(15),
            "start",
            "18:30",
            "end",
            "20:30",
            "language",
            "fr",
            "closes",
            "2"
        };
        HttpResponse<String> refused =
                admin.postFormPairs("/admin/sessions/" + session, concat(edit, "capacity", "1"));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body())
                .contains("Impossible : 2 places sont déjà prises", "value=\"1\"");
        assertThat(count(db, "select capacity from workshop_session where id = ?", session))
                .isEqualTo(2);

        admin.get("/admin/sessions/" + session);
        HttpResponse<String> raised =
                admin.postFormPairs("/admin/sessions/" + session, concat(edit, "capacity", "3"));
        assertThat(raised.statusCode()).isEqualTo(302);
        assertThat(count(db, "select booked from workshop_session where id = ?", session))
                .isEqualTo(3);
        assertThat(
                        count(
                                db,
                                "select count(*) from calendar_outbox o join booking b on b.id = o.booking_id where o.kind = 'confirmed' and b.session_id = ? and b.booked_by_staff is null and b.form_token is null",
                                session))
                .isEqualTo(1);
        assertThat(
                        count(
                                db,
                                "select count(*) from booking where session_id = ? and status = 'active' and family_id = ?",
                                session,
                                Fixtures.familyOf(db, fams.get(2))))
                .isEqualTo(1);
    }

    @Test
    void a_new_time_or_place_is_announced_to_the_booked_parents() {
        long session = newSession(db, FERRY, "premiers-pas", 5, 16);
        Http parent = Fixtures.parent(app, Fixtures.addFamilies(db, "moved", 1, FERRY).get(0));
        book(parent, session);
        int sequence =
                count(db, "select calendar_sequence from workshop_session where id = ?", session);
        admin.get("/admin/sessions/" + session);
        HttpResponse<String> r =
                admin.postFormPairs(
                        "/admin/sessions/" + session,
                        "room",
                        String.valueOf(roomOf(FERRY, 1)),
                        "date",
                        inDays(17),
                        "start",
                        "09:00",
                        "end",
                        "11:00",
                        "capacity",
                        "5",
                        "language",
                        "fr",
                        "closes",
                        "2");
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(
                        count(
                                db,
                                "select calendar_sequence from workshop_session where id = ?",
                                session))
                .isEqualTo(sequence + 1);
        assertThat(
                        count(
                                db,
                                "select count(*) from calendar_outbox o join booking b on b.id = o.booking_id where o.kind = 'updated' and b.session_id = ?",
                                session))
                .isEqualTo(1);
        assertThat(
                        count(
                                db,
                                "select count(*) from audit_log where action = 'update_session' and entity_id = ?",
                                session))
                .isEqualTo(1);
    }

    @Test
    void cancelling_a_session_cancels_its_bookings_and_tells_each_parent() {
        long session = newSession(db, FERRY, "premiers-pas", 1, 18);
        var fams = Fixtures.addFamilies(db, "gone", 2, FERRY);
        Http[] p = fams.stream().map(f -> Fixtures.parent(app, f)).toArray(Http[]::new);
        book(p[0], session);
        p[1].get("/sessions/" + session);
        p[1].postForm("/sessions/" + session + "/wait", Map.of());

        admin.get("/admin/sessions/" + session);
        HttpResponse<String> r = admin.postForm("/admin/sessions/" + session + "/cancel", Map.of());
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(admin.follow(r).body()).contains("La séance est annulée");
        assertThat(
                        count(
                                db,
                                "select count(*) from workshop_session where id = ? and status = 'cancelled' and booked = 0",
                                session))
                .isEqualTo(1);
        assertThat(
                        count(
                                db,
                                "select count(*) from booking where session_id = ? and status = 'active'",
                                session))
                .isZero();
        assertThat(
                        count(
                                db,
                                "select count(*) from waiting_entry where session_id = ? and status = 'waiting'",
                                session))
                .isZero();
        assertThat(
                        count(
                                db,
                                "select count(*) from calendar_outbox o join booking b on b.id = o.booking_id where o.kind = 'cancelled' and b.session_id = ?",
                                session))
                .isEqualTo(1);
        assertThat(p[0].get("/me").body()).doesNotContain("/bookings/");
        assertThat(admin.postForm("/admin/sessions/999999/cancel", Map.of()).statusCode())
                .isEqualTo(404);
    }

    @Test
    void the_planning_pages_answer_404_for_unknown_ids() {
        assertThat(admin.get("/admin/sessions/999999").statusCode()).isEqualTo(404);
        assertThat(admin.get("/admin/workshops/999999").statusCode()).isEqualTo(404);
        assertThat(admin.get("/admin/sessions/abc").statusCode()).isEqualTo(404);
        assertThat(admin.get("/admin/sessions").body())
                .contains("Planning des séances", "Jules Ferry");
    }
}
