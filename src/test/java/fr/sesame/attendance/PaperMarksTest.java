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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * Marks entered from the paper sign-in sheet: the sheet's lines in its order, saved in one submit
 * through the tablet's service (home use, audit, idempotency), refused whole when the form is
 * wrong, safe beside a tablet marking the same guardian.
 */
@SesameTest(demo = true)
class PaperMarksTest {
    static TestApp app;
    static Jdbi db;

    @SignedIn(SignedIn.Role.TRAINER)
    static Http trainer;

    @SignedIn(SignedIn.Role.PARENT)
    static Http parent;

    private static final Pattern FORM_ID =
            Pattern.compile("name=\"form\" value=\"([0-9a-f-]{36})\"");

    /** Untrained demo families with a computer kept at school: one guardian each. */
    private static List<Long> untrainedGuardians(int offset, int n) {
        return db.withHandle(
                h ->
                        h.createQuery(
                                        """
                select min(g.id) from guardian g
                where exists (select 1 from device d join child c on c.id = d.child_id
                              where c.family_id = g.family_id and d.state = 'school_only')
                  and not exists (select 1 from device d join child c on c.id = d.child_id
                              where c.family_id = g.family_id and d.state = 'home_use')
                  and not exists (select 1 from attendance a join guardian g2 on g2.id = a.guardian_id
                              where g2.family_id = g.family_id)
                group by g.family_id order by g.family_id offset :o limit :n""")
                                .bind("o", offset)
                                .bind("n", n)
                                .mapTo(Long.class)
                                .list());
    }

    private static void pastSession(long session) {
        db.useHandle(
                h ->
                        h.execute(
                                "update workshop_session set starts_at = now() - interval '3 hours',"
                                        + " ends_at = now() - interval '1 hour' where id = ?",
                                session));
    }

    private static String path(long session) {
        return "/trainer/sessions/" + session + "/paper-marks";
    }

    /** Opens the page (the client keeps its CSRF token) and returns the form's id. */
    private static String open(Http client, long session) {
        HttpResponse<String> page = client.get(path(session));
        assertThat(page.statusCode()).isEqualTo(200);
        Matcher m = FORM_ID.matcher(page.body());
        assertThat(m.find()).as(page.body()).isTrue();
        return m.group(1);
    }

    private static HttpResponse<String> submit(
            Http client, long session, String formId, Map<Long, String> marks) {
        Map<String, String> form = new LinkedHashMap<>();
        if (formId != null) form.put("form", formId);
        marks.forEach((g, m) -> form.put("mark_" + g, m));
        return client.postForm(path(session), form);
    }

    private static int homeUse(long guardian) {
        return Sql.count(
                db,
                "select count(*) from device d join child c on c.id = d.child_id join guardian g"
                        + " on g.family_id = c.family_id where d.state = 'home_use' and g.id = "
                        + guardian);
    }

    private static int count(String sql) {
        return Sql.count(db, sql);
    }

    @Test
    void marks_from_the_paper_sheet_unlock_home_use_as_the_tablet_would_and_count_once() {
        long session = AttendanceFixture.session(db, true, false);
        List<Long> guardians = untrainedGuardians(0, 3);
        assertThat(guardians).hasSize(3);
        for (long g : guardians) AttendanceFixture.book(db, session, g);
        pastSession(session);

        // linked beside the PDF, with the sheet's lines in the sheet's order
        assertThat(AttendanceFixture.open(trainer, session).body())
                .contains("href=\"" + path(session) + "\"");
        String page = trainer.get(path(session)).body();
        List<Long> order =
                db.withHandle(
                        h ->
                                h.createQuery(
                                                "select id from guardian where id in (<ids>)"
                                                        + " order by lower(last_name), lower(first_name), id")
                                        .bindList("ids", guardians)
                                        .mapTo(Long.class)
                                        .list());
        List<Long> sheet =
                new AttendanceService(db, java.time.Duration.ofMinutes(30))
                        .sheet(session).stream().map(AttendanceDao.SheetLine::guardianId).toList();
        assertThat(sheet).isEqualTo(order);
        for (int i = 0; i + 1 < order.size(); i++) {
            assertThat(page.indexOf("id=\"p-" + order.get(i) + "\""))
                    .isPositive()
                    .isLessThan(page.indexOf("id=\"p-" + order.get(i + 1) + "\""));
        }

        long came = guardians.get(0);
        long missed = guardians.get(1);
        long late = guardians.get(2);
        String formId = open(trainer, session);
        Map<Long, String> marks = Map.of(came, "present", missed, "absent", late, "late");
        HttpResponse<String> saved = submit(trainer, session, formId, marks);
        assertThat(saved.statusCode()).isEqualTo(302);
        assertThat(saved.headers().firstValue("Location")).hasValue(path(session) + "?saved=3");
        assertThat(trainer.follow(saved).body()).contains("3 présences enregistrées");
        assertThat(homeUse(came)).isPositive();
        assertThat(homeUse(missed)).isZero();
        assertThat(
                        Sql.text(
                                db,
                                "select string_agg(mark, ',' order by guardian_id) from attendance where session_id = "
                                        + session))
                .isEqualTo(String.join(",", guardians.stream().sorted().map(marks::get).toList()));
        String marksOfSession =
                "select count(*) from attendance_mark where session_id = " + session;
        String auditsOfSession =
                "select count(*) from audit_log where action = 'attendance_marked'"
                        + " and (details->>'sessionId')::bigint = "
                        + session;
        assertThat(count(marksOfSession)).isEqualTo(3);
        assertThat(count(auditsOfSession)).isEqualTo(3);
        assertThat(
                        count(
                                "select count(*) from attendance_mark where client_mark_id = '"
                                        + PaperMarksController.clientId(
                                                formId, session, came, "present")
                                        + "'"))
                .isEqualTo(1);

        // the same form again, then a fresh one with the same ticks: nothing written twice
        HttpResponse<String> again = submit(trainer, session, formId, marks);
        assertThat(again.headers().firstValue("Location")).hasValue(path(session) + "?saved=0");
        HttpResponse<String> fresh = submit(trainer, session, open(trainer, session), marks);
        assertThat(fresh.headers().firstValue("Location")).hasValue(path(session) + "?saved=0");
        assertThat(trainer.follow(fresh).body()).contains("Rien n’a changé");
        assertThat(count(marksOfSession)).isEqualTo(3);
        assertThat(count(auditsOfSession)).isEqualTo(3);

        // a correction: the one marked absent did come
        HttpResponse<String> corrected =
                submit(trainer, session, open(trainer, session), Map.of(missed, "present"));
        assertThat(corrected.headers().firstValue("Location")).hasValue(path(session) + "?saved=1");
        assertThat(homeUse(missed)).isPositive();
        assertThat(count(marksOfSession)).isEqualTo(4);
    }

    @Test
    void a_garbled_form_is_refused_whole_with_a_message_and_writes_nothing() {
        long session = AttendanceFixture.session(db, true, false);
        List<Long> guardians = untrainedGuardians(3, 1);
        long booked = guardians.get(0);
        AttendanceFixture.book(db, session, booked);
        long stranger = Sql.count(db, "select min(id)::int from guardian where id <> " + booked);
        pastSession(session);
        List<HttpResponse<String>> answers = new ArrayList<>();
        answers.add(
                submit(
                        trainer,
                        session,
                        open(trainer, session),
                        Map.of(booked, "present", stranger, "present")));
        answers.add(submit(trainer, session, open(trainer, session), Map.of(booked, "excellent")));
        open(trainer, session);
        answers.add(submit(trainer, session, null, Map.of(booked, "present")));
        open(trainer, session);
        answers.add(
                trainer.postForm(
                        path(session),
                        Map.of("form", UUID.randomUUID().toString(), "mark_x", "present")));
        for (HttpResponse<String> r : answers) {
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.body())
                    .contains("Ce formulaire n’est pas valable")
                    .contains("Rien n’a été enregistré");
        }
        assertThat(count("select count(*) from attendance where session_id = " + session)).isZero();
        assertThat(count("select count(*) from attendance_mark where session_id = " + session))
                .isZero();

        // a rule of the service refuses one mark: none is written (a session not yet open)
        long future = AttendanceFixture.session(db, true, false);
        AttendanceFixture.book(db, future, booked);
        db.useHandle(
                h ->
                        h.execute(
                                "update workshop_session set starts_at = now() + interval '2 days',"
                                        + " ends_at = now() + interval '2 days 2 hours' where id = ?",
                                future));
        HttpResponse<String> early =
                submit(trainer, future, open(trainer, future), Map.of(booked, "present"));
        assertThat(early.statusCode()).isEqualTo(409);
        assertThat(early.body()).contains("Trop tôt");
        assertThat(count("select count(*) from attendance where session_id = " + future)).isZero();
    }

    @Test
    void another_trainers_session_and_a_parent_get_403() {
        long session = AttendanceFixture.session(db, true, false, "formateur@demo.sesame.test");
        assertThat(trainer.get(path(session)).statusCode()).isEqualTo(403);
        trainer.get("/trainer");
        assertThat(
                        trainer.postForm(
                                        path(session), Map.of("form", UUID.randomUUID().toString()))
                                .statusCode())
                .isEqualTo(403);
        assertThat(parent.get(path(session)).statusCode()).isEqualTo(403);
        HttpResponse<String> anonymous = app.client().get(path(session));
        assertThat(anonymous.statusCode()).isEqualTo(302);
    }

    @Test
    void a_tablet_marking_the_same_guardian_at_the_same_time_neither_deadlocks_nor_loses_a_mark()
            throws Exception {
        long session = AttendanceFixture.session(db, true, false);
        List<Long> guardians = untrainedGuardians(4, 2);
        assertThat(guardians).hasSize(2);
        for (long g : guardians) AttendanceFixture.book(db, session, g);
        pastSession(session);
        long both = guardians.get(0);
        long other = guardians.get(1);
        Http tablet = SignIn.trainer(app);
        AttendanceFixture.open(tablet, session);
        String marksOf =
                "select count(*) from attendance_mark where session_id = "
                        + session
                        + " and guardian_id = ";
        int rounds = 6;
        for (int i = 0; i < rounds; i++) {
            String paperMark = i % 2 == 0 ? "present" : "late";
            String formId = open(trainer, session);
            UUID tabletId = UUID.randomUUID();
            Instant madeAt = Instant.now();
            CompletableFuture<HttpResponse<String>> paper =
                    CompletableFuture.supplyAsync(
                            () ->
                                    submit(
                                            trainer,
                                            session,
                                            formId,
                                            Map.of(both, paperMark, other, paperMark)));
            CompletableFuture<HttpResponse<String>> mark =
                    CompletableFuture.supplyAsync(
                            () ->
                                    AttendanceFixture.mark(
                                            tablet, session, both, "absent", tabletId, madeAt));
            assertThat(paper.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(302);
            assertThat(mark.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            // both marks are kept; the one made last is the guardian's mark
            assertThat(count(marksOf + both)).isEqualTo(2 * (i + 1));
            assertThat(
                            count(
                                    "select count(*) from attendance_mark where client_mark_id in ('"
                                            + tabletId
                                            + "', '"
                                            + PaperMarksController.clientId(
                                                    formId, session, both, paperMark)
                                            + "')"))
                    .isEqualTo(2);
            String latest =
                    Sql.text(
                            db,
                            "select mark from attendance_mark where session_id = "
                                    + session
                                    + " and guardian_id = "
                                    + both
                                    + " order by made_at desc, id desc limit 1");
            assertThat(
                            Sql.text(
                                    db,
                                    "select mark from attendance where session_id = "
                                            + session
                                            + " and guardian_id = "
                                            + both))
                    .isEqualTo(latest);
        }
        assertThat(count(marksOf + other)).isEqualTo(rounds);
    }
}
