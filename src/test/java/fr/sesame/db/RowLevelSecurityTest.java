package fr.sesame.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.sesame.demo.DemoSeed;
import fr.sesame.support.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The proof that PostgreSQL keeps each town to its rows (issue 17): two towns, each with the demo
 * town's data, read and written through the app's own pool and Jdbi, for every tenant table.
 */
class RowLevelSecurityTest {
    private static Database db;
    private static Jdbi owner;
    private static List<String> tables;
    private static long townB;

    /** A Jdbi connected as the owner of the schema (the migrations' user), outside the pool. */
    static Jdbi owner(Database db) {
        return fr.sesame.support.TwoTowns.owner(db);
    }

    @BeforeAll
    static void twoTowns() throws Exception {
        db = TestDatabase.openFresh();
        owner = owner(db);
        townB =
                owner.withHandle(
                        h ->
                                h.select(
                                                "insert into town (slug, name, host) values ('b', 'Town B', 'b.test') returning id")
                                        .mapTo(Long.class)
                                        .one());
        db.towns().reload();
        db.towns().in(1, () -> new DemoSeed(db.jdbi()).seed());
        db.towns().in(townB, () -> new DemoSeed(db.jdbi()).seed());
        tables = TownSchemaTest.tenantTables(owner);
    }

    @AfterAll
    static void close() {
        db.close();
    }

    private static int count(Jdbi jdbi, String sql) {
        return jdbi.withHandle(h -> h.select(sql).mapTo(Integer.class).one());
    }

    @Test
    void both_towns_have_rows_in_the_main_tables() {
        for (String t :
                List.of("school", "family", "guardian", "child", "device", "workshop_session")) {
            assertThat(count(owner, "select count(*) from " + t + " where town_id = 1"))
                    .as(t)
                    .isPositive();
            assertThat(count(owner, "select count(*) from " + t + " where town_id = " + townB))
                    .as(t)
                    .isPositive();
        }
    }

    @Test
    void a_pooled_connection_without_a_town_reads_no_row_of_any_tenant_table() throws Exception {
        // a handle in town B first, so that the connection has held a town before it went back
        db.towns().in(townB, () -> count(db.jdbi(), "select count(*) from family"));
        try (Connection c = db.dataSource().getConnection();
                Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("select current_user, current_town()")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo(Database.APP_ROLE);
                assertThat(rs.getObject(2)).isNull();
            }
            for (String t : tables) {
                try (ResultSet rs = st.executeQuery("select count(*) from " + t)) {
                    rs.next();
                    assertThat(rs.getInt(1)).as(t + " without a town").isZero();
                }
            }
        }
    }

    @Test
    void in_each_town_every_tenant_table_shows_that_towns_rows_only_and_all_of_them() {
        for (long town : List.of(1L, townB)) {
            for (String t : tables) {
                int seen = db.towns().in(town, () -> count(db.jdbi(), "select count(*) from " + t));
                int other =
                        db.towns()
                                .in(
                                        town,
                                        () ->
                                                count(
                                                        db.jdbi(),
                                                        "select count(*) from "
                                                                + t
                                                                + " where town_id <> "
                                                                + town));
                int actual = count(owner, "select count(*) from " + t + " where town_id = " + town);
                assertThat(other).as(t + " of another town, from town " + town).isZero();
                assertThat(seen).as(t + " in town " + town).isEqualTo(actual);
            }
        }
    }

    @Test
    void a_town_cannot_write_a_row_for_another_town_nor_point_at_one() {
        long sessionOfB =
                count(owner, "select min(id) from workshop_session where town_id = " + townB);
        db.towns()
                .in(
                        1,
                        () -> {
                            assertThatThrownBy(
                                            () ->
                                                    db.jdbi()
                                                            .useHandle(
                                                                    h ->
                                                                            h.execute(
                                                                                    "insert into school (town_id, uai, name) values (?, '0219999Z', 'Intruse')",
                                                                                    townB)))
                                    .hasMessageContaining("row-level security");
                            // a guardian of town 1 booking town B's session: the foreign key goes
                            // through the town
                            assertThatThrownBy(
                                            () ->
                                                    db.jdbi()
                                                            .useHandle(
                                                                    h ->
                                                                            h.execute(
                                                                                    """
                                                                                    insert into booking (session_id, family_id, guardian_id)
                                                                                    select ?, g.family_id, g.id from guardian g limit 1""",
                                                                                    sessionOfB)))
                                    .hasMessageContaining("foreign key");
                            int changed =
                                    db.jdbi()
                                            .withHandle(
                                                    h ->
                                                            h.execute(
                                                                    "update workshop_session set capacity = capacity + 1 where id = ?",
                                                                    sessionOfB));
                            assertThat(changed).isZero();
                            return null;
                        });
        assertThat(count(owner, "select count(*) from school where uai = '0219999Z'")).isZero();
    }

    @Test
    void a_row_inserted_in_a_town_takes_its_town_and_so_do_the_rows_its_triggers_write() {
        db.towns()
                .in(
                        townB,
                        () -> {
                            db.jdbi()
                                    .useHandle(
                                            h ->
                                                    h.execute(
                                                            "update device set state = 'home_use' where state = 'school_only'"));
                            return null;
                        });
        assertThat(
                        count(
                                owner,
                                "select count(*) from device_change where town_id <> 1 and town_id <> "
                                        + townB))
                .isZero();
        assertThat(
                        count(
                                owner,
                                "select count(*) from device_change c join device d on d.id = c.device_id where c.town_id <> d.town_id"))
                .isZero();
        assertThat(count(owner, "select count(*) from device_change where town_id = " + townB))
                .isPositive();
    }
}
