package fr.sesame.roster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.sesame.support.Http;
import fr.sesame.support.SesameTest;
import fr.sesame.support.SignIn;
import fr.sesame.support.Sql;
import fr.sesame.support.TestApp;
import java.net.http.HttpResponse;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The retention rule, and a family's export and erasure on request. */
@SesameTest
class DataProtectionTest {
    static TestApp app;
    static TownFixture town;
    static Jdbi jdbi;

    @BeforeAll
    static void start() {
        town = TownFixture.build(jdbi);
    }

    /**
     * A family with one child whose devices are in the given states, changed the given number of
     * days ago.
     */
    static long familyWithDevices(String ref, String... stateAndDaysAgo) {
        return jdbi.inTransaction(
                h -> {
                    long f = TownFixture.family(h, ref, null);
                    long g =
                            TownFixture.guardian(
                                    h,
                                    f,
                                    "Parent",
                                    ref,
                                    "fr",
                                    ref.toLowerCase() + "@example.test",
                                    null);
                    for (int i = 0; i < stateAndDaysAgo.length; i++) {
                        long c = TownFixture.child(h, f, town.schoolA, "Enfant" + i, "CM2 A");
                        String[] sd = stateAndDaysAgo[i].split(":");
                        TownFixture.device(h, ref + "-" + i, c, sd[0]);
                        h.execute(
                                "update device set state_changed_at = now() - make_interval(days => ?) where asset_tag = ?",
                                Integer.parseInt(sd[1]),
                                ref + "-" + i);
                    }
                    h.execute(
                            "insert into booking (session_id, family_id, guardian_id, status, ended_at) values (?, ?, ?, 'cancelled', now())",
                            town.qualifyingPast,
                            f,
                            g);
                    h.execute(
                            "insert into attendance (session_id, guardian_id, mark, marked_at) values (?, ?, 'present', now())",
                            town.qualifyingPast,
                            g);
                    return f;
                });
    }

    static boolean exists(long family) {
        return Sql.bool(jdbi, "select exists (select 1 from family where id = " + family + ")");
    }

    @Test
    void
            the_retention_rule_deletes_only_families_whose_devices_were_all_returned_long_enough_ago() {
        long old = familyWithDevices("OLD", "returned:400");
        long recent = familyWithDevices("RECENT", "returned:10");
        long mixed = familyWithDevices("MIXED", "returned:400", "school_only:400");
        long lost = familyWithDevices("LOST", "lost_or_broken:400");

        int deleted = new FamilyData(jdbi).purgeReturned(365);

        assertThat(deleted).isEqualTo(1);
        assertThat(exists(old)).isFalse();
        assertThat(exists(recent)).isTrue();
        assertThat(exists(mixed)).isTrue();
        assertThat(exists(lost)).isTrue();
        assertThat(exists(town.f1)).isTrue();
        assertThat(Sql.count(jdbi, "select count(*) from guardian where last_name = 'OLD'"))
                .isZero();
        assertThat(
                        Sql.count(
                                jdbi,
                                "select count(*) from attendance a join guardian g on g.id = a.guardian_id "
                                        + "where g.last_name = 'OLD'"))
                .isZero();
        // the register keeps the device, without the child
        assertThat(
                        Sql.text(
                                jdbi,
                                "select state || ' ' || coalesce(child_id::text, 'none') from device where asset_tag = 'OLD-0'"))
                .isEqualTo("returned none");
        assertThat(
                        Sql.count(
                                jdbi,
                                "select count(*) from audit_log where action = 'erase_family' and entity_id = "
                                        + old
                                        + " and actor = 'system:retention' and details->>'reason' = 'retention'"))
                .isEqualTo(1);
        assertThat(new FamilyData(jdbi).purgeReturned(365)).isZero();
        assertThat(new FamilyData(jdbi).purgeReturned(5)).isEqualTo(1);
        assertThat(exists(recent)).isFalse();
    }

    @Test
    void two_instances_running_the_retention_rule_at_the_same_moment_erase_each_family_once()
            throws Exception {
        long[] families = new long[20];
        for (int i = 0; i < families.length; i++)
            families[i] = familyWithDevices("TWICE" + i, "returned:400");
        int auditedBefore =
                Sql.count(jdbi, "select count(*) from audit_log where action = 'erase_family'");
        // two app instances' daily passes: each on its own connection, as two JVMs would be
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.ExecutorService instances =
                java.util.concurrent.Executors.newFixedThreadPool(2);
        java.util.concurrent.Callable<Integer> pass =
                () -> {
                    go.await();
                    return new FamilyData(jdbi).purgeReturned(365);
                };
        var one = instances.submit(pass);
        var two = instances.submit(pass);
        go.countDown();
        int deleted =
                one.get(60, java.util.concurrent.TimeUnit.SECONDS)
                        + two.get(60, java.util.concurrent.TimeUnit.SECONDS);
        instances.shutdown();

        int audited =
                Sql.count(jdbi, "select count(*) from audit_log where action = 'erase_family'")
                        - auditedBefore;
        assertThat(deleted)
                .as("families the two passes say they deleted")
                .isEqualTo(audited)
                .isGreaterThanOrEqualTo(20);
        for (long family : families) {
            assertThat(exists(family)).isFalse();
            assertThat(
                            Sql.count(
                                    jdbi,
                                    "select count(*) from audit_log where action = 'erase_family' and entity_id = "
                                            + family))
                    .as("erasures of family " + family)
                    .isEqualTo(1);
        }
    }

    @Test
    void the_export_holds_all_that_is_kept_about_the_family_and_is_audited() throws Exception {
        Http admin = SignIn.staff(app, TownFixture.ADMIN, TownFixture.PASSWORD);
        HttpResponse<String> page = admin.get("/admin/roster/families/" + town.f2);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body())
                .contains(
                        "Karim Deux", "karim@deux.test", "Adam Enfant", "Inès Enfant", "FAMB-2345");

        HttpResponse<String> export = admin.get("/admin/roster/families/" + town.f2 + "/export");
        assertThat(export.statusCode()).isEqualTo(200);
        assertThat(export.headers().firstValue("Content-Disposition").orElse(""))
                .contains("F2.json");
        JsonNode json = new ObjectMapper().readTree(export.body());
        assertThat(json.at("/family/reference").asText()).isEqualTo("F2");
        assertThat(json.at("/guardians/0/email").asText()).isEqualTo("karim@deux.test");
        assertThat(json.get("children")).hasSize(2);
        assertThat(json.get("devices")).hasSize(2);
        assertThat(json.get("bookings")).hasSize(1);
        assertThat(json.get("attendance")).hasSize(1);
        assertThat(
                        Sql.count(
                                jdbi,
                                "select count(*) from audit_log where action = 'export_family' and entity_id = "
                                        + town.f2))
                .isEqualTo(1);
        assertThat(admin.get("/admin/roster/families/999999/export").statusCode()).isEqualTo(404);
    }

    @Test
    void
            erasure_on_request_needs_the_reference_typed_then_removes_the_family_and_ends_its_sign_ins() {
        Http parent = SignIn.parent(app, "FAMA-2345", "Lina");
        assertThat(parent.get("/me").statusCode()).isEqualTo(200);
        Http admin = SignIn.staff(app, TownFixture.ADMIN, TownFixture.PASSWORD);
        admin.get("/admin/roster/families/" + town.f1);

        HttpResponse<String> wrong =
                admin.postForm(
                        "/admin/roster/families/" + town.f1 + "/erase", Map.of("confirm", "F2"));
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(wrong.body()).contains("rien n'a été effacé");
        assertThat(exists(town.f1)).isTrue();

        HttpResponse<String> done =
                admin.postForm(
                        "/admin/roster/families/" + town.f1 + "/erase", Map.of("confirm", "f1"));
        assertThat(done.statusCode()).isEqualTo(200);
        assertThat(done.body()).contains("ont été effacées");
        assertThat(exists(town.f1)).isFalse();
        assertThat(Sql.count(jdbi, "select count(*) from guardian where last_name = 'Un'"))
                .isZero();
        assertThat(Sql.count(jdbi, "select count(*) from child where first_name = 'Lina'"))
                .isZero();
        assertThat(
                        Sql.text(
                                jdbi,
                                "select state || ' ' || coalesce(child_id::text, 'none') from device where asset_tag = 'T-1'"))
                .isEqualTo("returned none");
        assertThat(parent.get("/me").statusCode()).isEqualTo(302);
        assertThat(
                        Sql.count(
                                jdbi,
                                "select count(*) from audit_log where action = 'erase_family' and entity_id = "
                                        + town.f1
                                        + " and details->>'reason' = 'request'"))
                .isEqualTo(1);
        assertThat(admin.get("/admin/roster/families/" + town.f1).statusCode()).isEqualTo(404);
    }

    @Test
    void
            erasure_also_removes_what_attendance_and_calendars_hold_and_keeps_the_device_history_anonymous() {
        long family = familyWithDevices("TRACES", "home_use:3");
        jdbi.useTransaction(
                h -> {
                    long g =
                            h.createQuery("select id from guardian where family_id = :f")
                                    .bind("f", family)
                                    .mapTo(Long.class)
                                    .one();
                    long b =
                            h.createQuery("select id from booking where family_id = :f")
                                    .bind("f", family)
                                    .mapTo(Long.class)
                                    .one();
                    long a =
                            h.createQuery("select id from attendance where guardian_id = :g")
                                    .bind("g", g)
                                    .mapTo(Long.class)
                                    .one();
                    long c =
                            h.createQuery("select id from child where family_id = :f")
                                    .bind("f", family)
                                    .mapTo(Long.class)
                                    .one();
                    long d =
                            h.createQuery("select id from device where child_id = :c")
                                    .bind("c", c)
                                    .mapTo(Long.class)
                                    .one();
                    h.execute(
                            "insert into charter_signature (guardian_id, charter_version_id, image_png, signed_at, client_id) "
                                    + "select ?, min(id), decode(repeat('00', 100), 'hex'), now(), gen_random_uuid() from charter_version",
                            g);
                    h.execute(
                            "insert into attendance_mark (client_mark_id, session_id, guardian_id, mark, made_at, applied, answer) "
                                    + "values (gen_random_uuid(), ?, ?, 'present', now(), true, '{}')",
                            town.qualifyingPast,
                            g);
                    h.execute(
                            "insert into home_use_override (family_id, allowed, reason) values (?, true, 'test')",
                            family);
                    h.execute(
                            "insert into device_event (device_id, actor, change, to_state, reason, attendance_id, child_id) "
                                    + "values (?, 'test', 'unlock', 'home_use', 'attendance', ?, ?)",
                            d,
                            a,
                            c);
                    h.execute(
                            "insert into calendar_invitation (booking_id, uid, sequence, state) values (?, gen_random_uuid(), 1, 'cancelled')",
                            b);
                    h.execute(
                            "insert into calendar_outbox (idempotency_key, booking_id, guardian_id, recipient, language, kind, subject, "
                                    + "body, ics, ics_method) values ('traces-1', ?, ?, 'traces@example.test', 'fr', 'cancelled', 's', 'b', 'i', 'CANCEL')",
                            b,
                            g);
                    h.execute(
                            "insert into calendar_feed_token (owner_kind, owner_id, token_hash) values ('guardian', ?, 'traces-hash')",
                            g);
                });
        long guardian = Sql.count(jdbi, "select id from guardian where family_id = " + family);
        long booking = Sql.count(jdbi, "select id from booking where family_id = " + family);
        long deviceEvents =
                Sql.count(
                        jdbi,
                        "select count(*) from device_event e join device d on d.id = e.device_id "
                                + "where d.asset_tag = 'TRACES-0'");

        Http admin = SignIn.staff(app, TownFixture.ADMIN, TownFixture.PASSWORD);
        admin.get("/admin/roster/families/" + family);
        HttpResponse<String> done =
                admin.postForm(
                        "/admin/roster/families/" + family + "/erase", Map.of("confirm", "TRACES"));
        assertThat(done.statusCode()).isEqualTo(200);
        assertThat(exists(family)).isFalse();
        for (String check :
                new String[] {
                    "charter_signature where guardian_id = " + guardian,
                    "attendance_mark where guardian_id = " + guardian,
                    "home_use_override where family_id = " + family,
                    "family_progress where family_id = " + family,
                    "family_school where family_id = " + family,
                    "family_school_pending where family_id = " + family,
                    "calendar_invitation where booking_id = " + booking,
                    "calendar_outbox where idempotency_key = 'traces-1'",
                    "calendar_feed_token where token_hash = 'traces-hash'"
                }) {
            assertThat(Sql.count(jdbi, "select count(*) from " + check)).as(check).isZero();
        }
        assertThat(
                        Sql.count(
                                jdbi,
                                "select count(*) from device_event e join device d on d.id = e.device_id "
                                        + "where d.asset_tag = 'TRACES-0'"))
                .isEqualTo(deviceEvents);
        assertThat(
                        Sql.count(
                                jdbi,
                                "select count(*) from device_event e join device d on d.id = e.device_id "
                                        + "where d.asset_tag = 'TRACES-0' and (e.child_id is not null or e.attendance_id is not null)"))
                .isZero();
    }
}
