package fr.sesame.attendance;

import static org.assertj.core.api.Assertions.assertThat;

import fr.sesame.support.Http;
import fr.sesame.support.SesameTest;
import fr.sesame.support.SignIn;
import fr.sesame.support.SignedIn;
import fr.sesame.support.Sql;
import fr.sesame.support.TestApp;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Marks from tablets: idempotent retries, latest-made wins, walk-ins, closing, and bad input that
 * writes nothing.
 */
@SesameTest(demo = true)
class MarkingTest {
    static TestApp app;

    @SignedIn(SignedIn.Role.TRAINER)
    static Http trainer;

    private static int marksWritten() {
        return Sql.count(app.jdbi(), "select count(*) from attendance_mark")
                + Sql.count(app.jdbi(), "select count(*) from attendance");
    }

    @Test
    void a_retried_mark_is_applied_once_and_answers_the_same() {
        long session = AttendanceFixture.session(app.jdbi(), true, false);
        long guardian = AttendanceFixture.guardian(app.jdbi(), 10, 0);
        AttendanceFixture.book(app.jdbi(), session, guardian);
        AttendanceFixture.open(trainer, session);
        UUID id = UUID.randomUUID();
        Instant madeAt = Instant.now().minusSeconds(30);
        HttpResponse<String> first =
                AttendanceFixture.mark(trainer, session, guardian, "present", id, madeAt);
        HttpResponse<String> again =
                AttendanceFixture.mark(trainer, session, guardian, "present", id, madeAt);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).isEqualTo(first.body().replaceFirst("}$", ",\"replayed\":true}"));
        assertThat(
                        Sql.count(
                                app.jdbi(),
                                "select count(*) from attendance_mark where client_mark_id = '"
                                        + id
                                        + "'"))
                .isEqualTo(1);
        assertThat(
                        Sql.count(
                                app.jdbi(),
                                "select count(*) from audit_log where details->>'clientMarkId' = '"
                                        + id
                                        + "'"))
                .isEqualTo(1);
        assertThat(
                        Sql.count(
                                app.jdbi(),
                                "select count(*) from device_event e join attendance a on a.id = e.attendance_id"
                                        + " where a.guardian_id = "
                                        + guardian))
                .isEqualTo(1);
    }

    @Test
    void
            two_tablets_marking_the_same_guardian_resolve_to_the_mark_made_last_and_both_are_audited() {
        long session = AttendanceFixture.session(app.jdbi(), true, false);
        long guardian = AttendanceFixture.guardian(app.jdbi(), 11, 0);
        AttendanceFixture.book(app.jdbi(), session, guardian);
        Http otherTablet = SignIn.trainer(app);
        AttendanceFixture.open(trainer, session);
        AttendanceFixture.open(otherTablet, session);
        Instant now = Instant.now();
        // the later mark arrives first, the earlier one (queued offline) arrives afterwards
        HttpResponse<String> later =
                AttendanceFixture.mark(
                        trainer,
                        session,
                        guardian,
                        "present",
                        UUID.randomUUID(),
                        now.minusSeconds(10));
        HttpResponse<String> earlier =
                AttendanceFixture.mark(
                        otherTablet,
                        session,
                        guardian,
                        "absent",
                        UUID.randomUUID(),
                        now.minusSeconds(60));
        assertThat(later.body()).contains("\"applied\":true");
        assertThat(earlier.body())
                .contains("\"applied\":false", "\"mark\":\"present\"", "\"homeUse\":true");
        assertThat(
                        Sql.text(
                                app.jdbi(),
                                "select mark from attendance where guardian_id = " + guardian))
                .isEqualTo("present");
        assertThat(
                        Sql.count(
                                app.jdbi(),
                                "select count(*) from audit_log where entity = 'attendance' "
                                        + "and details->>'guardianId' = '"
                                        + guardian
                                        + "'"))
                .isEqualTo(2);
        assertThat(
                        Sql.count(
                                app.jdbi(),
                                "select count(*) from audit_log where action = 'attendance_mark_superseded' "
                                        + "and details->>'guardianId' = '"
                                        + guardian
                                        + "'"))
                .isEqualTo(1);
    }

    @Test
    void out_of_order_marks_end_in_the_order_they_were_made() {
        long session = AttendanceFixture.session(app.jdbi(), true, false);
        long guardian = AttendanceFixture.guardian(app.jdbi(), 12, 0);
        AttendanceFixture.book(app.jdbi(), session, guardian);
        AttendanceFixture.open(trainer, session);
        Instant t = Instant.now().minusSeconds(300);
        AttendanceFixture.mark(
                trainer, session, guardian, "excused", UUID.randomUUID(), t.plusSeconds(30));
        AttendanceFixture.mark(
                trainer, session, guardian, "present", UUID.randomUUID(), t.plusSeconds(10));
        AttendanceFixture.mark(
                trainer, session, guardian, "absent", UUID.randomUUID(), t.plusSeconds(20));
        assertThat(
                        Sql.text(
                                app.jdbi(),
                                "select mark from attendance where guardian_id = " + guardian))
                .isEqualTo("excused");
        assertThat(AttendanceFixture.familyDevices(app.jdbi(), 12)).isEqualTo("school_only");
    }

    @Test
    void a_trainer_cannot_mark_a_session_that_is_not_theirs_nor_someone_not_on_the_roster() {
        long foreign =
                AttendanceFixture.session(app.jdbi(), true, false, "formateur@demo.sesame.test");
        long mine = AttendanceFixture.session(app.jdbi(), true, false);
        long guardian = AttendanceFixture.guardian(app.jdbi(), 13, 0);
        AttendanceFixture.book(app.jdbi(), foreign, guardian);
        AttendanceFixture.open(trainer, mine);
        int before = marksWritten();

        assertThat(AttendanceFixture.open(trainer, foreign).statusCode()).isEqualTo(403);
        HttpResponse<String> r = AttendanceFixture.mark(trainer, foreign, guardian, "present");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("\"code\":\"not_your_session\"");
        assertThat(AttendanceFixture.mark(trainer, 999_999, guardian, "present").statusCode())
                .isEqualTo(404);
        assertThat(AttendanceFixture.mark(trainer, mine, 999_999, "present").statusCode())
                .isEqualTo(404);
        HttpResponse<String> notBooked = AttendanceFixture.mark(trainer, mine, guardian, "present");
        assertThat(notBooked.statusCode()).isEqualTo(404);
        assertThat(notBooked.body()).contains("\"code\":\"not_on_roster\"");
        assertThat(AttendanceFixture.mark(trainer, mine, guardian, "asleep").statusCode())
                .isEqualTo(400);
        HttpResponse<String> noToken =
                trainer.postJson(
                        "/trainer/sessions/" + mine + "/marks",
                        "{\"guardianId\":"
                                + guardian
                                + ",\"mark\":\"present\",\"clientMarkId\":\""
                                + UUID.randomUUID()
                                + "\",\"walkIn\":true}");
        assertThat(noToken.statusCode()).isEqualTo(403);
        assertThat(
                        trainer.postJson(
                                        "/trainer/sessions/" + mine + "/marks",
                                        "{not json",
                                        "X-CSRF-Token",
                                        trainer.csrf())
                                .statusCode())
                .isEqualTo(400);

        assertThat(marksWritten()).isEqualTo(before);
        assertThat(AttendanceFixture.familyDevices(app.jdbi(), 13)).isEqualTo("school_only");
    }

    @Test
    void a_walk_in_found_by_name_or_by_letter_code_is_marked_present() {
        long session = AttendanceFixture.session(app.jdbi(), true, false);
        AttendanceFixture.open(trainer, session);
        String byName = trainer.get("/trainer/sessions/" + session + "?q=Mercier").body();
        assertThat(byName).contains("Mercier", "Ajouter (présent)");
        String code =
                Sql.text(app.jdbi(), "select letter_code from family where reference = 'DEMO-001'");
        String byCode =
                trainer.get(
                                "/trainer/sessions/"
                                        + session
                                        + "?q="
                                        + code.substring(0, 4)
                                        + "-"
                                        + code.substring(4))
                        .body();
        assertThat(byCode).contains("Martin");
        // a search that finds nobody says so, and what to try
        assertThat(byName).doesNotContain("walkin-none");
        String nobody = trainer.get("/trainer/sessions/" + session + "?q=Zzyzx").body();
        assertThat(nobody)
                .contains("id=\"walkin-none\"", "Personne ne correspond à «\u00a0Zzyzx\u00a0».")
                .contains("Essayez le nom de famille seul");

        long guardian = AttendanceFixture.guardian(app.jdbi(), 15, 0); // Mercier, not booked
        HttpResponse<String> r =
                trainer.postForm(
                        "/trainer/sessions/" + session + "/marks",
                        Map.of(
                                "guardianId",
                                String.valueOf(guardian),
                                "mark",
                                "present",
                                "walkIn",
                                "true",
                                "clientMarkId",
                                UUID.randomUUID().toString()));
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(
                        Sql.bool(
                                app.jdbi(),
                                "select walk_in from attendance where guardian_id = " + guardian))
                .isTrue();
        assertThat(AttendanceFixture.familyDevices(app.jdbi(), 15)).isEqualTo("home_use");
        assertThat(AttendanceFixture.open(trainer, session).body()).contains("sans inscription");
    }

    @Test
    void
            a_closed_session_refuses_the_trainer_keeps_marks_made_before_the_close_and_lets_an_admin_correct_with_a_reason() {
        long session = AttendanceFixture.session(app.jdbi(), true, false);
        long guardian = AttendanceFixture.guardian(app.jdbi(), 14, 0);
        AttendanceFixture.book(app.jdbi(), session, guardian);
        AttendanceFixture.open(trainer, session);
        Instant madeOffline = Instant.now().minusSeconds(60);
        assertThat(
                        trainer.postForm("/trainer/sessions/" + session + "/close", Map.of())
                                .statusCode())
                .isEqualTo(302);
        assertThat(
                        Sql.text(
                                app.jdbi(),
                                "select status from workshop_session where id = " + session))
                .isEqualTo("closed");

        HttpResponse<String> late = AttendanceFixture.mark(trainer, session, guardian, "present");
        assertThat(late.statusCode()).isEqualTo(409);
        assertThat(late.body())
                .contains("\"code\":\"session_closed\"", "seul le service éducation");
        // a mark made on the tablet before the close, sent afterwards from its queue, is not lost
        assertThat(
                        AttendanceFixture.mark(
                                        trainer,
                                        session,
                                        guardian,
                                        "present",
                                        UUID.randomUUID(),
                                        madeOffline)
                                .statusCode())
                .isEqualTo(200);

        Http admin = SignIn.admin(app);
        AttendanceFixture.open(admin, session);
        assertThat(AttendanceFixture.mark(admin, session, guardian, "absent").statusCode())
                .isEqualTo(400);
        HttpResponse<String> corrected =
                AttendanceFixture.mark(
                        admin,
                        session,
                        guardian,
                        "absent",
                        UUID.randomUUID(),
                        Instant.now(),
                        false,
                        "Erreur de saisie");
        assertThat(corrected.statusCode()).as(corrected.body()).isEqualTo(200);
        assertThat(
                        Sql.text(
                                app.jdbi(),
                                "select mark from attendance where guardian_id = " + guardian))
                .isEqualTo("absent");
        assertThat(
                        Sql.count(
                                app.jdbi(),
                                "select count(*) from audit_log where details->>'reason' = 'Erreur de saisie'"))
                .isEqualTo(1);
        assertThat(AttendanceFixture.familyDevices(app.jdbi(), 14)).isEqualTo("school_only");
    }

    @Test
    void an_empty_oversized_or_foreign_signature_is_refused_with_a_message() {
        long session = AttendanceFixture.session(app.jdbi(), true, true);
        long guardian = AttendanceFixture.guardian(app.jdbi(), 17, 0);
        AttendanceFixture.book(app.jdbi(), session, guardian);
        AttendanceFixture.open(trainer, session);
        AttendanceFixture.mark(trainer, session, guardian, "present");

        HttpResponse<String> blank =
                AttendanceFixture.sign(
                        trainer, session, guardian, AttendanceFixture.png(false, 400, 130));
        assertThat(blank.statusCode()).isEqualTo(400);
        assertThat(blank.body()).contains("signature_empty", "La signature est vide");
        assertThat(AttendanceFixture.sign(trainer, session, guardian, "").statusCode())
                .isEqualTo(400);
        assertThat(
                        AttendanceFixture.sign(
                                        trainer, session, guardian, "data:image/png;base64,AAAA")
                                .body())
                .contains("signature_invalid");
        String huge = "data:image/png;base64," + "A".repeat(400_000);
        HttpResponse<String> tooLarge = AttendanceFixture.sign(trainer, session, guardian, huge);
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(tooLarge.body()).contains("signature_too_large");
        long notOnRoster = AttendanceFixture.guardian(app.jdbi(), 18, 0);
        HttpResponse<String> stranger =
                AttendanceFixture.sign(
                        trainer, session, notOnRoster, AttendanceFixture.png(true, 400, 130));
        assertThat(stranger.statusCode()).isEqualTo(404);
        assertThat(stranger.body()).contains("not_on_roster");
        assertThat(Sql.count(app.jdbi(), "select count(*) from charter_signature")).isZero();
        assertThat(AttendanceFixture.familyDevices(app.jdbi(), 17)).isEqualTo("school_only");
    }

    @Test
    void the_trainer_sees_today_and_this_week_with_links_to_each_roster() {
        long session = AttendanceFixture.session(app.jdbi(), true, false);
        String page = trainer.get("/trainer").body();
        assertThat(page).contains("Aujourd'hui", "Cette semaine", "/trainer/sessions/" + session);
    }
}
