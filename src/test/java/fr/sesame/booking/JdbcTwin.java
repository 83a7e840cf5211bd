package fr.sesame.booking;

import fr.sesame.booking.StormParents.Parent;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The booking transaction with nothing around it: the statements of {@link BookingService#book}, in
 * its order, their SQL taken from the DAOs' own constants, run over plain JDBC by as many threads
 * as the app's pool has connections. What it costs (client threads and PostgreSQL) is the floor the
 * HTTP path is compared with.
 */
final class JdbcTwin {
    /** Bookings made, and the CPU the client threads spent on them (ms). */
    record Result(int booked, int full, int errors, double seconds, double clientCpuMillis) {}

    private JdbcTwin() {}

    static Result run(DataSource ds, List<Parent> parents, int threads)
            throws InterruptedException {
        ConcurrentLinkedQueue<Parent> queue = new ConcurrentLinkedQueue<>(parents);
        AtomicInteger booked = new AtomicInteger();
        AtomicInteger full = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        AtomicLong cpuNanos = new AtomicLong();
        var mx = ManagementFactory.getThreadMXBean();
        List<Thread> workers = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            Thread worker =
                    new Thread(
                            () -> {
                                long cpu0 = mx.getCurrentThreadCpuTime();
                                for (Parent p = queue.poll(); p != null; p = queue.poll()) {
                                    try (Connection c = ds.getConnection()) {
                                        (book(c, p) ? booked : full).incrementAndGet();
                                    } catch (SQLException e) {
                                        errors.incrementAndGet();
                                    }
                                }
                                cpuNanos.addAndGet(mx.getCurrentThreadCpuTime() - cpu0);
                            },
                            "jdbc-twin-" + t);
            worker.start();
            workers.add(worker);
        }
        for (Thread w : workers) w.join();
        return new Result(
                booked.get(),
                full.get(),
                errors.get(),
                (System.nanoTime() - start) / 1e9,
                cpuNanos.get() / 1e6);
    }

    /**
     * The same transaction for parents arriving at {@code rate} per second (a Poisson process, as
     * the HTTP steps' parents arrive), run by as many threads as the app's pool has connections.
     * PostgreSQL's CPU per transaction depends on how busy it is (flat out, concurrent commits
     * share their WAL flushes and backends never sleep; at a set rate each commit flushes alone and
     * each transaction wakes a sleeping backend), so the HTTP path is compared with the bare
     * transaction at the same rate.
     */
    static Result runAtRate(DataSource ds, List<Parent> parents, int threads, double rate)
            throws InterruptedException {
        java.util.concurrent.BlockingQueue<Parent> queue =
                new java.util.concurrent.LinkedBlockingQueue<>();
        Parent end = new Parent(0, 0, "", 0);
        AtomicInteger booked = new AtomicInteger();
        AtomicInteger full = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        AtomicLong cpuNanos = new AtomicLong();
        var mx = ManagementFactory.getThreadMXBean();
        List<Thread> workers = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            Thread worker =
                    new Thread(
                            () -> {
                                long cpu0 = mx.getCurrentThreadCpuTime();
                                try {
                                    for (Parent p = queue.take(); p != end; p = queue.take()) {
                                        try (Connection c = ds.getConnection()) {
                                            (book(c, p) ? booked : full).incrementAndGet();
                                        } catch (SQLException e) {
                                            errors.incrementAndGet();
                                        }
                                    }
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                                cpuNanos.addAndGet(mx.getCurrentThreadCpuTime() - cpu0);
                            },
                            "jdbc-twin-rate-" + t);
            worker.start();
            workers.add(worker);
        }
        java.util.Random random = new java.util.Random(parents.size());
        double at = 0;
        for (Parent p : parents) {
            at += -Math.log(1 - random.nextDouble()) / rate;
            long wait = start + (long) (at * 1e9) - System.nanoTime();
            if (wait > 0) java.util.concurrent.locks.LockSupport.parkNanos(wait);
            queue.add(p);
        }
        for (int t = 0; t < threads; t++) queue.add(end);
        for (Thread w : workers) w.join();
        return new Result(
                booked.get(),
                full.get(),
                errors.get(),
                (System.nanoTime() - start) / 1e9,
                cpuNanos.get() / 1e6);
    }

    /**
     * The statements of BookingService.book, in its order, taken from the DAOs' own constants: the
     * same SQL text, run over plain JDBC (the subject of the e-mail is fixed here instead of being
     * composed).
     */
    private static final DaoSql LOCK_FAMILY = DaoSql.of(fr.sesame.db.LockDao.LOCK_FAMILY);

    private static final DaoSql CHECK = DaoSql.of(Seats.CHECK);
    private static final DaoSql INSERT_BOOKING = DaoSql.of(Seats.INSERT_BOOKING);
    private static final DaoSql LEAVE_WAITING_LISTS = DaoSql.of(Seats.LEAVE_WAITING_LISTS);
    private static final DaoSql AUDIT = DaoSql.of(fr.sesame.audit.Audit.INSERT);
    private static final DaoSql INVITATION_BOOKING =
            DaoSql.of(fr.sesame.calendar.Invitations.BOOKING);
    private static final DaoSql INSERT_INVITATION =
            DaoSql.of(fr.sesame.calendar.Invitations.INSERT_INVITATION);
    private static final DaoSql ENQUEUE = DaoSql.of(fr.sesame.calendar.Invitations.ENQUEUE);
    private static final DaoSql TAKE_SEAT = DaoSql.of(Seats.TAKE_SEAT);
    private static final DaoSql SET_TOWN =
            DaoSql.of("select set_config('sesame.town', :town, true)");

    private static boolean book(Connection c, Parent p) throws SQLException {
        c.setAutoCommit(false);
        try {
            // with several towns, the parent's (the app sets it too when its connection was last
            // in another town)
            if (p.host() != null) SET_TOWN.query(c, Map.of("town", String.valueOf(p.town())));
            String token = UUID.randomUUID().toString();
            LOCK_FAMILY.query(c, Map.of("id", p.familyId()));
            Map<String, Object> check =
                    CHECK.query(
                            c,
                            Map.of(
                                    "family",
                                    p.familyId(),
                                    "guardian",
                                    p.guardianId(),
                                    "session",
                                    p.sessionId(),
                                    "token",
                                    token,
                                    "staff",
                                    false));
            long type = ((Number) check.get("workshop_type_id")).longValue();
            long limit = ((Number) check.get("max_active_per_family")).longValue();
            long active = ((Number) check.get("active_of_type")).longValue();
            if (Boolean.TRUE.equals(check.get("already_booked"))
                    || active >= limit
                    || !Boolean.TRUE.equals(check.get("seat_likely"))) {
                return rollback(c);
            }
            Map<String, Object> args = new HashMap<>();
            args.put("session", p.sessionId());
            args.put("family", p.familyId());
            args.put("guardian", p.guardianId());
            args.put("token", token);
            args.put("staff", null);
            long booking = INSERT_BOOKING.insert(c, args);
            LEAVE_WAITING_LISTS.update(
                    c,
                    Map.of(
                            "family",
                            p.familyId(),
                            "session",
                            p.sessionId(),
                            "type",
                            type,
                            "limitReached",
                            active + 1 >= limit));
            AUDIT.update(
                    c,
                    Map.of(
                            "actor",
                            "guardian:" + p.guardianId(),
                            "action",
                            "book",
                            "entity",
                            "booking",
                            "entityId",
                            booking,
                            "details",
                            "{\"session\":" + p.sessionId() + "}"));
            Map<String, Object> row = INVITATION_BOOKING.query(c, Map.of("id", booking));
            UUID uid = (UUID) row.get("calendar_uid");
            INSERT_INVITATION.update(c, Map.of("booking", booking, "uid", uid, "sequence", 0));
            Map<String, Object> mail = new HashMap<>();
            mail.put("key", "invitation:" + uid + ":0:REQUEST");
            mail.put("booking", booking);
            mail.put("guardian", p.guardianId());
            mail.put("recipient", null);
            mail.put("language", "fr");
            mail.put("kind", "confirmed");
            mail.put("subject", "Inscription confirmée");
            mail.put("uid", uid);
            mail.put("sequence", 0);
            mail.put("method", "REQUEST");
            ENQUEUE.update(c, mail);
            if (TAKE_SEAT.query(c, Map.of("id", p.sessionId(), "staff", false)) == null)
                return rollback(c);
            c.commit();
            return true;
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    private static boolean rollback(Connection c) throws SQLException {
        c.rollback();
        return false;
    }

    /** A DAO method's SQL with its :named parameters turned into JDBC's positional ones. */
    private record DaoSql(String sql, List<String> names) {
        private static final Pattern NAMED = Pattern.compile("(?<!:):([A-Za-z][A-Za-z0-9]*)");

        static DaoSql of(String text) {
            List<String> names = new ArrayList<>();
            Matcher matcher = NAMED.matcher(text);
            StringBuilder sql = new StringBuilder();
            while (matcher.find()) {
                names.add(matcher.group(1));
                matcher.appendReplacement(sql, "?");
            }
            matcher.appendTail(sql);
            return new DaoSql(sql.toString(), names);
        }

        private PreparedStatement bind(PreparedStatement st, Map<String, Object> args)
                throws SQLException {
            for (int i = 0; i < names.size(); i++) {
                if (!args.containsKey(names.get(i)))
                    throw new IllegalArgumentException("no value for :" + names.get(i));
                st.setObject(i + 1, args.get(names.get(i)));
            }
            return st;
        }

        /** The first row as column name to value, or null when there is none. */
        Map<String, Object> query(Connection c, Map<String, Object> args) throws SQLException {
            try (PreparedStatement st = bind(c.prepareStatement(sql), args);
                    ResultSet rs = st.executeQuery()) {
                if (!rs.next()) return null;
                Map<String, Object> row = new HashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++)
                    row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                return row;
            }
        }

        int update(Connection c, Map<String, Object> args) throws SQLException {
            try (PreparedStatement st = bind(c.prepareStatement(sql), args)) {
                return st.executeUpdate();
            }
        }

        long insert(Connection c, Map<String, Object> args) throws SQLException {
            try (PreparedStatement st = bind(c.prepareStatement(sql, new String[] {"id"}), args)) {
                st.executeUpdate();
                try (ResultSet keys = st.getGeneratedKeys()) {
                    keys.next();
                    return keys.getLong(1);
                }
            }
        }
    }
}
