package fr.sesame.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import fr.sesame.support.Http;
import fr.sesame.support.SesameTest;
import fr.sesame.support.SignIn;
import fr.sesame.support.Sql;
import fr.sesame.support.TestApp;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * The education service sets and clears a guardian's opt-out on the family's page: the same flag
 * and rule as the link, audited; once set, the guardian gets no reminder by SMS or e-mail.
 */
@SesameTest(demo = true)
class OptOutAdminTest {
    static TestApp app;
    static Jdbi db;

    /** A new family with one guardian (e-mail and French mobile); returns {family, guardian}. */
    private static long[] family(String name) {
        return db.withHandle(
                h -> {
                    long family =
                            h.createQuery(
                                            "insert into family (reference) values ('OPT-' || gen_random_uuid()) returning id")
                                    .mapTo(Long.class)
                                    .one();
                    long guardian =
                            h.createQuery(
                                            """
                            insert into guardian (family_id, first_name, last_name, email, phone, language)
                            values (?, ?, 'Martin', ?, '0612345678', 'fr') returning id""")
                                    .bind(0, family)
                                    .bind(1, name)
                                    .bind(2, name.toLowerCase() + "@example.fr")
                                    .mapTo(Long.class)
                                    .one();
                    return new long[] {family, guardian};
                });
    }

    private static long bookFarAhead(long guardian) {
        ZonedDateTime start =
                ZonedDateTime.now(ZoneId.of("Europe/Paris"))
                        .plusDays(20)
                        .withHour(17)
                        .withMinute(0);
        return db.inTransaction(
                h -> {
                    long session =
                            h.createQuery(
                                            """
                            insert into workshop_session (workshop_type_id, school_id, room_id, starts_at, ends_at, capacity, booked)
                            select (select min(id) from workshop_type), s.id,
                                   (select min(r.id) from room r where r.school_id = s.id), ?, ?, 12, 1
                            from school s where s.uai = '0211234A' returning id""")
                                    .bind(0, start.toOffsetDateTime())
                                    .bind(1, start.plusHours(2).toOffsetDateTime())
                                    .mapTo(Long.class)
                                    .one();
                    return h.createQuery(
                                    "insert into booking (session_id, family_id, guardian_id) select ?, family_id, id from guardian where id = ? returning id")
                            .bind(0, session)
                            .bind(1, guardian)
                            .mapTo(Long.class)
                            .one();
                });
    }

    private static boolean optedOut(long guardian) {
        return Sql.bool(db, "select opt_out from guardian where id = " + guardian);
    }

    private static int audits(String action, long guardian) {
        return Sql.count(
                db,
                "select count(*) from audit_log where action = '"
                        + action
                        + "' and entity = 'guardian' and entity_id = "
                        + guardian
                        + " and actor like 'staff:%'");
    }

    private static HttpResponse<String> post(Http admin, long family, Map<String, String> form) {
        admin.get("/admin/roster/families/" + family);
        return admin.postForm("/admin/roster/families/" + family + "/opt-out", form);
    }

    @Test
    void the_admin_sets_the_flag_on_the_familys_page_and_it_stops_the_reminders_then_clears_it() {
        long[] fg = family("Yasmine");
        long family = fg[0];
        long guardian = fg[1];
        long booking = bookFarAhead(guardian);
        Http admin = SignIn.admin(app);

        HttpResponse<String> page = admin.get("/admin/roster/families/" + family);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body())
                .contains("Rappels et messages", "Yasmine Martin\u00a0: reçoit les rappels.");

        HttpResponse<String> set =
                post(
                        admin,
                        family,
                        Map.of("guardian", String.valueOf(guardian), "opt_out", "true"));
        assertThat(set.statusCode()).isEqualTo(302);
        assertThat(set.headers().firstValue("Location"))
                .hasValue("/admin/roster/families/" + family + "?optout=set");
        assertThat(optedOut(guardian)).isTrue();
        assertThat(Sql.text(db, "select opt_out_by from guardian where id = " + guardian))
                .isEqualTo("staff");
        assertThat(audits("opt_out", guardian)).isEqualTo(1);
        HttpResponse<String> shown = admin.follow(set);
        assertThat(shown.body())
                .contains("ce parent ne recevra plus de rappels")
                .contains("Yasmine Martin\u00a0: ne reçoit plus de rappels depuis le ")
                .contains("par le service éducation");
        // the same again changes and audits nothing
        post(admin, family, Map.of("guardian", String.valueOf(guardian), "opt_out", "true"));
        assertThat(audits("opt_out", guardian)).isEqualTo(1);

        // the reminders pass finds the flag: no SMS, no e-mail
        Instant start =
                db.withHandle(
                        h ->
                                h.createQuery(
                                                "select ws.starts_at from booking b join workshop_session ws on ws.id = b.session_id where b.id = ?")
                                        .bind(0, booking)
                                        .mapTo(Instant.class)
                                        .one());
        Clock clock = Clock.fixed(start.minus(Duration.ofDays(2)).plusSeconds(60), ZoneOffset.UTC);
        new Reminders(
                        db,
                        new SmsOutbox(app.baseUrl(), clock, 3, () -> {}),
                        app.app().calendarOutbox(),
                        clock,
                        2,
                        LocalTime.of(8, 0))
                .pass();
        assertThat(Sql.text(db, "select status from sms_outbox where booking_id = " + booking))
                .isEqualTo("opted_out");
        assertThat(
                        Sql.text(
                                db,
                                "select status from calendar_outbox where booking_id = "
                                        + booking
                                        + " and kind = 'reminder_before'"))
                .isEqualTo("opted_out");

        HttpResponse<String> cleared =
                post(
                        admin,
                        family,
                        Map.of("guardian", String.valueOf(guardian), "opt_out", "false"));
        assertThat(cleared.headers().firstValue("Location"))
                .hasValue("/admin/roster/families/" + family + "?optout=cleared");
        assertThat(optedOut(guardian)).isFalse();
        assertThat(audits("opt_in", guardian)).isEqualTo(1);
        assertThat(admin.follow(cleared).body())
                .contains("Yasmine Martin\u00a0: reçoit les rappels.");
    }

    @Test
    void a_garbled_form_a_guardian_of_another_family_or_no_csrf_token_changes_nothing() {
        long[] mine = family("Rose");
        long[] other = family("Hugo");
        Http admin = SignIn.admin(app);
        HttpResponse<String> garbage =
                post(admin, mine[0], Map.of("guardian", "abc", "opt_out", "true"));
        assertThat(garbage.statusCode()).isEqualTo(400);
        assertThat(garbage.body()).contains("Ce formulaire est incomplet");
        HttpResponse<String> noChoice =
                post(admin, mine[0], Map.of("guardian", String.valueOf(mine[1]), "opt_out", "yes"));
        assertThat(noChoice.statusCode()).isEqualTo(400);
        HttpResponse<String> notHers =
                post(
                        admin,
                        mine[0],
                        Map.of("guardian", String.valueOf(other[1]), "opt_out", "true"));
        assertThat(notHers.statusCode()).isEqualTo(404);
        HttpResponse<String> forged =
                admin.post(
                        "/admin/roster/families/" + mine[0] + "/opt-out",
                        Map.of("guardian", String.valueOf(mine[1]), "opt_out", "true"));
        assertThat(forged.statusCode()).isEqualTo(403);
        // a trainer may not
        Http trainer = SignIn.trainer(app);
        trainer.get("/trainer");
        assertThat(
                        trainer.postForm(
                                        "/admin/roster/families/" + mine[0] + "/opt-out",
                                        Map.of(
                                                "guardian",
                                                String.valueOf(mine[1]),
                                                "opt_out",
                                                "true"))
                                .statusCode())
                .isEqualTo(403);
        assertThat(optedOut(mine[1])).isFalse();
        assertThat(optedOut(other[1])).isFalse();
        assertThat(
                        Sql.count(
                                db,
                                "select count(*) from audit_log where entity = 'guardian' and entity_id in ("
                                        + mine[1]
                                        + ", "
                                        + other[1]
                                        + ")"))
                .isZero();
    }
}
