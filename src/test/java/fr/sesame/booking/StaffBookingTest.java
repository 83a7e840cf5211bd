package fr.sesame.booking;

import static fr.sesame.booking.Fixtures.count;
import static fr.sesame.booking.Fixtures.newSession;
import static fr.sesame.booking.Fixtures.token;
import static org.assertj.core.api.Assertions.assertThat;

import fr.sesame.support.Http;
import fr.sesame.support.SesameTest;
import fr.sesame.support.SignIn;
import fr.sesame.support.SignedIn;
import fr.sesame.support.TestApp;
import java.net.http.HttpResponse;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/** The education service books, moves and cancels for a family that phones or comes to the desk. */
@SesameTest(demo = true)
class StaffBookingTest {
    static TestApp app;
    static Jdbi db;

    @SignedIn(SignedIn.Role.ADMIN)
    static Http admin;

    private static long adminId() {
        return db.withHandle(
                h ->
                        h.createQuery("select id from staff_account where role = 'admin'")
                                .mapTo(Long.class)
                                .one());
    }

    @Test
    void staff_find_a_family_by_code_or_name_and_book_move_and_cancel_on_its_behalf() {
        long family = Fixtures.familyId(app, "DEMO-001");
        HttpResponse<String> byCode = admin.get("/admin/families?q=K7M4-9PQX");
        assertThat(byCode.body()).contains("/admin/families/" + family + "/bookings");
        HttpResponse<String> byName = admin.get("/admin/families?q=Martin");
        assertThat(byName.body()).contains("/admin/families/" + family + "/bookings");

        long first = newSession(db, "0211234A", "premiers-pas", 3, 12);
        long second = newSession(db, "0215678B", "premiers-pas", 3, 13);
        long guardian =
                db.withHandle(
                        h ->
                                h.createQuery(
                                                "select id from guardian where family_id = ? order by id limit 1")
                                        .bind(0, family)
                                        .mapTo(Long.class)
                                        .one());
        HttpResponse<String> page = admin.get("/admin/families/" + family + "/bookings");
        assertThat(page.statusCode()).isEqualTo(200);
        HttpResponse<String> booked =
                admin.postForm(
                        "/admin/families/" + family + "/book",
                        Map.of(
                                "session",
                                String.valueOf(first),
                                "guardian",
                                String.valueOf(guardian),
                                "token",
                                token(page)));
        assertThat(booked.statusCode()).isEqualTo(302);
        long booking =
                db.withHandle(
                        h ->
                                h.createQuery(
                                                "select id from booking where session_id = ? and status = 'active'")
                                        .bind(0, first)
                                        .mapTo(Long.class)
                                        .one());
        assertThat(
                        count(
                                db,
                                "select count(*) from booking where id = ? and booked_by_staff = ?",
                                booking,
                                adminId()))
                .isEqualTo(1);
        assertThat(
                        count(
                                db,
                                "select count(*) from audit_log where action = 'book_on_behalf' and actor = ? and entity_id = ? "
                                        + "and (details->>'family')::bigint = ?",
                                "staff:" + adminId(),
                                booking,
                                family))
                .isEqualTo(1);
        assertThat(
                        count(
                                db,
                                "select count(*) from calendar_outbox where kind = 'confirmed' and booking_id = ?",
                                booking))
                .isEqualTo(1);

        // the parent sees it on their phone
        assertThat(SignIn.parent(app).get("/me").body()).contains("/bookings/" + booking + "/move");

        HttpResponse<String> again = admin.get("/admin/families/" + family + "/bookings");
        assertThat(again.body()).contains("réservé par le service éducation");
        HttpResponse<String> moved =
                admin.postForm(
                        "/admin/families/" + family + "/bookings/" + booking + "/move",
                        Map.of("to", String.valueOf(second), "token", token(again)));
        assertThat(moved.statusCode()).isEqualTo(302);
        long newBooking =
                db.withHandle(
                        h ->
                                h.createQuery(
                                                "select id from booking where session_id = ? and status = 'active'")
                                        .bind(0, second)
                                        .mapTo(Long.class)
                                        .one());
        assertThat(
                        count(
                                db,
                                "select count(*) from audit_log where action = 'move_on_behalf' and actor = ?",
                                "staff:" + adminId()))
                .isEqualTo(1);

        admin.get("/admin/families/" + family + "/bookings");
        HttpResponse<String> cancelled =
                admin.postForm(
                        "/admin/families/" + family + "/bookings/" + newBooking + "/cancel",
                        Map.of());
        assertThat(cancelled.statusCode()).isEqualTo(302);
        assertThat(
                        count(
                                db,
                                "select count(*) from audit_log where action = 'cancel_on_behalf' and entity_id = ?",
                                newBooking))
                .isEqualTo(1);
        assertThat(count(db, "select booked from workshop_session where id = ?", second)).isZero();
    }

    @Test
    void staff_may_book_before_the_window_opens_but_never_above_capacity() {
        long family = Fixtures.familyId(app, "DEMO-004");
        long session = newSession(db, "0211234A", "suivre-ent", 1, 12);
        db.useHandle(
                h ->
                        h.execute(
                                "update workshop_session set booking_opens_at = now() + interval '5 days' where id = ?",
                                session));
        long guardian =
                db.withHandle(
                        h ->
                                h.createQuery(
                                                "select id from guardian where family_id = ? order by id limit 1")
                                        .bind(0, family)
                                        .mapTo(Long.class)
                                        .one());
        HttpResponse<String> page = admin.get("/admin/families/" + family + "/bookings");
        assertThat(
                        admin.postForm(
                                        "/admin/families/" + family + "/book",
                                        Map.of(
                                                "session",
                                                String.valueOf(session),
                                                "guardian",
                                                String.valueOf(guardian),
                                                "token",
                                                token(page)))
                                .statusCode())
                .isEqualTo(302);

        long other = Fixtures.familyId(app, "DEMO-007");
        long otherGuardian =
                db.withHandle(
                        h ->
                                h.createQuery(
                                                "select id from guardian where family_id = ? order by id limit 1")
                                        .bind(0, other)
                                        .mapTo(Long.class)
                                        .one());
        HttpResponse<String> otherPage = admin.get("/admin/families/" + other + "/bookings");
        HttpResponse<String> full =
                admin.postForm(
                        "/admin/families/" + other + "/book",
                        Map.of(
                                "session",
                                String.valueOf(session),
                                "guardian",
                                String.valueOf(otherGuardian),
                                "token",
                                token(otherPage)));
        assertThat(full.statusCode()).isEqualTo(409);
        assertThat(full.body()).contains("la dernière place vient d'être prise");
        // a guardian of another family is refused, next to the field
        HttpResponse<String> foreign =
                admin.postForm(
                        "/admin/families/" + other + "/book",
                        Map.of(
                                "session",
                                String.valueOf(session),
                                "guardian",
                                String.valueOf(guardian),
                                "token",
                                token(admin.get("/admin/families/" + other + "/bookings"))));
        assertThat(foreign.statusCode()).isEqualTo(400);
        assertThat(count(db, "select booked from workshop_session where id = ?", session))
                .isEqualTo(1);
    }

    @Test
    void an_unknown_family_is_not_found() {
        assertThat(admin.get("/admin/families/999999/bookings").statusCode()).isEqualTo(404);
        admin.get("/admin/families");
        assertThat(
                        admin.postForm(
                                        "/admin/families/999999/book",
                                        Map.of(
                                                "session",
                                                "1",
                                                "guardian",
                                                "1",
                                                "token",
                                                "0123456789abcdef"))
                                .statusCode())
                .isEqualTo(404);
    }
}
