package fr.sesame.db;

import fr.sesame.Config.ConfigException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/** Applies the SQL files of migrations/ (packaged as db/migration) with Flyway. */
public final class Migrations {
    private Migrations() {
    }

    public static int apply(DataSource dataSource) {
        try {
            return Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/migration")
                    .load()
                    .migrate()
                    .migrationsExecuted;
        } catch (FlywayException e) {
            throw new ConfigException("A database migration failed and was rolled back; the schema is as it was. "
                    + "Cause: " + Database.rootMessage(e));
        }
    }
}
