package fr.sesame.booking;

import static org.assertj.core.api.Assertions.assertThat;

import fr.sesame.db.Database;
import fr.sesame.demo.DemoSeed;
import fr.sesame.support.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The commit triggers' locks on family_progress (V8, V17) follow the families' id order in every
 * transaction, whatever order its statements changed the families in. Two transactions that hold no
 * family lock (the education service cancelling a session does not lock the families booked on it;
 * an import locks its own) change bookings of the same two families in opposite orders, and a third
 * holds the first family's row while both reach their commit: with a refresh per row in the rows'
 * order, the second one locks family B then waits for A, the first holds A and waits for B, and
 * PostgreSQL breaks a deadlock.
 */
class FamilyProgressLockOrderTest {
    static Database db;
    static Jdbi jdbi;

    /**
     * The server's activity as the owner sees it: the app's role (issue 17) sees no other session's
     * wait events.
     */
    static Jdbi monitor;

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabase.openFresh();
        jdbi = db.jdbi();
        com.zaxxer.hikari.HikariDataSource pool =
                db.dataSource().unwrap(com.zaxxer.hikari.HikariDataSource.class);
        monitor = Jdbi.create(pool.getJdbcUrl(), pool.getUsername(), pool.getPassword());
        new DemoSeed(jdbi).seed();
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    @Test
    void
            two_commits_touching_the_same_families_in_opposite_orders_wait_for_each_other_rather_than_deadlock()
                    throws Exception {
        List<Long> families =
                jdbi.withHandle(
                        h ->
                                h.createQuery("select id from family order by id limit 2")
                                        .mapTo(Long.class)
                                        .list());
        long[][] bookings = cancelledBookings(families.get(0), families.get(1));
        // the first changes A then B, the second B then A; the second's commit waits behind the
        // first's
        assertNoDeadlock(
                families.get(0),
                List.of(touch(bookings[0][0]), touch(bookings[1][0])),
                List.of(touch(bookings[1][1]), touch(bookings[0][1])));
    }

    @Test
    void
            a_device_change_and_a_booking_in_one_commit_lock_their_families_in_the_same_order_as_two_bookings()
                    throws Exception {
        // family B has a device lent: its change refreshes B's family_school rows at commit (V9),
        // under B's progress lock
        long[] device =
                jdbi.withHandle(
                        h ->
                                h.createQuery(
                                                """
                select d.id, c.family_id from device d join child c on c.id = d.child_id
                where d.state = 'school_only' and c.family_id > (select min(id) from family)
                order by c.family_id limit 1""")
                                        .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)})
                                        .one());
        long a =
                jdbi.withHandle(
                        h -> h.createQuery("select min(id) from family").mapTo(Long.class).one());
        long b = device[1];
        long[][] bookings = cancelledBookings(a, b);
        // the first commits A's and B's bookings; the second lends B's device for home use, then
        // changes A's booking
        assertNoDeadlock(
                a,
                List.of(touch(bookings[0][0]), touch(bookings[1][0])),
                List.of(
                        "update device set state = 'home_use', state_changed_at = now() where id = "
                                + device[0],
                        touch(bookings[0][1])));
    }

    /**
     * Two cancelled bookings per family: rows the two transactions change without meeting on them.
     */
    private static long[][] cancelledBookings(long a, long b) {
        long session =
                jdbi.withHandle(
                        h ->
                                h.createQuery("select min(id) from workshop_session")
                                        .mapTo(Long.class)
                                        .one());
        return jdbi.inTransaction(
                h -> {
                    long[][] ids = new long[2][2];
                    long[] families = {a, b};
                    for (int f = 0; f < 2; f++) {
                        for (int i = 0; i < 2; i++) {
                            ids[f][i] =
                                    h.createQuery(
                                                    """
                            insert into booking (session_id, family_id, guardian_id, status, ended_at)
                            select :s, :f, (select min(id) from guardian where family_id = :f), 'cancelled', now()
                            returning id""")
                                            .bind("s", session)
                                            .bind("f", families[f])
                                            .mapTo(Long.class)
                                            .one();
                        }
                    }
                    h.execute(
                            "insert into family_progress (family_id) values (?), (?) on conflict do nothing",
                            a,
                            b);
                    return ids;
                });
    }

    /** A change that fires the booking's commit trigger and meets no other transaction's row. */
    private static String touch(long booking) {
        return "update booking set status = status where id = " + booking;
    }

    /**
     * A third transaction holds family A's family_progress row; the first transaction's commit
     * waits for it, then the second's; the holder lets go. Each commit must go through, and
     * PostgreSQL must break no deadlock.
     */
    private static void assertNoDeadlock(long a, List<String> first, List<String> second)
            throws Exception {
        long deadlocksBefore = deadlocks();
        try (Connection holder = db.dataSource().getConnection();
                Connection one = db.dataSource().getConnection();
                Connection two = db.dataSource().getConnection()) {
            holder.setAutoCommit(false);
            inTheTown(holder);
            execute(holder, "select 1 from family_progress where family_id = " + a + " for update");
            one.setAutoCommit(false);
            inTheTown(one);
            for (String sql : first) execute(one, sql);
            CompletableFuture<Void> firstCommit = commitAsync(one);
            awaitLockWaiters(1);
            two.setAutoCommit(false);
            inTheTown(two);
            for (String sql : second) execute(two, sql);
            CompletableFuture<Void> secondCommit = commitAsync(two);
            awaitLockWaiters(2);
            holder.commit();
            firstCommit.get(30, TimeUnit.SECONDS);
            secondCommit.get(30, TimeUnit.SECONDS);
        }
        assertThat(deadlocks() - deadlocksBefore).as("deadlocks PostgreSQL broke").isZero();
    }

    /** The pool's connections come without a town (issue 17): this transaction is in town 1's. */
    private static void inTheTown(Connection c) throws SQLException {
        execute(c, "select set_config('sesame.town', '1', true)");
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static CompletableFuture<Void> commitAsync(Connection c) {
        return CompletableFuture.runAsync(
                () -> {
                    try {
                        c.commit();
                    } catch (SQLException e) {
                        throw new IllegalStateException(e.getMessage(), e);
                    }
                });
    }

    /** Waits until this many connections to this database wait for a lock. */
    private static void awaitLockWaiters(int waiting) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (monitor.withHandle(
                        h ->
                                h.createQuery(
                                                """
                select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'""")
                                        .mapTo(Integer.class)
                                        .one())
                < waiting) {
            assertThat(System.currentTimeMillis())
                    .as("%d transactions waiting for a lock", waiting)
                    .isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static long deadlocks() throws InterruptedException {
        Thread.sleep(1500);
        return monitor.withHandle(
                h ->
                        h.createQuery(
                                        "select deadlocks from pg_stat_database where datname = current_database()")
                                .mapTo(Long.class)
                                .one());
    }
}
