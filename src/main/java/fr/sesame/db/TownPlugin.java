package fr.sesame.db;

import java.sql.SQLException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.spi.JdbiPlugin;

/**
 * Sets the current town on the connection of every handle as it opens (onDemand DAOs, withHandle,
 * inTransaction alike): the one place, so that no DAO names its town.
 */
final class TownPlugin implements JdbiPlugin {
    private final Towns towns;

    TownPlugin(Towns towns) {
        this.towns = towns;
    }

    @Override
    public void customizeJdbi(Jdbi jdbi) {
        jdbi.getConfig(Towns.Config.class).towns = towns;
    }

    @Override
    public Handle customizeHandle(Handle handle) throws SQLException {
        towns.applyCurrent(handle.getConnection());
        return handle;
    }
}
