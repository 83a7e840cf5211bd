package fr.sesame.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.sesame.Config;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The embedded PostgreSQL opens only with its folder's password, and a stale one never blocks a
 * start.
 */
class EmbeddedDatabaseAccessTest {

    private static Config embeddedIn(Path dir) {
        return Config.fromEnvironment(Map.of("SESAME_DATA_DIR", dir.toString()), false);
    }

    private static String url(EmbeddedPostgres pg) {
        return "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/postgres";
    }

    private static String one(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void
            a_connection_without_the_secret_or_with_a_wrong_one_is_refused_and_the_secret_is_for_its_owner_only()
                    throws Exception {
        Path dir = Files.createTempDirectory("sesame-pg-access");
        try (EmbeddedPostgres pg = Database.startEmbedded(dir)) {
            assertThatThrownBy(() -> DriverManager.getConnection(url(pg), "postgres", null).close())
                    .isInstanceOf(SQLException.class);
            assertThatThrownBy(
                            () ->
                                    DriverManager.getConnection(url(pg), "postgres", "postgres")
                                            .close())
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("password authentication failed");
            String secret = Files.readString(dir.resolve("sesame-password")).trim();
            assertThat(secret)
                    .isEqualTo(Database.embeddedPassword(dir))
                    .hasSizeGreaterThanOrEqualTo(32);
            assertThat(
                            PosixFilePermissions.toString(
                                    Files.getPosixFilePermissions(dir.resolve("sesame-password"))))
                    .isEqualTo("rw-------");
            try (Connection c = DriverManager.getConnection(url(pg), "postgres", secret)) {
                assertThat(
                                one(
                                        c,
                                        "select rolpassword like 'SCRAM-SHA-256$%' from pg_authid where rolname = 'postgres'"))
                        .isEqualTo("t");
            }
            assertThat(Files.readString(dir.resolve("pg_hba.conf"))).doesNotContain("trust");
        }
    }

    @Test
    void a_folder_made_by_the_earlier_trusting_version_is_locked_at_start_and_keeps_its_data()
            throws Exception {
        Path dir = Files.createTempDirectory("sesame-pg-upgrade");
        // what Sésame did before: zonky's defaults, which trust every local user
        try (EmbeddedPostgres old =
                        EmbeddedPostgres.builder()
                                .setDataDirectory(dir)
                                .setCleanDataDirectory(false)
                                .start();
                Connection c = DriverManager.getConnection(url(old), "postgres", null);
                Statement st = c.createStatement()) {
            st.execute("create table kept (v text); insert into kept values ('encore là')");
        }
        assertThat(Files.readString(dir.resolve("pg_hba.conf"))).contains("trust");

        try (EmbeddedPostgres pg = Database.startEmbedded(dir)) {
            assertThatThrownBy(() -> DriverManager.getConnection(url(pg), "postgres", null).close())
                    .isInstanceOf(SQLException.class);
            try (Connection c =
                    DriverManager.getConnection(
                            url(pg), "postgres", Database.embeddedPassword(dir))) {
                assertThat(one(c, "select v from kept")).isEqualTo("encore là");
            }
        }
        // and the next start finds it done
        try (EmbeddedPostgres pg = Database.startEmbedded(dir);
                Connection c =
                        DriverManager.getConnection(
                                url(pg), "postgres", Database.embeddedPassword(dir))) {
            assertThat(one(c, "select v from kept")).isEqualTo("encore là");
        }
    }

    @Test
    void a_pid_file_naming_another_program_leaves_that_program_alone_and_the_database_starts()
            throws Exception {
        Path dir = Files.createTempDirectory("sesame-pg-stale");
        try (Database db = Database.open(embeddedIn(dir))) {
            assertThat(db.isUp()).isTrue();
        }
        Process other = new ProcessBuilder("sleep", "60").start();
        try {
            Files.writeString(
                    dir.resolve("pg/postmaster.pid"),
                    other.pid() + "\n" + dir.resolve("pg") + "\n");
            try (Database db = Database.open(embeddedIn(dir))) {
                assertThat(db.isUp()).isTrue();
            }
            assertThat(other.isAlive()).as("the other program still runs").isTrue();
            assertThat(StalePostmaster.isPostgresOf(other.pid(), dir.resolve("pg")))
                    .contains(false);
        } finally {
            other.destroy();
            other.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
