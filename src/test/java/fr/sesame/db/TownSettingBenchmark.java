package fr.sesame.db;

import fr.sesame.support.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.jdbi.v3.core.Jdbi;

/**
 * What setting the town on each Jdbi handle costs (issue 17), on the test PostgreSQL: a handle that
 * runs one query, (1) straight on the pool without the town plugin, (2) through the app's Jdbi
 * always in the same town (the connection keeps its town: no round trip), (3) through it in two
 * towns in turn (one {@code set_config} round trip per handle). Prints microseconds per handle.
 *
 * <pre>
 * mvn -q -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) fr.sesame.db.TownSettingBenchmark 20000
 * </pre>
 */
public final class TownSettingBenchmark {
    private TownSettingBenchmark() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        try (Database db = TestDatabase.openFresh()) {
            Jdbi owner = RowLevelSecurityTest.owner(db);
            long townB =
                    owner.withHandle(
                            h ->
                                    h.select(
                                                    "insert into town (slug, name, host) values ('b', 'B', 'b.test') returning id")
                                            .mapTo(Long.class)
                                            .one());
            db.towns().reload();
            Jdbi plain =
                    Database.createJdbi(
                            db.dataSource().unwrap(com.zaxxer.hikari.HikariDataSource.class));
            for (int round = 0; round < 4; round++) {
                double raw = perHandle(n, i -> plain.withHandle(h -> query(h.getConnection())));
                double same =
                        perHandle(
                                n,
                                i ->
                                        db.towns()
                                                .in(
                                                        1,
                                                        () ->
                                                                db.jdbi()
                                                                        .withHandle(
                                                                                h ->
                                                                                        query(
                                                                                                h
                                                                                                        .getConnection()))));
                double alternating =
                        perHandle(
                                n,
                                i ->
                                        db.towns()
                                                .in(
                                                        i % 2 == 0 ? 1 : townB,
                                                        () ->
                                                                db.jdbi()
                                                                        .withHandle(
                                                                                h ->
                                                                                        query(
                                                                                                h
                                                                                                        .getConnection()))));
                System.out.printf(
                        "round %d, %d handles: without the plugin %.1f us, same town %.1f us, two towns in turn %.1f us per handle%n",
                        round, n, raw, same, alternating);
            }
        }
    }

    interface Work {
        Object run(int i) throws Exception;
    }

    private static double perHandle(int n, Work work) throws Exception {
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) work.run(i);
        return (System.nanoTime() - start) / 1000.0 / n;
    }

    private static int query(Connection c) {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("select 1")) {
            rs.next();
            return rs.getInt(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
