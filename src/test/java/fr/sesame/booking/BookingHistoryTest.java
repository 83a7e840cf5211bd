package fr.sesame.booking;

import static org.assertj.core.api.Assertions.assertThat;

import fr.sesame.attendance.AttendanceFixture;
import fr.sesame.support.Http;
import fr.sesame.support.SesameTest;
import fr.sesame.support.SignIn;
import fr.sesame.support.SignedIn;
import fr.sesame.support.Sql;
import fr.sesame.support.TestApp;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * An attended or closed booking is history: the parent cannot cancel or move it; the education
 * service corrects it.
 */
@SesameTest(demo = true)
class BookingHistoryTest {
    static TestApp app;

    @SignedIn(SignedIn.Role.TRAINER)
    static Http trainer;

    private static Http parentOf(int family) {
        String ref = String.format("DEMO-%03d", family);
        String code =
                Sql.text(
                        app.jdbi(),
                        "select letter_code from family where reference = '" + ref + "'");
        String child =
                Sql.text(
                        app.jdbi(),
                        "select min(c.first_name) from child c join family f on f.id = c.family_id "
                                + "where f.reference = '"
                                + ref
                                + "'");
        return SignIn.parent(app, code, child);
    }

    /**
     * What a refused change must leave untouched: the booking, the seats, the e-mails, the audit.
     */
    private static String state(long booking) {
        return Sql.text(
                app.jdbi(),
                "select b.status || '/' || ws.booked || '/' "
                        + "|| (select count(*) from calendar_outbox) || '/' || (select count(*) from booking) || '/' "
                        + "|| (select count(*) from audit_log where entity = 'booking') "
                        + "from booking b join workshop_session ws on ws.id = b.session_id where b.id = "
                        + booking);
    }

    /** A second session of the same workshop type, tomorrow, to move to. */
    private static long sameWorkshopTomorrow(long session) {
        return app.jdbi()
                .withHandle(
                        h ->
                                h.createUpdate(
                                                """
                insert into workshop_session (workshop_type_id, school_id, room_id, starts_at, ends_at, capacity)
                select workshop_type_id, school_id, room_id, starts_at + interval '1 day', ends_at + interval '1 day', 10
                from workshop_session where id = :s""")
                                        .bind("s", session)
                                        .executeAndReturnGeneratedKeys("id")
                                        .mapTo(Long.class)
                                        .one());
    }

    @Test
    void
            an_attended_booking_offers_no_change_to_the_parent_and_a_post_is_refused_without_changing_anything() {
        long session = AttendanceFixture.session(app.jdbi(), true, false);
        long other = sameWorkshopTomorrow(session);
        long guardian = AttendanceFixture.guardian(app.jdbi(), 16, 0);
        long booking = AttendanceFixture.book(app.jdbi(), session, guardian);
        app.jdbi()
                .useHandle(
                        h ->
                                h.execute(
                                        "update workshop_session set booked = 1 where id = ?",
                                        session));
        Http parent = parentOf(16);
        assertThat(parent.get("/me").body()).contains("/bookings/" + booking + "/cancel");

        AttendanceFixture.open(trainer, session);
        assertThat(AttendanceFixture.mark(trainer, session, guardian, "present").statusCode())
                .isEqualTo(200);
        String before = state(booking);

        String me = parent.get("/me").body();
        assertThat(me)
                .doesNotContain(
                        "/bookings/" + booking + "/cancel", "/bookings/" + booking + "/move");
        assertThat(parent.get("/sessions/" + other).body())
                .doesNotContain("/bookings/" + booking + "/move");
        assertThat(parent.get("/bookings/" + booking + "/cancel").body())
                .contains("Votre présence à cette séance est déjà enregistrée")
                .doesNotContain("action=\"/bookings/" + booking + "/cancel\"");
        HttpResponse<String> cancel = parent.postForm("/bookings/" + booking + "/cancel", Map.of());
        assertThat(cancel.statusCode()).isEqualTo(409);
        assertThat(cancel.body()).contains("Votre présence à cette séance est déjà enregistrée");
        HttpResponse<String> move =
                parent.postForm(
                        "/bookings/" + booking + "/move",
                        Map.of("to", String.valueOf(other), "token", UUID.randomUUID().toString()));
        assertThat(move.statusCode()).isEqualTo(409);

        assertThat(state(booking)).isEqualTo(before);
        assertThat(
                        Sql.count(
                                app.jdbi(),
                                "select count(*) from booking where session_id = " + other))
                .isZero();
    }

    @Test
    void a_booking_of_a_closed_session_is_history_too() {
        long session = AttendanceFixture.session(app.jdbi(), true, false);
        long guardian = AttendanceFixture.guardian(app.jdbi(), 17, 0);
        long booking = AttendanceFixture.book(app.jdbi(), session, guardian);
        app.jdbi()
                .useHandle(
                        h ->
                                h.execute(
                                        "update workshop_session set booked = 1 where id = ?",
                                        session));
        AttendanceFixture.open(trainer, session);
        assertThat(
                        trainer.postForm("/trainer/sessions/" + session + "/close", Map.of())
                                .statusCode())
                .isEqualTo(302);
        String before = state(booking);

        Http parent = parentOf(17);
        parent.get("/me");
        HttpResponse<String> cancel = parent.postForm("/bookings/" + booking + "/cancel", Map.of());
        assertThat(cancel.statusCode()).isEqualTo(409);
        assertThat(state(booking)).isEqualTo(before);
    }

    @Test
    void the_education_service_corrects_an_attended_booking_only_with_a_reason_and_it_is_audited() {
        long session = AttendanceFixture.session(app.jdbi(), true, false);
        long guardian = AttendanceFixture.guardian(app.jdbi(), 18, 0);
        long booking = AttendanceFixture.book(app.jdbi(), session, guardian);
        app.jdbi()
                .useHandle(
                        h ->
                                h.execute(
                                        "update workshop_session set booked = 1 where id = ?",
                                        session));
        long family = Sql.count(app.jdbi(), "select family_id from booking where id = " + booking);
        AttendanceFixture.open(trainer, session);
        AttendanceFixture.mark(trainer, session, guardian, "late");
        Http admin = SignIn.admin(app);
        String page = admin.get("/admin/families/" + family + "/bookings").body();
        assertThat(page).contains("Présence déjà enregistrée", "name=\"reason\"");
        String before = state(booking);

        HttpResponse<String> noReason =
                admin.postForm(
                        "/admin/families/" + family + "/bookings/" + booking + "/cancel", Map.of());
        assertThat(noReason.statusCode()).isEqualTo(409);
        assertThat(noReason.body()).contains("écrivez la raison de la correction");
        assertThat(state(booking)).isEqualTo(before);

        HttpResponse<String> corrected =
                admin.postForm(
                        "/admin/families/" + family + "/bookings/" + booking + "/cancel",
                        Map.of("reason", "Venue pour un autre enfant, à réinscrire"));
        assertThat(corrected.statusCode()).isEqualTo(302);
        assertThat(Sql.text(app.jdbi(), "select status from booking where id = " + booking))
                .isEqualTo("cancelled");
        assertThat(
                        Sql.count(
                                app.jdbi(),
                                "select count(*) from audit_log where action = 'cancel_on_behalf' "
                                        + "and entity_id = "
                                        + booking
                                        + " and details->>'correction' = 'Venue pour un autre enfant, à réinscrire'"))
                .isEqualTo(1);
    }
}
