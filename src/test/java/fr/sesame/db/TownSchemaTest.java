package fr.sesame.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.sesame.support.TestDatabase;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rule of several towns (issue 17), checked on the schema the migrations build: every table has
 * its town and PostgreSQL's row-level security on it, every view and function obeys it, and the
 * app's role cannot bypass it. A table added by a later migration fails here until it follows the
 * rule (or is added, with its reason, to {@link #GLOBAL_TABLES}).
 */
class TownSchemaTest {
    /** The tables that belong to no town. */
    static final Set<String> GLOBAL_TABLES =
            Set.of(
                    // the towns themselves
                    "town",
                    // Flyway's record of the migrations applied
                    "flyway_schema_history");

    private static Database db;
    private static Jdbi owner;

    @BeforeAll
    static void migrate() throws Exception {
        db = TestDatabase.openFresh();
        owner = RowLevelSecurityTest.owner(db);
    }

    @AfterAll
    static void close() {
        db.close();
    }

    static List<String> tenantTables(Jdbi jdbi) {
        return jdbi.withHandle(
                h ->
                        h
                                .createQuery(
                                        """
                                        select c.relname from pg_class c
                                        where c.relnamespace = current_schema()::regnamespace
                                          and c.relkind in ('r', 'p') order by c.relname""")
                                .mapTo(String.class)
                                .list()
                                .stream()
                                .filter(t -> !GLOBAL_TABLES.contains(t))
                                .toList());
    }

    /** The tables without a town_id that cannot be null. */
    static List<String> tablesWithoutTown(Jdbi owner) {
        return owner.withHandle(
                h ->
                        h.createQuery(
                                        """
                                        select c.relname from pg_class c
                                        where c.relnamespace = current_schema()::regnamespace
                                          and c.relkind in ('r', 'p')
                                          and not exists (select 1 from pg_attribute a
                                                          where a.attrelid = c.oid and a.attname = 'town_id'
                                                            and a.attnotnull and not a.attisdropped
                                                            and a.atttypid = 'bigint'::regtype)
                                        order by 1""")
                                .mapTo(String.class)
                                .list());
    }

    /** The foreign keys, other than to town, whose first column is not town_id. */
    static List<String> plainForeignKeys(Jdbi owner) {
        return owner.withHandle(
                h ->
                        h.createQuery(
                                        """
                                        select con.conrelid::regclass || '.' || con.conname from pg_constraint con
                                        where con.contype = 'f' and con.connamespace = current_schema()::regnamespace
                                          and con.confrelid <> 'town'::regclass
                                          and (select attname from pg_attribute
                                               where attrelid = con.conrelid and attnum = con.conkey[1]) <> 'town_id'
                                        order by 1""")
                                .mapTo(String.class)
                                .list());
    }

    @Test
    void every_table_but_the_global_ones_has_a_town_id_that_cannot_be_null() {
        assertThat(tablesWithoutTown(owner)).containsExactlyInAnyOrderElementsOf(GLOBAL_TABLES);
        assertThat(tenantTables(owner)).contains("family", "booking", "guardian", "audit_log");
    }

    @Test
    void the_rule_catches_a_table_a_later_migration_adds_without_its_town() throws Exception {
        java.nio.file.Path extra =
                java.nio.file.Files.createTempDirectory("sesame-extra-migration");
        java.nio.file.Files.writeString(
                extra.resolve("V900__a_table_without_its_town.sql"),
                "create table forgotten (id bigint primary key, school_id bigint references school(id));\n");
        try (Database other = TestDatabase.openFresh()) {
            Migrations.apply(other.dataSource(), "filesystem:" + extra);
            Jdbi o = RowLevelSecurityTest.owner(other);
            assertThat(tablesWithoutTown(o)).contains("forgotten");
            assertThat(plainForeignKeys(o)).containsExactly("forgotten.forgotten_school_id_fkey");
        }
    }

    @Test
    void every_tenant_table_forces_row_level_security_with_the_town_policy() {
        for (String table : tenantTables(owner)) {
            boolean forced =
                    owner.withHandle(
                            h ->
                                    h.createQuery(
                                                    "select relrowsecurity and relforcerowsecurity from pg_class "
                                                            + "where oid = cast(:t as regclass)")
                                            .bind("t", table)
                                            .mapTo(Boolean.class)
                                            .one());
            assertThat(forced).as(table + ": row-level security enabled and forced").isTrue();
            List<String> policies =
                    owner.withHandle(
                            h ->
                                    h.createQuery(
                                                    """
                                                    select cmd || ' ' || coalesce(qual, '-') || ' ' || coalesce(with_check, '-')
                                                    from pg_policies where schemaname = current_schema() and tablename = :t""")
                                            .bind("t", table)
                                            .mapTo(String.class)
                                            .list());
            assertThat(policies)
                    .as(table + ": one policy for every command, on the current town")
                    .containsExactly("ALL (town_id = current_town()) (town_id = current_town())");
            String fallback =
                    owner.withHandle(
                            h ->
                                    h.createQuery(
                                                    """
                                                    select pg_get_expr(d.adbin, d.adrelid) from pg_attrdef d
                                                    join pg_attribute a on a.attrelid = d.adrelid and a.attnum = d.adnum
                                                    where d.adrelid = cast(:t as regclass) and a.attname = 'town_id'""")
                                            .bind("t", table)
                                            .mapTo(String.class)
                                            .findOne()
                                            .orElse(null));
            assertThat(fallback)
                    .as(table + ": town_id defaults to the current town")
                    .isEqualTo("current_town()");
        }
    }

    @Test
    void every_foreign_key_between_tenant_tables_goes_through_the_town() {
        assertThat(plainForeignKeys(owner))
                .as("foreign keys that could name another town's row")
                .isEmpty();
    }

    @Test
    void a_town_is_never_deleted_nor_renumbered_even_by_the_owner() {
        // town_id has no foreign key to town (it would lock the town's row at every insert)
        for (String change :
                List.of(
                        "delete from town where id = 1",
                        "update town set id = default where id = 1",
                        "truncate town cascade")) {
            assertThatThrownBy(() -> owner.useHandle(h -> h.execute(change)))
                    .as(change)
                    .hasMessageContaining("a town is never deleted nor renumbered");
        }
        long towns =
                owner.withHandle(
                        h ->
                                h.select("select count(*) from town where id = 1")
                                        .mapTo(Long.class)
                                        .one());
        assertThat(towns).isEqualTo(1L);
    }

    @Test
    void views_and_functions_run_with_the_rights_of_who_calls_them() {
        List<String> definerViews =
                owner.withHandle(
                        h ->
                                h.createQuery(
                                                """
                                                select relname from pg_class
                                                where relnamespace = current_schema()::regnamespace and relkind in ('v', 'm')
                                                  and not coalesce('security_invoker=true' = any(reloptions), false)""")
                                        .mapTo(String.class)
                                        .list());
        assertThat(definerViews).isEmpty();
        List<String> definerFunctions =
                owner.withHandle(
                        h ->
                                h.createQuery(
                                                "select proname from pg_proc where pronamespace = current_schema()::regnamespace and prosecdef")
                                        .mapTo(String.class)
                                        .list());
        assertThat(definerFunctions).isEmpty();
    }

    @Test
    void the_pool_runs_as_a_role_that_cannot_bypass_row_level_security() {
        String role =
                db.jdbi()
                        .withHandle(h -> h.select("select current_user").mapTo(String.class).one());
        assertThat(role).isEqualTo(Database.APP_ROLE);
        boolean mighty =
                owner.withHandle(
                        h ->
                                h.createQuery(
                                                "select rolsuper or rolbypassrls or rolcanlogin from pg_roles where rolname = 'sesame_app'")
                                        .mapTo(Boolean.class)
                                        .one());
        assertThat(mighty).isFalse();
        int owned =
                owner.withHandle(
                        h ->
                                h.createQuery(
                                                "select count(*) from pg_class where relowner = 'sesame_app'::regrole")
                                        .mapTo(Integer.class)
                                        .one());
        assertThat(owned).isZero();
        int version =
                owner.withHandle(
                        h -> h.select("show server_version_num").mapTo(Integer.class).one());
        assertThat(version)
                .as("security_invoker views need PostgreSQL 15")
                .isGreaterThanOrEqualTo(150000);
    }
}
