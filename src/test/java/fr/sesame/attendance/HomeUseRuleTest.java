package fr.sesame.attendance;

import static org.assertj.core.api.Assertions.assertThat;

import fr.sesame.support.Http;
import fr.sesame.support.SesameTest;
import fr.sesame.support.SignIn;
import fr.sesame.support.SignedIn;
import fr.sesame.support.Sql;
import fr.sesame.support.TestApp;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The home-use rule (DOMAIN.md, rule 1) in all its cases, through the trainer's and the admin's
 * HTTP requests.
 */
@SesameTest(demo = true)
class HomeUseRuleTest {
    static TestApp app;

    @SignedIn(SignedIn.Role.TRAINER)
    static Http trainer;

    @Test
    void
            one_guardian_present_unlocks_every_device_of_the_family_in_every_school_in_the_same_answer() {
        long session = AttendanceFixture.session(app.jdbi(), true, false);
        long guardian =
                AttendanceFixture.guardian(
                        app.jdbi(), 8, 1); // the second guardian; the children are in two schools
        AttendanceFixture.book(app.jdbi(), session, guardian);
        assertThat(AttendanceFixture.familyDevices(app.jdbi(), 8))
                .isEqualTo("school_only,school_only");

        AttendanceFixture.open(trainer, session);
        int homeUseBefore =
                Sql.count(app.jdbi(), "select count(*) from device where state = 'home_use'");
        HttpResponse<String> r = AttendanceFixture.mark(trainer, session, guardian, "present");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body())
                .contains("\"homeUse\":true", "\"devicesChanged\":2", "\"applied\":true");
        assertThat(AttendanceFixture.familyDevices(app.jdbi(), 8)).isEqualTo("home_use,home_use");
        assertThat(
                        Sql.count(
                                app.jdbi(),
                                "select count(*) from device_event e join attendance a on a.id = e.attendance_id "
                                        + "where e.change = 'unlock' and e.reason = 'attendance' and a.guardian_id = "
                                        + guardian
                                        + " and e.actor like 'staff:%'"))
                .isEqualTo(2);
        assertThat(
                        Sql.count(
                                app.jdbi(),
                                "select count(*) from audit_log where action = 'attendance_marked' "
                                        + "and details->>'guardianId' = '"
                                        + guardian
                                        + "'"))
                .isEqualTo(1);
        // nobody else's devices moved
        assertThat(Sql.count(app.jdbi(), "select count(*) from device where state = 'home_use'"))
                .isEqualTo(homeUseBefore + 2);
    }

    @Test
    void present_with_the_charter_unsigned_does_not_unlock_until_the_guardian_signs() {
        long session = AttendanceFixture.session(app.jdbi(), true, true);
        long guardian = AttendanceFixture.guardian(app.jdbi(), 2, 0);
        AttendanceFixture.book(app.jdbi(), session, guardian);
        AttendanceFixture.open(trainer, session);

        HttpResponse<String> r = AttendanceFixture.mark(trainer, session, guardian, "present");
        assertThat(r.body())
                .contains(
                        "\"charterRequired\":true", "\"charterSigned\":false", "\"homeUse\":false");
        assertThat(AttendanceFixture.familyDevices(app.jdbi(), 2)).isEqualTo("school_only");
        assertThat(AttendanceFixture.open(trainer, session).body())
                .contains(
                        "Charte à signer",
                        "Ordinateur à l'école\u00a0: la charte n'est pas encore signée");
        String code =
                Sql.text(app.jdbi(), "select letter_code from family where reference = 'DEMO-002'");
        Http parent = SignIn.parent(app, code, "Adam");
        assertThat(parent.get("/me").body()).contains("il reste à signer la charte");

        HttpResponse<String> signed =
                AttendanceFixture.sign(
                        trainer, session, guardian, AttendanceFixture.png(true, 400, 130));
        assertThat(signed.statusCode()).as(signed.body()).isEqualTo(200);
        assertThat(signed.body()).contains("\"homeUse\":true");
        assertThat(AttendanceFixture.familyDevices(app.jdbi(), 2)).isEqualTo("home_use");
        assertThat(parent.get("/me").body()).contains("L'ordinateur peut aller à la maison");
        assertThat(
                        Sql.count(
                                app.jdbi(),
                                "select count(*) from charter_signature cs join charter_version v "
                                        + "on v.id = cs.charter_version_id where v.version = 1 and cs.guardian_id = "
                                        + guardian
                                        + " and octet_length(cs.image_png) > 100 and cs.signed_by is not null"))
                .isEqualTo(1);
    }

    @Test
    void a_corrected_mark_revokes_unless_another_guardian_of_the_family_attended() {
        long first = AttendanceFixture.session(app.jdbi(), true, false);
        long second = AttendanceFixture.session(app.jdbi(), true, false);
        long mother = AttendanceFixture.guardian(app.jdbi(), 4, 0);
        long father = AttendanceFixture.guardian(app.jdbi(), 4, 1);
        AttendanceFixture.book(app.jdbi(), first, mother);
        AttendanceFixture.book(app.jdbi(), second, father);
        AttendanceFixture.open(trainer, first);
        AttendanceFixture.mark(trainer, first, mother, "present");
        AttendanceFixture.mark(trainer, second, father, "late");
        assertThat(AttendanceFixture.familyDevices(app.jdbi(), 4)).isEqualTo("home_use");

        // the first mark was a mistake: the father's attendance still holds
        assertThat(AttendanceFixture.mark(trainer, first, mother, "absent").body())
                .contains("\"homeUse\":true");
        assertThat(AttendanceFixture.familyDevices(app.jdbi(), 4)).isEqualTo("home_use");

        // and when the father's is corrected too, the devices go back to school, with the reason
        // kept
        assertThat(AttendanceFixture.mark(trainer, second, father, "excused").body())
                .contains("\"homeUse\":false");
        assertThat(AttendanceFixture.familyDevices(app.jdbi(), 4)).isEqualTo("school_only");
        assertThat(
                        Sql.count(
                                app.jdbi(),
                                "select count(*) from device_event e join attendance a on a.id = e.attendance_id "
                                        + "where e.change = 'revoke' and e.reason = 'no_qualifying_attendance' and a.guardian_id = "
                                        + father))
                .isEqualTo(1);
    }

    @Test
    void undoing_a_mark_revokes_the_unlock_it_gave() {
        long session = AttendanceFixture.session(app.jdbi(), true, false);
        long guardian = AttendanceFixture.guardian(app.jdbi(), 5, 0);
        AttendanceFixture.book(app.jdbi(), session, guardian);
        AttendanceFixture.open(trainer, session);
        AttendanceFixture.mark(trainer, session, guardian, "present");
        assertThat(AttendanceFixture.familyDevices(app.jdbi(), 5)).isEqualTo("home_use");
        HttpResponse<String> undo = AttendanceFixture.mark(trainer, session, guardian, null);
        assertThat(undo.body()).contains("\"mark\":null", "\"homeUse\":false");
        assertThat(AttendanceFixture.familyDevices(app.jdbi(), 5)).isEqualTo("school_only");
    }

    @Test
    void attending_a_workshop_that_does_not_qualify_unlocks_nothing() {
        long session = AttendanceFixture.session(app.jdbi(), false, false);
        long guardian = AttendanceFixture.guardian(app.jdbi(), 6, 0);
        AttendanceFixture.book(app.jdbi(), session, guardian);
        AttendanceFixture.open(trainer, session);
        assertThat(AttendanceFixture.mark(trainer, session, guardian, "present").body())
                .contains("\"homeUse\":false");
        assertThat(AttendanceFixture.familyDevices(app.jdbi(), 6)).isEqualTo("school_only");
    }

    @Test
    void
            an_admin_grants_and_revokes_by_hand_with_a_reason_and_that_outranks_the_rule_until_cleared() {
        Http admin = SignIn.admin(app);
        long device =
                Sql.count(
                        app.jdbi(),
                        "select d.id from device d join child c on c.id = d.child_id "
                                + "join family f on f.id = c.family_id where f.reference = 'DEMO-007'");
        admin.get("/admin/devices/" + device);
        HttpResponse<String> noReason =
                admin.postForm(
                        "/admin/devices/" + device + "/home-use",
                        Map.of("decision", "grant", "reason", " "));
        assertThat(noReason.statusCode()).isEqualTo(400);
        assertThat(AttendanceFixture.familyDevices(app.jdbi(), 7)).isEqualTo("school_only");

        admin.postForm(
                "/admin/devices/" + device + "/home-use",
                Map.of("decision", "grant", "reason", "Formée lors de la réunion de rentrée"));
        assertThat(AttendanceFixture.familyDevices(app.jdbi(), 7)).isEqualTo("home_use");

        // a guardian's attendance does not override the admin's revocation
        admin.postForm(
                "/admin/devices/" + device + "/home-use",
                Map.of("decision", "revoke", "reason", "Ordinateur revenu abîmé"));
        long session = AttendanceFixture.session(app.jdbi(), true, false);
        long guardian = AttendanceFixture.guardian(app.jdbi(), 7, 0);
        AttendanceFixture.book(app.jdbi(), session, guardian);
        AttendanceFixture.open(trainer, session);
        assertThat(AttendanceFixture.mark(trainer, session, guardian, "present").body())
                .contains("\"homeUse\":false");
        assertThat(AttendanceFixture.familyDevices(app.jdbi(), 7)).isEqualTo("school_only");

        // back to the rule: the attendance now counts
        admin.get("/admin/devices/" + device);
        admin.postForm(
                "/admin/devices/" + device + "/home-use",
                Map.of("decision", "rule", "reason", "Réparé"));
        assertThat(AttendanceFixture.familyDevices(app.jdbi(), 7)).isEqualTo("home_use");
        HttpResponse<String> page = admin.get("/admin/devices/" + device);
        assertThat(page.body())
                .contains(
                        "Formée lors de la réunion de rentrée",
                        "Ordinateur revenu abîmé",
                        "décision du service éducation",
                        "un parent a suivi un atelier");
        assertThat(
                        Sql.count(
                                app.jdbi(),
                                "select count(*) from device_event where device_id = " + device))
                .isEqualTo(3);
        assertThat(
                        Sql.count(
                                app.jdbi(),
                                "select count(*) from audit_log where entity = 'family' "
                                        + "and action like 'home_use_%'"))
                .isEqualTo(3);
    }

    @Test
    void the_parent_and_the_school_see_home_use_as_soon_as_the_mark_is_made() {
        long session = AttendanceFixture.session(app.jdbi(), true, false);
        long guardian = AttendanceFixture.guardian(app.jdbi(), 1, 0);
        AttendanceFixture.book(app.jdbi(), session, guardian);
        Http parent = SignIn.parent(app);
        assertThat(parent.get("/me").body())
                .contains("Il reste à venir à l'atelier «\u00a0Atelier test\u00a0»");
        Http school = SignIn.schoolStaff(app);
        assertThat(school.get("/school").body()).contains("Inscrit à un atelier");

        AttendanceFixture.open(trainer, session);
        AttendanceFixture.mark(trainer, session, guardian, "present");

        assertThat(parent.get("/me").body())
                .contains("L'ordinateur peut aller à la maison")
                .contains("Depuis le")
                .doesNotContain("Il reste à venir");
        String schoolPage = school.get("/school").body();
        assertThat(schoolPage).contains("Formé");
        assertThat(schoolPage.substring(schoolPage.indexOf("Martin Lina")))
                .startsWith("Martin Lina</td>")
                .contains("✓");
    }

    @Test
    void cancelling_a_session_that_a_guardian_came_to_takes_back_the_home_use_it_gave() {
        long session = AttendanceFixture.session(app.jdbi(), true, false);
        long guardian = AttendanceFixture.guardian(app.jdbi(), 11, 0);
        AttendanceFixture.book(app.jdbi(), session, guardian);
        AttendanceFixture.open(trainer, session);
        assertThat(AttendanceFixture.mark(trainer, session, guardian, "present").statusCode())
                .isEqualTo(200);
        assertThat(AttendanceFixture.familyDevices(app.jdbi(), 11))
                .startsWith("home_use")
                .doesNotContain("school_only");

        Http admin = SignIn.admin(app);
        admin.get("/admin/sessions/" + session);
        HttpResponse<String> r = admin.postForm("/admin/sessions/" + session + "/cancel", Map.of());
        assertThat(r.statusCode()).as(r.body()).isLessThan(400);
        assertThat(
                        Sql.count(
                                app.jdbi(),
                                "select count(*) from workshop_session where status = 'cancelled' and id = "
                                        + session))
                .isEqualTo(1);
        assertThat(AttendanceFixture.familyDevices(app.jdbi(), 11))
                .startsWith("school_only")
                .doesNotContain("home_use");
        assertThat(
                        Sql.count(
                                app.jdbi(),
                                "select count(*) from device_event e join device d on d.id = e.device_id "
                                        + "join child c on c.id = d.child_id join family f on f.id = c.family_id where f.reference = 'DEMO-011' "
                                        + "and e.change = 'revoke' and e.reason = 'no_qualifying_attendance' and e.actor like 'staff:%'"))
                .isGreaterThan(0);
    }
}
