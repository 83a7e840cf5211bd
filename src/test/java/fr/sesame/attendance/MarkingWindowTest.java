package fr.sesame.attendance;

import static org.assertj.core.api.Assertions.assertThat;

import fr.sesame.demo.DemoSeed;
import fr.sesame.support.Http;
import fr.sesame.support.SesameTest;
import fr.sesame.support.SignIn;
import fr.sesame.support.SignedIn;
import fr.sesame.support.Sql;
import fr.sesame.support.TestApp;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Marks, walk-ins, signatures and closing are taken from MARKING_OPENS_MINUTES (30 by default)
 * before the start until the session is closed; earlier ones are refused in the trainer's language
 * and change nothing.
 */
@SesameTest(demo = true)
class MarkingWindowTest {
    static TestApp app;

    @SignedIn(SignedIn.Role.TRAINER)
    static Http trainer;

    /** A qualifying session of the demo trainer starting in the given time from now. */
    private static long sessionStartingIn(Duration in) {
        long session = AttendanceFixture.session(app.jdbi(), true, true);
        app.jdbi()
                .useHandle(
                        h ->
                                h.execute(
                                        "update workshop_session set starts_at = ?, ends_at = ? where id = ?",
                                        Instant.now().plus(in),
                                        Instant.now().plus(in).plus(Duration.ofHours(2)),
                                        session));
        return session;
    }

    private static String written(long session) {
        return Sql.text(
                app.jdbi(),
                "select (select count(*) from attendance where session_id = "
                        + session
                        + ") || '/' "
                        + "|| (select count(*) from attendance_mark where session_id = "
                        + session
                        + ") || '/' "
                        + "|| (select count(*) from charter_signature where session_id = "
                        + session
                        + ") || '/' "
                        + "|| (select count(*) from session_closure where session_id = "
                        + session
                        + ") || '/' "
                        + "|| (select count(*) from device_event) || '/' "
                        + "|| (select count(*) from audit_log where entity in ('attendance', 'charter_signature', 'workshop_session'))");
    }

    @Test
    void
            a_mark_a_walk_in_a_signature_or_a_close_two_hours_before_the_start_is_refused_in_the_trainers_language() {
        long session = sessionStartingIn(Duration.ofHours(2));
        long guardian = AttendanceFixture.guardian(app.jdbi(), 11, 0);
        long walkIn = AttendanceFixture.guardian(app.jdbi(), 12, 0);
        AttendanceFixture.book(app.jdbi(), session, guardian);
        AttendanceFixture.open(trainer, session);
        String before = written(session);

        HttpResponse<String> mark = AttendanceFixture.mark(trainer, session, guardian, "present");
        assertThat(mark.statusCode()).isEqualTo(409);
        assertThat(mark.body())
                .contains("\"code\":\"too_early\"", "Trop tôt", "30 minutes avant le début");
        HttpResponse<String> added =
                AttendanceFixture.mark(
                        trainer,
                        session,
                        walkIn,
                        "present",
                        UUID.randomUUID(),
                        Instant.now(),
                        true,
                        null);
        assertThat(added.statusCode()).isEqualTo(409);
        HttpResponse<String> signed =
                AttendanceFixture.sign(
                        trainer, session, guardian, AttendanceFixture.png(true, 400, 130));
        assertThat(signed.statusCode()).isEqualTo(409);
        assertThat(signed.body()).contains("too_early");
        HttpResponse<String> closed =
                trainer.postForm("/trainer/sessions/" + session + "/close", Map.of());
        assertThat(closed.statusCode()).isEqualTo(302);
        assertThat(closed.headers().firstValue("Location"))
                .hasValue("/trainer/sessions/" + session + "?error=too_early");
        assertThat(trainer.follow(closed).body()).contains("Trop tôt");
        HttpResponse<String> english =
                AttendanceFixture.mark(trainer.language("en"), session, guardian, "late");
        assertThat(english.body())
                .contains("Too early: marking opens at", "30 minutes before the session starts");

        assertThat(written(session)).isEqualTo(before);
        assertThat(
                        Sql.text(
                                app.jdbi(),
                                "select status from workshop_session where id = " + session))
                .isEqualTo("scheduled");
        assertThat(AttendanceFixture.open(trainer.language("fr"), session).body())
                .contains("Le pointage ouvrira à");
    }

    @Test
    void
            a_mark_inside_the_window_is_taken_and_one_made_offline_inside_it_is_taken_when_sent_later() {
        long session = sessionStartingIn(Duration.ofMinutes(20));
        long guardian = AttendanceFixture.guardian(app.jdbi(), 13, 0);
        AttendanceFixture.book(app.jdbi(), session, guardian);
        AttendanceFixture.open(trainer, session);
        HttpResponse<String> now = AttendanceFixture.mark(trainer, session, guardian, "absent");
        assertThat(now.statusCode()).as(now.body()).isEqualTo(200);

        // made 5 minutes ago, when the window was already open (it opened 10 minutes ago), sent
        // only now
        HttpResponse<String> late =
                AttendanceFixture.mark(
                        trainer,
                        session,
                        guardian,
                        "present",
                        UUID.randomUUID(),
                        Instant.now().minus(Duration.ofMinutes(5)));
        assertThat(late.statusCode()).as(late.body()).isEqualTo(200);
        assertThat(
                        Sql.count(
                                app.jdbi(),
                                "select count(*) from attendance_mark where session_id = "
                                        + session))
                .isEqualTo(2);
    }

    @Test
    void
            a_mark_said_to_be_made_before_the_window_or_in_the_future_is_refused_and_changes_nothing() {
        long session = sessionStartingIn(Duration.ofMinutes(20));
        long guardian = AttendanceFixture.guardian(app.jdbi(), 14, 0);
        AttendanceFixture.book(app.jdbi(), session, guardian);
        AttendanceFixture.open(trainer, session);
        String before = written(session);

        HttpResponse<String> early =
                AttendanceFixture.mark(
                        trainer,
                        session,
                        guardian,
                        "present",
                        UUID.randomUUID(),
                        Instant.now().minus(Duration.ofMinutes(15)));
        assertThat(early.statusCode()).isEqualTo(409);
        assertThat(early.body()).contains("too_early");
        HttpResponse<String> future =
                AttendanceFixture.mark(
                        trainer,
                        session,
                        guardian,
                        "present",
                        UUID.randomUUID(),
                        Instant.now().plus(Duration.ofHours(3)));
        assertThat(future.statusCode()).isEqualTo(400);
        assertThat(future.body()).contains("made_in_future", "l'heure de la tablette");

        assertThat(written(session)).isEqualTo(before);
        assertThat(AttendanceFixture.familyDevices(app.jdbi(), 14)).doesNotContain("home_use");
    }

    @Test
    void the_opening_is_configurable() {
        try (TestApp wide = TestApp.start(Map.of("MARKING_OPENS_MINUTES", "180"))) {
            new DemoSeed(wide.jdbi()).seed();
            Http t = SignIn.trainer(wide);
            long session = AttendanceFixture.session(wide.jdbi(), true, false);
            wide.jdbi()
                    .useHandle(
                            h ->
                                    h.execute(
                                            "update workshop_session set starts_at = starts_at + interval '2 hours', "
                                                    + "ends_at = ends_at + interval '2 hours' where id = ?",
                                            session));
            long guardian = AttendanceFixture.guardian(wide.jdbi(), 15, 0);
            AttendanceFixture.book(wide.jdbi(), session, guardian);
            AttendanceFixture.open(t, session);
            HttpResponse<String> r = AttendanceFixture.mark(t, session, guardian, "present");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        }
    }
}
