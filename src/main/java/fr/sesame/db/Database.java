package fr.sesame.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import fr.sesame.Config;
import fr.sesame.Config.ConfigException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.time.Duration;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database Sésame runs on: the server named by DATABASE_URL, or an embedded PostgreSQL whose
 * data lives in SESAME_DATA_DIR/pg. Owns the pool and, when embedded, the server process.
 */
public final class Database implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Database.class);
    static final int HEALTH_TIMEOUT_SECONDS = 2;

    /**
     * The role the pool's connections run as (V31): no superuser, no BYPASSRLS, owner of nothing.
     */
    public static final String APP_ROLE = "sesame_app";

    private final HikariDataSource pool;
    private final EmbeddedPostgres embedded;
    private final FileLock lock;
    private final FileChannel lockChannel;
    private final Jdbi jdbi;
    private final Towns towns;
    private final DataSource outsideJdbi;

    private Database(
            HikariDataSource pool,
            EmbeddedPostgres embedded,
            FileChannel lockChannel,
            FileLock lock) {
        this.pool = pool;
        this.embedded = embedded;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.towns = new Towns(pool);
        this.jdbi = createJdbi(pool).installPlugin(new TownPlugin(towns));
        this.outsideJdbi = new NoTownDataSource(pool, towns);
    }

    public static Jdbi createJdbi(DataSource dataSource) {
        return configure(Jdbi.create(dataSource));
    }

    /** The same Jdbi on connections from this factory (e.g. each set to a town beforehand). */
    public static Jdbi createJdbi(org.jdbi.v3.core.ConnectionFactory connections) {
        return configure(Jdbi.create(connections));
    }

    private static Jdbi configure(Jdbi jdbi) {
        return jdbi.installPlugin(new SqlObjectPlugin())
                .installPlugin(new PostgresPlugin())
                .registerRowMapper(new RecordMappers());
    }

    public static Database open(Config config) {
        if (!config.embeddedDatabase()) {
            HikariDataSource pool =
                    pool(config.databaseUrl(), config.databaseUser(), config.databasePassword());
            checkReachable(
                    config.databaseUrl(),
                    config.databaseUser(),
                    config.databasePassword(),
                    pool,
                    "Cannot connect to the PostgreSQL server of DATABASE_URL: ");
            return new Database(pool, null, null, null);
        }
        Path dir = config.dataDir();
        FileChannel channel = null;
        FileLock lock = null;
        try {
            Files.createDirectories(dir);
            if (!Files.isWritable(dir)) throw new IOException("not writable");
            channel =
                    FileChannel.open(
                            dir.resolve("sesame.lock"),
                            StandardOpenOption.CREATE,
                            StandardOpenOption.WRITE);
        } catch (IOException | SecurityException e) {
            throw new ConfigException(
                    "The data directory "
                            + dir
                            + " cannot be written to. "
                            + "Give this user write access to it or set SESAME_DATA_DIR to another folder.");
        }
        try {
            lock = channel.tryLock();
        } catch (IOException | OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            closeQuietly(channel);
            throw new ConfigException(
                    "Another Sésame is already running on the data directory "
                            + dir
                            + ". Stop it first, or set SESAME_DATA_DIR to another folder.");
        }
        try {
            EmbeddedPostgres pg = startEmbedded(dir.resolve("pg"));
            ensureAppRole(pg, embeddedPassword(dir.resolve("pg")));
            HikariDataSource pool =
                    pool(
                            pg.getJdbcUrl("postgres", "postgres"),
                            "postgres",
                            embeddedPassword(dir.resolve("pg")));
            return new Database(pool, pg, channel, lock);
        } catch (RuntimeException e) {
            releaseLock(lock, channel);
            throw e;
        }
    }

    /**
     * Starts an embedded PostgreSQL on a free port, keeping its data in {@code dataDir} across
     * restarts; it takes only the user postgres with {@link #embeddedPassword}. One left running by
     * a killed run is stopped first.
     */
    public static EmbeddedPostgres startEmbedded(Path dataDir) {
        return startEmbedded(dataDir, 0);
    }

    /**
     * The embedded server is ours: its app role exists from the start, so that the pool connects
     * before the migrations (V31 makes it elsewhere, and grants it its rights in each database).
     */
    private static void ensureAppRole(EmbeddedPostgres pg, String password) {
        try (Connection c =
                        java.sql.DriverManager.getConnection(
                                pg.getJdbcUrl("postgres", "postgres"), "postgres", password);
                java.sql.Statement st = c.createStatement()) {
            st.execute(
                    "do $$ begin if not exists (select 1 from pg_roles where rolname = '"
                            + APP_ROLE
                            + "') then create role "
                            + APP_ROLE
                            + " nologin nosuperuser nobypassrls nocreatedb nocreaterole noinherit;"
                            + " end if; end $$");
        } catch (java.sql.SQLException e) {
            throw new ConfigException(
                    "The embedded PostgreSQL started but its app role could not be made: "
                            + rootMessage(e));
        }
    }

    /** The password of the embedded PostgreSQL of this folder, once it was started. */
    public static String embeddedPassword(Path dataDir) {
        return EmbeddedPassword.passwordFor(dataDir);
    }

    public static EmbeddedPostgres startEmbedded(Path dataDir, int port) {
        try {
            StalePostmaster.stopIfAny(dataDir);
            String password = EmbeddedPassword.passwordFor(dataDir);
            EmbeddedPostgres.Builder builder =
                    EmbeddedPostgres.builder()
                            .setDataDirectoryCustomizer(
                                    dir -> EmbeddedPassword.lockDown(dir, password))
                            .setConnectConfig("password", password)
                            .setDataDirectory(dataDir)
                            .setCleanDataDirectory(false)
                            .setRegisterShutdownHook(false)
                            .setPGStartupWait(Duration.ofSeconds(30))
                            .setServerConfig("max_connections", "200")
                            .setServerConfig("synchronous_commit", "on")
                            .setServerConfig("timezone", "UTC");
            if (port > 0) builder.setPort(port);
            return builder.start();
        } catch (ConfigException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            log.debug("embedded PostgreSQL failed to start", e);
            throw new ConfigException(
                    "The embedded PostgreSQL could not start in "
                            + dataDir
                            + " ("
                            + rootMessage(e)
                            + "). Check that the folder is writable and not used by another program.");
        }
    }

    static HikariDataSource pool(String url, String user, String password) {
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(url);
        if (user != null) hc.setUsername(user);
        if (password != null) hc.setPassword(password);
        hc.setMaximumPoolSize(2 * Runtime.getRuntime().availableProcessors() + 1);
        hc.setPoolName("sesame");
        hc.setConnectionTimeout(3_000);
        hc.setValidationTimeout(2_000);
        // Start even when the server is briefly away; the health check and every request retry by
        // themselves.
        hc.setInitializationFailTimeout(-1);
        hc.addDataSourceProperty("connectTimeout", "5");
        hc.addDataSourceProperty("socketTimeout", "30");
        hc.addDataSourceProperty("ApplicationName", "sesame");
        // Every pooled connection runs as the app's role, which row-level security binds (V31):
        // the user that connects (a superuser for the embedded PostgreSQL) keeps the migrations.
        hc.setConnectionInitSql("set role " + APP_ROLE);
        return new HikariDataSource(hc);
    }

    /**
     * Connects once as the configured user, not through the pool: the pool's connections run as
     * {@link #APP_ROLE}, which a database not migrated yet does not have.
     */
    private static void checkReachable(
            String url, String user, String password, HikariDataSource pool, String prefix) {
        java.util.Properties props = new java.util.Properties();
        if (user != null) props.setProperty("user", user);
        if (password != null) props.setProperty("password", password);
        props.setProperty("connectTimeout", "5");
        try (Connection c = java.sql.DriverManager.getConnection(url, props)) {
            c.isValid(2);
        } catch (Exception e) {
            pool.close();
            throw new ConfigException(
                    prefix
                            + rootMessage(e)
                            + ". Check DATABASE_URL, DATABASE_USER and DATABASE_PASSWORD, and that the server is running.");
        }
    }

    /** True when a connection can be had and answers within two seconds. */
    public boolean isUp() {
        try (Connection c = pool.getConnection()) {
            return c.isValid(2);
        } catch (Exception e) {
            return false;
        }
    }

    /**
     * Whether the database answers a query within {@link #HEALTH_TIMEOUT_SECONDS}, on a connection
     * of its own (not one of the pool's, which a storm of requests may hold): what the health
     * checks ask.
     */
    public boolean answersHealthCheck() {
        java.util.Properties props = new java.util.Properties();
        if (pool.getUsername() != null) props.setProperty("user", pool.getUsername());
        if (pool.getPassword() != null) props.setProperty("password", pool.getPassword());
        String timeout = String.valueOf(HEALTH_TIMEOUT_SECONDS);
        props.setProperty("connectTimeout", timeout);
        props.setProperty("socketTimeout", timeout);
        props.setProperty("loginTimeout", timeout);
        props.setProperty("ApplicationName", "sesame-health");
        try (Connection c = java.sql.DriverManager.getConnection(pool.getJdbcUrl(), props);
                java.sql.Statement st = c.createStatement()) {
            st.setQueryTimeout(HEALTH_TIMEOUT_SECONDS);
            return st.execute("select 1");
        } catch (java.sql.SQLException e) {
            return false;
        }
    }

    /**
     * The pool, for what does not go through Jdbi: its connections run as {@link #APP_ROLE} with no
     * town (they read no tenant row until the town is set). Migrations take the pool's URL and
     * credentials from it, and connect as the owner.
     */
    public DataSource dataSource() {
        return outsideJdbi;
    }

    /** The towns, and the current one. */
    public Towns towns() {
        return towns;
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public boolean isEmbedded() {
        return embedded != null;
    }

    @Override
    public void close() {
        pool.close();
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                log.warn("embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
            }
        }
        releaseLock(lock, lockChannel);
    }

    private static void releaseLock(FileLock lock, FileChannel channel) {
        try {
            if (lock != null) lock.release();
        } catch (IOException ignored) {
            // the lock goes with the process anyway
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            if (channel != null) channel.close();
        } catch (IOException ignored) {
            // nothing left to do
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }
}
