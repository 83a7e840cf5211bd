package fr.sesame.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.sesame.Config;
import fr.sesame.Config.ConfigException;
import fr.sesame.support.Sql;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmbeddedDatabaseTest {

    private static Config embeddedIn(Path dir) {
        return Config.fromEnvironment(Map.of("SESAME_DATA_DIR", dir.toString()), false);
    }

    @Test
    void data_survives_a_restart_on_the_same_data_directory() throws Exception {
        Path dir = Files.createTempDirectory("sesame-data");
        try (Database db = Database.open(embeddedIn(dir))) {
            Migrations.apply(db.dataSource());
            db.jdbi()
                    .useHandle(
                            h ->
                                    h.execute(
                                            "insert into school (uai, name) values ('0210001X', 'École de la persistance')"));
        }
        assertThat(dir.resolve("pg/PG_VERSION")).exists();
        try (Database db = Database.open(embeddedIn(dir))) {
            assertThat(Migrations.apply(db.dataSource())).isZero();
            String name = Sql.text(db.jdbi(), "select name from school where uai = '0210001X'");
            assertThat(name).isEqualTo("École de la persistance");
        }
    }

    @Test
    void a_second_instance_on_the_same_data_directory_refuses_to_start_with_a_clear_message()
            throws Exception {
        Path dir = Files.createTempDirectory("sesame-data");
        try (Database first = Database.open(embeddedIn(dir))) {
            assertThatThrownBy(() -> Database.open(embeddedIn(dir)))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("Another Sésame is already running on the data directory")
                    .hasMessageContaining("SESAME_DATA_DIR");
            assertThat(first.isUp()).isTrue();
        }
    }

    @Test
    void the_embedded_server_is_postgresql_17() throws Exception {
        Path dir = Files.createTempDirectory("sesame-data");
        try (Database db = Database.open(embeddedIn(dir))) {
            String version = Sql.text(db.jdbi(), "show server_version");
            assertThat(version).startsWith("17.");
        }
    }
}
