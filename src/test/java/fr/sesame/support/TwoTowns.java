package fr.sesame.support;

import com.zaxxer.hikari.HikariDataSource;
import fr.sesame.db.Database;
import fr.sesame.db.Towns;
import fr.sesame.demo.DemoSeed;
import java.sql.SQLException;
import org.jdbi.v3.core.Jdbi;

/**
 * Two towns in one test app (issue 17): town A, the first, at {@code localhost}, and town B at
 * {@code 127.0.0.1}, seeded like the demo; towns are made by the database's owner (the app's role
 * only reads them).
 */
public final class TwoTowns {
    private TwoTowns() {}

    /** The database's owner, on the app's own connection settings: it reads past the towns. */
    public static Jdbi owner(Database db) {
        try {
            HikariDataSource pool = db.dataSource().unwrap(HikariDataSource.class);
            return Jdbi.create(pool.getJdbcUrl(), pool.getUsername(), pool.getPassword());
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Puts town A at localhost, adds town B at 127.0.0.1 with the demo's data; returns B's id. */
    public static long addTownB(TestApp app, Jdbi owner) {
        Towns towns = app.app().database().towns();
        owner.useHandle(h -> h.execute("update town set host = 'localhost' where id = 1"));
        long townB =
                owner.withHandle(
                        h ->
                                h.select(
                                                "insert into town (slug, name, host) values ('b', 'Town B', '127.0.0.1') returning id")
                                        .mapTo(Long.class)
                                        .one());
        towns.reload();
        towns.in(townB, () -> new DemoSeed(app.jdbi()).seed());
        return townB;
    }
}
