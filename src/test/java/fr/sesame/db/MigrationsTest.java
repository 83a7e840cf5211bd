package fr.sesame.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.sesame.Config;
import fr.sesame.Config.ConfigException;
import fr.sesame.support.Sql;
import fr.sesame.support.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

class MigrationsTest {

    @Test
    void a_failed_migration_leaves_the_schema_as_it_was_and_stops_start_up() throws Exception {
        Path extra = Files.createTempDirectory("bad-migrations");
        Files.writeString(
                extra.resolve("V900__broken.sql"),
                "create table half_done (id int);\ninsert into no_such_table values (1);\n");
        try (Database db =
                Database.open(Config.fromEnvironment(TestDatabase.freshDatabaseEnv(), false))) {
            Migrations.apply(db.dataSource());
            assertThatThrownBy(() -> Migrations.apply(db.dataSource(), "filesystem:" + extra))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("migration failed and was rolled back");
            Jdbi jdbi = db.jdbi();
            assertThat(Sql.bool(jdbi, "select to_regclass('half_done') is null")).isTrue();
            assertThat(
                            Sql.count(
                                    jdbi,
                                    "select count(*) from flyway_schema_history where version = '900' and success"))
                    .isZero();
        }
    }

    @Test
    void the_schema_holds_the_rules_the_database_can_hold() {
        try (Database db = TestDatabase.openFresh()) {
            Jdbi jdbi = db.jdbi();
            jdbi.useHandle(
                    h -> {
                        h.execute("insert into school (uai, name) values ('0211111A', 'A')");
                        h.execute(
                                "insert into room (school_id, name, seats) select id, 'R', 10 from school");
                        h.execute(
                                "insert into workshop_type (code, title_fr, title_en, duration_minutes) values ('w', 'W', 'W', 60)");
                    });
            String session =
                    "insert into workshop_session (workshop_type_id, school_id, room_id, starts_at, ends_at, capacity) "
                            + "select w.id, s.id, r.id, now() + interval '1 day', now() + interval '1 day' + interval '%s', %d "
                            + "from workshop_type w, school s, room r";
            assertThatThrownBy(() -> jdbi.useHandle(h -> h.execute(session.formatted("1 hour", 0))))
                    .hasMessageContaining("check");
            assertThatThrownBy(
                            () -> jdbi.useHandle(h -> h.execute(session.formatted("-1 hour", 10))))
                    .hasMessageContaining("check");
            assertThatThrownBy(
                            () ->
                                    jdbi.useHandle(
                                            h ->
                                                    h.execute(
                                                            "insert into school (uai, name) values ('bad', 'B')")))
                    .hasMessageContaining("check");
            jdbi.useHandle(
                    h -> {
                        h.execute(session.formatted("1 hour", 1));
                        h.execute("insert into family (reference) values ('F1')");
                        h.execute(
                                "insert into guardian (family_id, first_name, last_name) select id, 'A', 'B' from family");
                        h.execute(
                                "insert into booking (session_id, family_id, guardian_id) "
                                        + "select s.id, g.family_id, g.id from workshop_session s, guardian g");
                    });
            // one active booking per guardian and session
            assertThatThrownBy(
                            () ->
                                    jdbi.useHandle(
                                            h ->
                                                    h.execute(
                                                            "insert into booking (session_id, family_id, guardian_id) "
                                                                    + "select s.id, g.family_id, g.id from workshop_session s, guardian g")))
                    .hasMessageContaining("booking_one_active_per_guardian_session");
            // capacity is never exceeded
            assertThatThrownBy(
                            () ->
                                    jdbi.useHandle(
                                            h ->
                                                    h.execute(
                                                            "update workshop_session set booked = capacity + 1")))
                    .hasMessageContaining("check");
        }
    }
}
