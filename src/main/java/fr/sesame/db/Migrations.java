package fr.sesame.db;

import com.zaxxer.hikari.HikariDataSource;
import fr.sesame.Config;
import fr.sesame.Config.ConfigException;
import java.net.URI;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * Applies the SQL files of migrations/ (packaged as db/migration) with Flyway, as the user that
 * connects (the owner), never as the pool's {@link Database#APP_ROLE}: given the app's pool, it
 * opens connections of its own with the pool's URL and credentials.
 */
public final class Migrations {
    private Migrations() {}

    /**
     * The first town, which the data already there is moved into when V30 runs (TOWN_NAME,
     * TOWN_CONTACT and BASE_URL's host name).
     */
    public record FirstTown(String name, String host, String contact) {
        public static final FirstTown DEFAULT = new FirstTown("Ma commune", "", "");

        public static FirstTown of(Config config) {
            String host = "";
            try {
                String h = URI.create(config.baseUrl()).getHost();
                if (h != null) host = h.toLowerCase(Locale.ROOT);
            } catch (IllegalArgumentException e) {
                // BASE_URL was checked by Config; no host then
            }
            return new FirstTown(config.townName(), host, config.townContact());
        }

        String slug() {
            String ascii =
                    Normalizer.normalize(name, Normalizer.Form.NFD)
                            .replaceAll("\\p{M}", "")
                            .toLowerCase(Locale.ROOT)
                            .replaceAll("[^a-z0-9]+", "-")
                            .replaceAll("^-+|-+$", "");
            if (ascii.length() > 63) ascii = ascii.substring(0, 63).replaceAll("-+$", "");
            return ascii.isEmpty() ? "town-1" : ascii;
        }

        Map<String, String> placeholders() {
            return Map.of(
                    "town_slug", quoted(slug()),
                    "town_name", quoted(name),
                    "town_host", quoted(host),
                    "town_contact", quoted(contact));
        }

        /** Inside a SQL string literal. */
        private static String quoted(String value) {
            return value == null ? "" : value.replace("'", "''");
        }
    }

    public static int apply(DataSource dataSource) {
        return apply(dataSource, FirstTown.DEFAULT);
    }

    public static int apply(DataSource dataSource, FirstTown firstTown) {
        return apply(dataSource, firstTown, null, new String[0]);
    }

    /** Applies the migrations, with extra locations (tests use this to try a broken migration). */
    public static int apply(DataSource dataSource, String... extraLocations) {
        return apply(dataSource, FirstTown.DEFAULT, null, extraLocations);
    }

    /**
     * Applies the migrations up to {@code target} (a version such as "21"; null: all), with extra
     * locations.
     */
    public static int apply(
            DataSource dataSource, FirstTown firstTown, String target, String... extraLocations) {
        String[] locations = new String[extraLocations.length + 1];
        locations[0] = "classpath:db/migration";
        System.arraycopy(extraLocations, 0, locations, 1, extraLocations.length);
        try {
            FluentConfiguration flyway =
                    Flyway.configure().locations(locations).placeholders(firstTown.placeholders());
            HikariDataSource pool = hikariOf(dataSource);
            if (pool != null)
                flyway.dataSource(pool.getJdbcUrl(), pool.getUsername(), pool.getPassword());
            else flyway.dataSource(dataSource);
            if (target != null) flyway.target(target);
            return flyway.load().migrate().migrationsExecuted;
        } catch (FlywayException e) {
            throw new ConfigException(
                    "A database migration failed and was rolled back; the schema is as it was. "
                            + "Cause: "
                            + Database.rootMessage(e));
        }
    }

    private static HikariDataSource hikariOf(DataSource dataSource) {
        if (dataSource instanceof HikariDataSource h) return h;
        if (dataSource instanceof NoTownDataSource n) return n.pool();
        return null;
    }
}
