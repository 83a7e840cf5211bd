package fr.sesame.db;

import fr.sesame.Config.ConfigException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/** Applies the SQL files of migrations/ (packaged as db/migration) with Flyway. */
public final class Migrations {
    private Migrations() {}

    public static int apply(DataSource dataSource) {
        return apply(dataSource, new String[0]);
    }

    /** Applies the migrations, with extra locations (tests use this to try a broken migration). */
    public static int apply(DataSource dataSource, String... extraLocations) {
        String[] locations = new String[extraLocations.length + 1];
        locations[0] = "classpath:db/migration";
        System.arraycopy(extraLocations, 0, locations, 1, extraLocations.length);
        try {
            return Flyway.configure()
                    .dataSource(dataSource)
                    .locations(locations)
                    .load()
                    .migrate()
                    .migrationsExecuted;
        } catch (FlywayException e) {
            throw new ConfigException(
                    "A database migration failed and was rolled back; the schema is as it was. "
                            + "Cause: "
                            + Database.rootMessage(e));
        }
    }
}
