package fr.sesame.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.config.JdbiConfig;
import org.postgresql.PGConnection;

/**
 * The towns of this deployment and the current one (issue 17). The database keeps each town's rows
 * to it by row-level security on the connection's setting {@code sesame.town}; this sets it: for
 * every Jdbi handle (to the current town, see {@link #current}), and to no town for every
 * connection taken from {@link Database#dataSource()} outside Jdbi. A physical connection's setting
 * is remembered, so a handle costs a round trip only when its connection was last used for another
 * town (with one town: once per connection).
 *
 * <p>The current town is the one the thread was put in ({@link #in}, {@link #enter}: a request from
 * its host name, a background pass for each town in turn); outside of that, in a single-town
 * deployment, the one town; with several towns, none (every tenant table then reads empty).
 */
public final class Towns {
    /** A town: its id, slug, name, host name (null: any host, single town only), contact. */
    public record Town(long id, String slug, String name, String host, String contact) {}

    private static final String NO_TOWN = "";
    private static final long REFRESH_NANOS = 10_000_000_000L;

    private final DataSource pool;
    private final ThreadLocal<Long> current = new ThreadLocal<>();
    private final Map<PGConnection, String> setOn =
            Collections.synchronizedMap(new WeakHashMap<>());
    private volatile List<Town> all;
    private volatile long loadedAt;
    private final java.util.concurrent.atomic.AtomicBoolean refreshing =
            new java.util.concurrent.atomic.AtomicBoolean();

    Towns(DataSource pool) {
        this.pool = pool;
    }

    /** The towns of the Jdbi of a {@link Database}. */
    public static Towns of(Jdbi jdbi) {
        Towns towns = jdbi.getConfig(Config.class).towns;
        if (towns == null) throw new IllegalStateException("this Jdbi is not a Database's");
        return towns;
    }

    /**
     * A background pass of a worker on this Jdbi, run for every town in turn (as is, on a Jdbi that
     * is not a {@link Database}'s).
     */
    public static IntSupplier eachTownOf(Jdbi jdbi, IntSupplier pass) {
        Towns towns = jdbi.getConfig(Config.class).towns;
        return towns == null ? pass : towns.eachTown(pass);
    }

    /** The current town of a Database's Jdbi (see {@link #current}), or null. */
    public static Long currentOf(Jdbi jdbi) {
        Towns towns = jdbi.getConfig(Config.class).towns;
        return towns == null ? null : towns.current();
    }

    /** The town with the lowest id: the first, where a single-town deployment's data is. */
    public Town first() {
        List<Town> towns = all();
        if (towns.isEmpty())
            throw new IllegalStateException("no town: the database is not migrated");
        return towns.get(0);
    }

    /** The town of this slug. */
    public Optional<Town> bySlug(String slug) {
        return all().stream().filter(t -> t.slug().equals(slug)).findFirst();
    }

    /**
     * Every town, by id: read at first use, then again when 10 seconds old (a town added with SQL
     * is reached within 10 seconds), or at once after {@link #reload}.
     */
    public List<Town> all() {
        List<Town> towns = all;
        if (towns == null) return firstRead();
        if (stale()) {
            try (Connection c = pool.getConnection()) {
                return refresh(c);
            } catch (SQLException | RuntimeException e) {
                return towns; // the database is away: the towns it had
            }
        }
        return towns;
    }

    /** Reads the towns again (after a town was created or changed). */
    public List<Town> reload() {
        try (Connection c = pool.getConnection()) {
            return read(c);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the towns: " + e.getMessage(), e);
        }
    }

    /**
     * The first read, at start: the pool's connections may still be opening on a busy machine (its
     * timeout is short, for requests' sake), so it tries again for up to 30 seconds.
     */
    private List<Town> firstRead() {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            try {
                return reload();
            } catch (IllegalStateException e) {
                if (!(e.getCause() instanceof java.sql.SQLTransientConnectionException)
                        || System.nanoTime() > deadline) throw e;
            }
        }
    }

    private boolean stale() {
        return System.nanoTime() - loadedAt > REFRESH_NANOS;
    }

    /** Reads the towns on this connection when they are stale, one thread at a time. */
    private List<Town> refresh(Connection c) throws SQLException {
        if (!refreshing.compareAndSet(false, true)) return all;
        try {
            return stale() ? read(c) : all;
        } finally {
            refreshing.set(false);
        }
    }

    private List<Town> read(Connection c) throws SQLException {
        List<Town> towns = new ArrayList<>();
        try (PreparedStatement st =
                        c.prepareStatement(
                                "select id, slug, name, host, contact from town order by id");
                ResultSet rs = st.executeQuery()) {
            while (rs.next())
                towns.add(
                        new Town(
                                rs.getLong(1),
                                rs.getString(2),
                                rs.getString(3),
                                rs.getString(4),
                                rs.getString(5)));
        }
        all = List.copyOf(towns);
        loadedAt = System.nanoTime();
        return all;
    }

    /**
     * The town a request's host name reaches ({@code Host} header, port and case ignored): the one
     * town of a single-town deployment whatever the host, else the town of that host, else none.
     */
    public Optional<Town> forHost(String hostHeader) {
        List<Town> towns = all();
        if (towns.size() == 1) return Optional.of(towns.get(0));
        String host = hostName(hostHeader);
        return towns.stream().filter(t -> host.equals(t.host())).findFirst();
    }

    static String hostName(String hostHeader) {
        if (hostHeader == null) return "";
        String h = hostHeader.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end > 0 ? h.substring(0, end + 1) : h;
        }
        int colon = h.indexOf(':');
        return colon >= 0 ? h.substring(0, colon) : h;
    }

    /**
     * The town of this thread's work: the one it was put in, or the only town of a single-town
     * deployment, or null.
     */
    public Long current() {
        Long town = current.get();
        if (town != null) return town;
        List<Town> towns = all;
        if (towns == null) {
            try {
                towns = all();
            } catch (IllegalStateException e) {
                return null; // not migrated yet: no town
            }
        }
        return towns.size() == 1 ? towns.get(0).id() : null;
    }

    /** Runs this work in this town (the town it was in before is restored after). */
    public <T> T in(long town, Supplier<T> work) {
        Long before = current.get();
        current.set(town);
        try {
            return work.get();
        } finally {
            if (before == null) current.remove();
            else current.set(before);
        }
    }

    /** Puts this thread in this town until {@link #leave} (a request, from its host). */
    public void enter(long town) {
        current.set(town);
    }

    public void leave() {
        current.remove();
    }

    /**
     * A background pass run for every town in turn, in its town; returns the sum of the passes'
     * counts.
     */
    public IntSupplier eachTown(IntSupplier pass) {
        return () -> {
            int total = 0;
            for (Town t : all()) total += in(t.id(), pass::getAsInt);
            return total;
        };
    }

    /** The same for a pass without a count. */
    public Runnable eachTown(Runnable pass) {
        return () -> {
            for (Town t : all())
                in(
                        t.id(),
                        () -> {
                            pass.run();
                            return null;
                        });
        };
    }

    /** Sets the current town on a connection about to serve a Jdbi handle. */
    void applyCurrent(Connection c) throws SQLException {
        // on this handle's own connection: a second one from a busy pool could wait for ours
        if (all != null && stale()) refresh(c);
        Long town = current();
        apply(c, town == null ? NO_TOWN : town.toString());
    }

    /** Takes any town off a connection handed out of the pool outside Jdbi. */
    void clear(Connection c) throws SQLException {
        apply(c, NO_TOWN);
    }

    private void apply(Connection c, String town) throws SQLException {
        PGConnection physical = c.unwrap(PGConnection.class);
        if (town.equals(setOn.get(physical))) return;
        setOn.remove(physical);
        try (PreparedStatement st =
                c.prepareStatement("select set_config('sesame.town', ?, false)")) {
            st.setString(1, town);
            st.execute();
        }
        setOn.put(physical, town);
    }

    /** Where a Jdbi keeps its {@link Towns}. */
    public static final class Config implements JdbiConfig<Config> {
        Towns towns;

        public Config() {}

        private Config(Towns towns) {
            this.towns = towns;
        }

        @Override
        public Config createCopy() {
            return new Config(towns);
        }
    }
}
