package fr.sesame.web;

import static org.assertj.core.api.Assertions.assertThat;

import fr.sesame.db.Database;
import fr.sesame.support.TestApp;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HealthRecoveryTest {

    @Test
    void health_reports_the_database_down_then_recovers_by_itself_when_it_comes_back()
            throws Exception {
        Path dir = Files.createTempDirectory("sesame-health-pg");
        int pgPort = TestApp.freePort();
        EmbeddedPostgres pg = Database.startEmbedded(dir, pgPort);
        Map<String, String> env =
                Map.of(
                        "DATABASE_URL",
                        pg.getJdbcUrl("postgres", "postgres"),
                        "DATABASE_USER",
                        "postgres",
                        "DATABASE_PASSWORD",
                        Database.embeddedPassword(dir));
        try (TestApp app = TestApp.startWithEnv(env)) {
            assertThat(app.client().get("/health").statusCode()).isEqualTo(200);

            pg.close();
            HttpResponse<String> down = app.client().get("/health");
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.body()).isEqualTo("{\"status\":\"down\",\"database\":\"down\"}");
            // pages that do not need the database keep working
            assertThat(app.client().get("/").statusCode()).isEqualTo(200);
            // pages that do say so in the visitor's language, revealing nothing internal
            HttpResponse<String> page = app.client().get("/sign-in/code");
            assertThat(page.statusCode()).isEqualTo(503);
            assertThat(page.body())
                    .contains("Sésame est momentanément indisponible")
                    .doesNotContainIgnoringCase("exception")
                    .doesNotContainIgnoringCase("sql")
                    .doesNotContainIgnoringCase("postgres")
                    .doesNotContain("jdbc");

            pg = Database.startEmbedded(dir, pgPort);
            int status = 0;
            for (int i = 0; i < 50 && status != 200; i++) {
                status = app.client().get("/health").statusCode();
                if (status != 200) Thread.sleep(200);
            }
            assertThat(status).isEqualTo(200);
        } finally {
            pg.close();
        }
    }
}
