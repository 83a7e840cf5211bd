package fr.sesame.reach;

import static org.assertj.core.api.Assertions.assertThat;

import fr.sesame.attendance.AttendanceFixture;
import fr.sesame.messaging.SmsOutbox;
import fr.sesame.support.Http;
import fr.sesame.support.SesameTest;
import fr.sesame.support.Sql;
import fr.sesame.support.TestApp;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The no-show follow-up written by a session's close: the booked guardians marked absent or not
 * marked, of families still not trained, get one message each (SMS and/or e-mail, with a personal
 * link to another date), in their language; those who came, the families trained by another
 * guardian, and the opted-out get none; a second close adds nothing; a cancelled session none.
 */
@SesameTest(demo = true)
class FollowUpTest {
    static TestApp app;

    private static int rows(String table, long guardian) {
        return Sql.count(
                app.jdbi(),
                "select count(*) from "
                        + table
                        + " where kind = 'follow_up' and guardian_id = "
                        + guardian);
    }

    @Test
    void
            a_closed_session_follows_up_the_absent_and_unmarked_guardians_of_untrained_families_once() {
        ReachFixture fx = new ReachFixture(app.jdbi());
        long school = Sql.count(app.jdbi(), "select id from school where uai = '0211234A'");
        long absent = fx.guardian(fx.family(school, "CM1-A"), "fr", "0611111111", "abs@f.example");
        long unmarked = fx.guardian(fx.family(school, "CM1-A"), "uk", "+33622222222", null);
        long present = fx.guardian(fx.family(school, "CM1-A"), "fr", "0633333333", "pre@f.example");
        long family4 = fx.family(school, "CM1-A");
        long absentOfTrained = fx.guardian(family4, "fr", "0644444444", "tr@f.example");
        long walkIn = fx.guardian(family4, "fr", "0655555555", null);
        long optedOut = fx.guardian(fx.family(school, "CM1-A"), "fr", "0666666666", "o@f.example");
        fx.optOut(optedOut);

        long session = AttendanceFixture.session(app.jdbi(), true, false);
        long bookingAbsent = AttendanceFixture.book(app.jdbi(), session, absent);
        long bookingUnmarked = AttendanceFixture.book(app.jdbi(), session, unmarked);
        AttendanceFixture.book(app.jdbi(), session, present);
        AttendanceFixture.book(app.jdbi(), session, absentOfTrained);
        AttendanceFixture.book(app.jdbi(), session, optedOut);

        Http trainer = ReachFixture.trainer(app);
        AttendanceFixture.open(trainer, session);
        assertThat(mark(trainer, session, absent, "absent", false).statusCode()).isEqualTo(200);
        assertThat(mark(trainer, session, present, "present", false).statusCode()).isEqualTo(200);
        assertThat(mark(trainer, session, absentOfTrained, "absent", false).statusCode())
                .isEqualTo(200);
        assertThat(mark(trainer, session, walkIn, "present", true).statusCode()).isEqualTo(200);
        assertThat(mark(trainer, session, optedOut, "absent", false).statusCode()).isEqualTo(200);

        HttpResponse<String> close =
                trainer.postForm("/trainer/sessions/" + session + "/close", Map.of());
        assertThat(close.statusCode()).isLessThan(400);

        // absent: SMS and e-mail; unmarked: SMS only (no e-mail address)
        assertThat(rows("sms_outbox", absent)).isEqualTo(1);
        assertThat(rows("calendar_outbox", absent)).isEqualTo(1);
        assertThat(rows("sms_outbox", unmarked)).isEqualTo(1);
        assertThat(rows("calendar_outbox", unmarked)).isZero();
        for (long none : new long[] {present, absentOfTrained, walkIn, optedOut}) {
            assertThat(rows("sms_outbox", none)).as("guardian " + none).isZero();
            assertThat(rows("calendar_outbox", none)).as("guardian " + none).isZero();
        }
        assertThat(
                        Sql.text(
                                app.jdbi(),
                                "select idempotency_key from sms_outbox where guardian_id = "
                                        + absent))
                .isEqualTo("follow_up:" + bookingAbsent);
        // in the guardian's language, with a personal link that opens the sessions page
        String smsUk =
                Sql.text(app.jdbi(), "select body from sms_outbox where guardian_id = " + unmarked);
        assertThat(smsUk).contains("Ви пропустили майстер-клас");
        String mail =
                Sql.text(
                        app.jdbi(),
                        "select body from calendar_outbox where kind = 'follow_up' and guardian_id = "
                                + absent);
        assertThat(mail).contains("Vous n'étiez pas à l'atelier", "/l/", "/o/");
        Matcher link = Pattern.compile("/l/[A-Za-z0-9_-]{22}").matcher(smsUk);
        assertThat(link.find()).isTrue();
        Http phone = ReachFixture.client(app);
        phone.get(link.group());
        HttpResponse<String> used = phone.postForm(link.group(), Map.of());
        assertThat(used.headers().firstValue("Location")).hasValue("/sessions");
        assertThat(
                        Sql.text(
                                app.jdbi(),
                                "select string_agg(booking_id::text, ',' order by booking_id) from follow_up"
                                        + " where session_id = "
                                        + session))
                .contains(String.valueOf(bookingAbsent), String.valueOf(bookingUnmarked));
        int followUps =
                Sql.count(
                        app.jdbi(), "select count(*) from follow_up where session_id = " + session);
        assertThat(followUps).isEqualTo(3); // absent, unmarked, and the opted-out one (recorded)

        // a second close (a retry from the tablet) writes nothing more
        int sms = Sql.count(app.jdbi(), "select count(*) from sms_outbox");
        int mails = Sql.count(app.jdbi(), "select count(*) from calendar_outbox");
        int links = Sql.count(app.jdbi(), "select count(*) from personal_link");
        trainer.postForm("/trainer/sessions/" + session + "/close", Map.of());
        assertThat(Sql.count(app.jdbi(), "select count(*) from sms_outbox")).isEqualTo(sms);
        assertThat(Sql.count(app.jdbi(), "select count(*) from calendar_outbox")).isEqualTo(mails);
        assertThat(Sql.count(app.jdbi(), "select count(*) from personal_link")).isEqualTo(links);
        assertThat(
                        Sql.count(
                                app.jdbi(),
                                "select count(*) from follow_up where session_id = " + session))
                .isEqualTo(3);
    }

    @Test
    void a_cancelled_session_follows_nobody_up() {
        ReachFixture fx = new ReachFixture(app.jdbi());
        long school = Sql.count(app.jdbi(), "select id from school where uai = '0211234A'");
        long guardian = fx.guardian(fx.family(school, "CM1-B"), "fr", "0611112222", "x@f.example");
        long session = AttendanceFixture.session(app.jdbi(), true, false);
        AttendanceFixture.book(app.jdbi(), session, guardian);
        app.jdbi()
                .useHandle(
                        h ->
                                h.execute(
                                        "update workshop_session set status = 'cancelled' where id = ?",
                                        session));
        Http trainer = ReachFixture.trainer(app);
        AttendanceFixture.open(trainer, session);
        HttpResponse<String> close =
                trainer.postForm("/trainer/sessions/" + session + "/close", Map.of());
        assertThat(close.statusCode()).isLessThan(500);
        assertThat(
                        Sql.count(
                                app.jdbi(),
                                "select count(*) from follow_up where session_id = " + session))
                .isZero();
        assertThat(rows("sms_outbox", guardian)).isZero();
        // and whatever the close answers, the follow-up itself passes a cancelled session by
        FollowUps followUps =
                new FollowUps(
                        new PersonalLinks(app.jdbi(), app.baseUrl(), Clock.systemUTC(), 14),
                        new SmsOutbox(app.baseUrl(), Clock.systemUTC(), 3, () -> {}),
                        () -> {});
        int written =
                app.jdbi()
                        .<Integer, RuntimeException>inTransaction(
                                h -> followUps.sessionClosed(h, session));
        assertThat(written).isZero();
        assertThat(
                        Sql.count(
                                app.jdbi(),
                                "select count(*) from follow_up where session_id = " + session))
                .isZero();
    }

    private static HttpResponse<String> mark(
            Http trainer, long session, long guardian, String mark, boolean walkIn) {
        return AttendanceFixture.mark(
                trainer,
                session,
                guardian,
                mark,
                UUID.randomUUID(),
                Instant.now().minusSeconds(5),
                walkIn,
                null);
    }
}
