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
 * The commit triggers' locks on family_progress (V8, V14) follow the families' id order in every transaction, whatever
 * order its statements changed the families in. Two transactions that hold no family lock (the education service
 * cancelling a session does not lock the families booked on it; an import locks its own) change bookings of the same
 * two families in opposite orders, and a third holds the first family's row while both reach their commit: with a
 * refresh per row in the rows' order, the second one locks family B then waits for A, the first holds A and waits for
 * B, and PostgreSQL breaks a deadlock.
 */
class FamilyProgressLockOrderTest {
    static Database db;
    static Jdbi jdbi;

    @BeforeAll
    static void start() {
        db = TestDatabase.openFresh();
        jdbi = db.jdbi();
        new DemoSeed(jdbi).seed();
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    @Test
    void two_commits_touching_the_same_families_in_opposite_orders_wait_for_each_other_rather_than_deadlock()
            throws Exception {
        List<Long> families = jdbi.withHandle(h -> h.createQuery("select id from family order by id limit 2")
                .mapTo(Long.class).list());
        long a = families.get(0);
        long b = families.get(1);
        long session = jdbi.withHandle(h -> h.createQuery("select min(id) from workshop_session").mapTo(Long.class).one());
        // two cancelled bookings per family: rows the two transactions change without meeting on them
        long[][] bookings = jdbi.inTransaction(h -> {
            long[][] ids = new long[2][2];
            for (int f = 0; f < 2; f++) {
                for (int i = 0; i < 2; i++) {
                    ids[f][i] = h.createQuery("""
                            insert into booking (session_id, family_id, guardian_id, status, ended_at)
                            select :s, :f, (select min(id) from guardian where family_id = :f), 'cancelled', now()
                            returning id""").bind("s", session).bind("f", families.get(f)).mapTo(Long.class).one();
                }
            }
            h.execute("insert into family_progress (family_id) values (?), (?) on conflict do nothing", a, b);
            return ids;
        });
        long deadlocksBefore = deadlocks();

        try (Connection holder = db.dataSource().getConnection(); Connection first = db.dataSource().getConnection();
             Connection second = db.dataSource().getConnection()) {
            holder.setAutoCommit(false);
            execute(holder, "select 1 from family_progress where family_id = " + a + " for update");
            first.setAutoCommit(false);
            execute(first, "update booking set status = status where id = " + bookings[0][0]);
            execute(first, "update booking set status = status where id = " + bookings[1][0]);
            CompletableFuture<Void> firstCommit = commitAsync(first);
            awaitLockWaiters(1);
            second.setAutoCommit(false);
            execute(second, "update booking set status = status where id = " + bookings[1][1]);
            execute(second, "update booking set status = status where id = " + bookings[0][1]);
            CompletableFuture<Void> secondCommit = commitAsync(second);
            awaitLockWaiters(2);
            holder.commit();
            firstCommit.get(30, TimeUnit.SECONDS);
            secondCommit.get(30, TimeUnit.SECONDS);
        }
        assertThat(deadlocks() - deadlocksBefore).as("deadlocks PostgreSQL broke").isZero();
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static CompletableFuture<Void> commitAsync(Connection c) {
        return CompletableFuture.runAsync(() -> {
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
        while (jdbi.withHandle(h -> h.createQuery("""
                select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'""")
                .mapTo(Integer.class).one()) < waiting) {
            assertThat(System.currentTimeMillis()).as("%d transactions waiting for a lock", waiting).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static long deadlocks() throws InterruptedException {
        Thread.sleep(1500);
        return jdbi.withHandle(h -> h.createQuery("select deadlocks from pg_stat_database where datname = current_database()")
                .mapTo(Long.class).one());
    }
}
