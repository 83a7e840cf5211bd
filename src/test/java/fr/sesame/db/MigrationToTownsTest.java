package fr.sesame.db;

import static org.assertj.core.api.Assertions.assertThat;

import fr.sesame.Config;
import fr.sesame.support.Http;
import fr.sesame.support.SignIn;
import fr.sesame.support.TestApp;
import fr.sesame.support.TestDatabase;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * A database of a single-town deployment, as it was before several towns (V21), with data, then
 * migrated: every row is in the first town, none is lost, and the app works on it.
 */
class MigrationToTownsTest {
    private static final Pattern TOKEN = Pattern.compile("name=\"token\" value=\"([^\"]+)\"");

    @Test
    void a_v21_database_moves_into_its_first_town_without_loss_and_the_app_books_on_it()
            throws Exception {
        Map<String, String> env = TestDatabase.freshDatabaseEnv();
        Config config = Config.fromEnvironment(env, false);
        Map<String, Long> before = new LinkedHashMap<>();
        Jdbi owner;
        try (Database db = Database.open(config)) {
            Migrations.apply(
                    db.dataSource(),
                    new Migrations.FirstTown("Chenôve", "chenove.sesame.test", "Mairie, 03 80"),
                    "21");
            owner = RowLevelSecurityTest.owner(db);
            owner.useHandle(
                    h ->
                            h.createScript(
                                            """
                                            insert into school (uai, name) values ('0211234A', 'École Jules Ferry');
                                            insert into room (school_id, name, seats) select id, 'Salle 1', 20 from school;
                                            insert into workshop_type (code, title_fr, title_en, duration_minutes)
                                                values ('premiers-pas', 'Premiers pas', 'First steps', 90);
                                            insert into workshop_session (workshop_type_id, school_id, room_id, starts_at, ends_at, capacity)
                                                select w.id, s.id, r.id, now() + interval '10 days', now() + interval '10 days 90 minutes', 12
                                                from workshop_type w, school s, room r;
                                            insert into family (reference, letter_code) values ('F-1', 'K7M49PQX'), ('F-2', 'K7M49PQY');
                                            insert into guardian (family_id, first_name, last_name, email)
                                                select id, 'Amina', 'Diallo', 'amina@example.test' from family where reference = 'F-1';
                                            insert into guardian (family_id, first_name, last_name)
                                                select id, 'Paul', 'Martin' from family where reference = 'F-2';
                                            insert into child (family_id, school_id, first_name, last_name, class_level)
                                                select f.id, s.id, 'Lina', 'Diallo', 'CM1' from family f, school s where f.reference = 'F-1';
                                            insert into child (family_id, school_id, first_name, last_name, class_level)
                                                select f.id, s.id, 'Noé', 'Martin', 'CM2' from family f, school s where f.reference = 'F-2';
                                            insert into device (asset_tag, serial_number, model, child_id, state)
                                                select 'PC-' || id, 'SN-' || id, 'Portable', id, 'school_only' from child;
                                            insert into staff_account (email, display_name, role) values ('admin@ville.test', 'Admin', 'admin');
                                            insert into booking (session_id, family_id, guardian_id)
                                                select s.id, g.family_id, g.id from workshop_session s, guardian g where g.first_name = 'Paul';
                                            update workshop_session set booked = 1;
                                            insert into audit_log (actor, action, entity) values ('test', 'seed', 'none');
                                            """)
                                    .execute());
            for (String t : tables(owner)) before.put(t, count(owner, "select count(*) from " + t));
            assertThat(before.get("family_progress")).as("the triggers ran at V21").isPositive();

            Migrations.apply(
                    db.dataSource(),
                    new Migrations.FirstTown("Chenôve", "chenove.sesame.test", "Mairie, 03 80"));

            for (Map.Entry<String, Long> t : before.entrySet()) {
                assertThat(count(owner, "select count(*) from " + t.getKey()))
                        .as(t.getKey())
                        .isEqualTo(t.getValue());
                assertThat(
                                count(
                                        owner,
                                        "select count(*) from "
                                                + t.getKey()
                                                + " where town_id <> 1"))
                        .as(t.getKey() + " outside town 1")
                        .isZero();
            }
            Map<String, Object> town =
                    owner.withHandle(h -> h.select("select * from town").mapToMap().one());
            assertThat(town)
                    .containsEntry("id", 1L)
                    .containsEntry("slug", "chenove")
                    .containsEntry("name", "Chenôve")
                    .containsEntry("host", "chenove.sesame.test")
                    .containsEntry("contact", "Mairie, 03 80");
        }

        try (TestApp app = TestApp.startWithEnv(env)) {
            Http parent = SignIn.parent(app, "K7M4-9PQX", "Lina");
            long session = count(owner, "select id from workshop_session");
            HttpResponse<String> page = parent.get("/sessions/" + session);
            assertThat(page.statusCode()).isEqualTo(200);
            Matcher token = TOKEN.matcher(page.body());
            assertThat(token.find()).isTrue();
            HttpResponse<String> booked =
                    parent.postForm(
                            "/sessions/" + session + "/book", Map.of("token", token.group(1)));
            assertThat(booked.statusCode()).isEqualTo(302);
            assertThat(parent.follow(booked).body()).contains("Mes réservations");
            assertThat(count(owner, "select booked from workshop_session")).isEqualTo(2);
            assertThat(count(owner, "select count(*) from booking where town_id = 1")).isEqualTo(2);
        }
    }

    private static List<String> tables(Jdbi owner) {
        return owner.withHandle(
                h ->
                        h.select(
                                        "select relname from pg_class where relnamespace = current_schema()::regnamespace "
                                                + "and relkind = 'r' and relname <> 'flyway_schema_history' order by 1")
                                .mapTo(String.class)
                                .list());
    }

    private static long count(Jdbi jdbi, String sql) {
        return jdbi.withHandle(h -> h.select(sql).mapTo(Long.class).one());
    }
}
