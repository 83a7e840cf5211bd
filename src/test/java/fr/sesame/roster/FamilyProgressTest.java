package fr.sesame.roster;

import static org.assertj.core.api.Assertions.assertThat;

import fr.sesame.support.Http;
import fr.sesame.support.SignIn;
import fr.sesame.support.Sql;
import fr.sesame.support.TestApp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * family_progress, which the dashboard reads, against the definitions worked out from scratch
 * (TownFixture).
 */
class FamilyProgressTest {
    TestApp app;
    Jdbi jdbi;
    TownFixture town;

    @BeforeEach
    void start() {
        app = TestApp.start();
        jdbi = app.jdbi();
        town = TownFixture.build(jdbi);
    }

    @AfterEach
    void stop() {
        app.close();
    }

    /** Each family: trained since (null: not trained) and booked, as the dashboard defines them. */
    private List<String> fromScratch() {
        return jdbi.withHandle(
                h ->
                        h.createQuery(
                                        """
                select f.id || ' ' || coalesce(
                         (select min(s.starts_at) from guardian g join attendance a on a.guardian_id = g.id
                          join workshop_session s on s.id = a.session_id join workshop_type w on w.id = s.workshop_type_id
                          where g.family_id = f.id and a.mark = 'present' and w.qualifies_for_home_use)::text, '-')
                       || ' ' || exists (select 1 from booking b join workshop_session s on s.id = b.session_id
                          join workshop_type w on w.id = s.workshop_type_id
                          where b.family_id = f.id and b.status = 'active' and s.status <> 'cancelled'
                            and w.qualifies_for_home_use)
                from family f order by f.id""")
                                .mapTo(String.class)
                                .list());
    }

    private List<String> kept() {
        return jdbi.withHandle(
                h ->
                        h.createQuery(
                                        """
                select f.id || ' ' || coalesce(p.trained_since::text, '-') || ' ' || coalesce(p.booked, false)
                from family f left join family_progress p on p.family_id = f.id order by f.id""")
                                .mapTo(String.class)
                                .list());
    }

    /**
     * Each family and school where it has a child: what the dashboard counts there (migration V9).
     */
    private List<String> schoolsFromScratch() {
        return jdbi.withHandle(
                h ->
                        h.createQuery(
                                        """
                select c.family_id || ' ' || c.school_id || ' ' || (c.school_id = min(c.school_id) over (partition by c.family_id))
                       || ' ' || coalesce(p.trained_since is not null, false) || ' ' || coalesce(p.booked, false)
                       || ' ' || count(d.id) || ' ' || count(d.id) filter (where d.state = 'home_use')
                from child c
                left join device d on d.child_id = c.id and d.state in ('school_only', 'home_use')
                left join family_progress p on p.family_id = c.family_id
                group by c.family_id, c.school_id, p.trained_since, p.booked
                order by c.family_id, c.school_id""")
                                .mapTo(String.class)
                                .list());
    }

    private List<String> schoolsKept() {
        return jdbi.withHandle(
                h ->
                        h.createQuery(
                                        """
                select family_id || ' ' || school_id || ' ' || first_school || ' ' || trained || ' ' || booked
                       || ' ' || devices_lent || ' ' || devices_home
                from family_school order by family_id, school_id""")
                                .mapTo(String.class)
                                .list());
    }

    private long guardianOf(long family) {
        return Sql.count(jdbi, "select min(id) from guardian where family_id = " + family);
    }

    private long sessionAt(long school, String status) {
        return Sql.count(
                jdbi,
                "select min(s.id) from workshop_session s join workshop_type w on w.id = s.workshop_type_id "
                        + "where w.code = 'q' and s.school_id = "
                        + school
                        + " and s.status = '"
                        + status
                        + "'");
    }

    @Test
    void the_progress_kept_for_each_family_follows_every_kind_of_change() {
        assertThat(fromScratch())
                .anyMatch(f -> !f.contains(" - "))
                .anyMatch(f -> f.endsWith("true"));
        assertThat(kept()).isEqualTo(fromScratch());
        assertThat(schoolsKept()).isEqualTo(schoolsFromScratch()).hasSize(6);
        long f1 = town.f1;
        long f2 = town.f2;
        long f3 = town.f3;
        long f4 = town.f4;
        long f5 = town.f5;
        long past = town.qualifyingPast;
        long nextWeekB = sessionAt(town.schoolB, "scheduled");
        Map<String, Consumer<Handle>> changes = new LinkedHashMap<>();
        changes.put(
                "a guardian marked present at a qualifying session",
                h ->
                        h.execute(
                                "insert into attendance (session_id, guardian_id, mark, marked_at) values (?, ?, 'present', now())",
                                past,
                                guardianOf(f4)));
        changes.put(
                "the mark undone",
                h ->
                        h.execute(
                                "update attendance set mark = null where guardian_id = ?",
                                guardianOf(f4)));
        changes.put(
                "absent corrected to present",
                h ->
                        h.execute(
                                "update attendance set mark = 'present' where guardian_id = ?",
                                guardianOf(f3)));
        changes.put(
                "a booking cancelled",
                h ->
                        h.execute(
                                "update booking set status = 'cancelled', ended_at = now() where family_id = ?",
                                f2));
        changes.put(
                "a new booking",
                h ->
                        h.execute(
                                "insert into booking (session_id, family_id, guardian_id) values (?, ?, ?)",
                                nextWeekB,
                                f4,
                                guardianOf(f4)));
        changes.put(
                "its session cancelled",
                h ->
                        h.execute(
                                "update workshop_session set status = 'cancelled' where id = ?",
                                nextWeekB));
        changes.put(
                "a session moved a week earlier",
                h ->
                        h.execute(
                                "update workshop_session set starts_at = starts_at - interval '7 days', ends_at = ends_at - interval '7 days' "
                                        + "where id = ?",
                                past));
        changes.put(
                "the workshop no longer unlocks home use",
                h ->
                        h.execute(
                                "update workshop_type set qualifies_for_home_use = false where code = 'q'"));
        changes.put(
                "the workshop unlocks home use again",
                h ->
                        h.execute(
                                "update workshop_type set qualifies_for_home_use = true where code = 'q'"));
        changes.put(
                "a guardian moved to another family",
                h -> h.execute("update guardian set family_id = ? where family_id = ?", f4, f5));
        changes.put(
                "a device allowed home",
                h -> h.execute("update device set state = 'home_use' where asset_tag = 'T-2'"));
        changes.put(
                "a device returned",
                h ->
                        h.execute(
                                "update device set state = 'returned', child_id = null where asset_tag = 'T-3'"));
        changes.put(
                "a device lent to a child of another family",
                h ->
                        h.execute(
                                "update device set child_id = (select min(id) from child where family_id = ?) where asset_tag = 'T-4'",
                                f4));
        changes.put(
                "a new device lent",
                h ->
                        h.execute(
                                "insert into device (asset_tag, serial_number, model, child_id, state) "
                                        + "values ('T-9', 'SN-9', 'Lenovo', (select min(id) from child where family_id = ?), 'school_only')",
                                f3));
        changes.put(
                "a child changing school",
                h ->
                        h.execute(
                                "update child set school_id = ? where family_id = ? and school_id = ?",
                                town.schoolB,
                                f1,
                                town.schoolA));
        changes.put(
                "a sibling enrolled in another school",
                h ->
                        h.execute(
                                "insert into child (family_id, school_id, first_name, last_name, class_level) values (?, ?, 'Zoé', 'Un', 'CM1')",
                                f1,
                                town.schoolA));
        changes.put(
                "a child and its device gone",
                h -> {
                    h.execute(
                            "delete from device where child_id in (select id from child where family_id = ?)",
                            f5);
                    h.execute("delete from child where family_id = ?", f5);
                });
        changes.put(
                "a family's attendance deleted",
                h ->
                        h.execute(
                                "delete from attendance where guardian_id in (select id from guardian where family_id = ?)",
                                f1));
        changes.put(
                "a family merged into another (roster import)",
                h -> {
                    h.execute("update guardian set family_id = ? where family_id = ?", f2, f3);
                    h.execute("update child set family_id = ? where family_id = ?", f2, f3);
                    h.execute("update booking set family_id = ? where family_id = ?", f2, f3);
                    h.execute("delete from family where id = ?", f3);
                });
        changes.forEach(
                (name, change) -> {
                    jdbi.useTransaction(change::accept);
                    assertThat(kept()).as(name).isEqualTo(fromScratch());
                    assertThat(schoolsKept()).as(name).isEqualTo(schoolsFromScratch());
                });
        assertThat(Sql.count(jdbi, "select count(*) from family_progress where family_id = " + f3))
                .isZero();
    }

    @Test
    void the_dashboard_shows_a_change_as_soon_as_it_is_committed() {
        Http admin = SignIn.staff(app, TownFixture.ADMIN, TownFixture.PASSWORD);
        assertThat(DashboardTest.figures(admin.get("/roster").body(), TownFixture.A))
                .isEqualTo("3 / 1 / 1 / 1 / 1 of 3");
        jdbi.useHandle(
                h ->
                        h.execute(
                                "update booking set status = 'cancelled', ended_at = now() where family_id = ?",
                                town.f2));
        assertThat(DashboardTest.figures(admin.get("/roster").body(), TownFixture.A))
                .isEqualTo("3 / 1 / 0 / 2 / 1 of 3");
        jdbi.useHandle(
                h ->
                        h.execute(
                                "update attendance set mark = 'present' where guardian_id = ?",
                                guardianOf(town.f3)));
        assertThat(DashboardTest.figures(admin.get("/roster").body(), TownFixture.A))
                .isEqualTo("3 / 2 / 0 / 1 / 1 of 3");
    }

    /**
     * One transaction adds a guardian's earlier attendance while another undoes the other
     * guardian's: whatever the order they reach the family's row in, the row ends as both commits
     * say (trained, since the earlier session).
     */
    @Test
    void two_transactions_changing_one_family_at_once_both_count() throws Exception {
        long family = town.f1;
        long sophie = guardianOf(family);
        long second =
                jdbi.withHandle(
                        h -> TownFixture.guardian(h, family, "Omar", "Un", "fr", null, null));
        Instant threeWeeksAgo =
                Instant.now().minus(21, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        long earlier =
                jdbi.withHandle(
                        h ->
                                h.createQuery(
                                                """
                insert into workshop_session (workshop_type_id, school_id, room_id, starts_at, ends_at, capacity)
                select workshop_type_id, school_id, room_id, cast(:at as timestamptz), cast(:at as timestamptz) + interval '2 hours', 10
                from workshop_session where id = :past returning id""")
                                        .bind("at", threeWeeksAgo)
                                        .bind("past", town.qualifyingPast)
                                        .mapTo(Long.class)
                                        .one());

        try (Handle first = jdbi.open()) {
            first.begin();
            first.execute(
                    "insert into attendance (session_id, guardian_id, mark, marked_at) values (?, ?, 'present', now())",
                    earlier,
                    second);
            // Work the family's row out now (it is otherwise done at commit) and hold it until the
            // commit.
            first.execute("set constraints attendance_family_progress immediate");
            CompletableFuture<Void> other =
                    CompletableFuture.runAsync(
                            () ->
                                    jdbi.useTransaction(
                                            h ->
                                                    h.execute(
                                                            "update attendance set mark = null where guardian_id = ?",
                                                            sophie)));
            waitUntilALockIsAwaited();
            first.commit();
            other.get(30, TimeUnit.SECONDS);
        }
        assertThat(kept()).isEqualTo(fromScratch());
        assertThat(
                        Sql.bool(
                                jdbi,
                                "select trained_since = '"
                                        + threeWeeksAgo
                                        + "' from family_progress where family_id = "
                                        + family))
                .isTrue();
    }

    private void waitUntilALockIsAwaited() throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            if (Sql.count(jdbi, "select count(*) from pg_locks where not granted") > 0) return;
            Thread.sleep(20);
        }
        throw new AssertionError("the second transaction never waited for the family's row");
    }
}
