package fr.sesame.support;

import fr.sesame.Config;
import fr.sesame.db.Database;
import fr.sesame.db.Migrations;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The PostgreSQL of the test run: the server of DATABASE_URL when it is set, else one embedded
 * PostgreSQL for the whole run. Each test class gets its own fresh database with the real
 * migrations.
 */
public final class TestDatabase {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static String adminUrl;
    private static String user;
    private static String password;
    private static EmbeddedPostgres embedded;

    private TestDatabase() {}

    private static synchronized void ensureServer() {
        if (adminUrl != null) return;
        String external = System.getenv("DATABASE_URL");
        if (external != null && !external.isBlank()) {
            adminUrl = external;
            user = System.getenv("DATABASE_USER");
            password = System.getenv("DATABASE_PASSWORD");
            return;
        }
        try {
            Path dir = Files.createTempDirectory("sesame-test-pg");
            embedded = Database.startEmbedded(dir);
            adminUrl = embedded.getJdbcUrl("postgres", "postgres");
            user = "postgres";
            password = Database.embeddedPassword(dir);
            Runtime.getRuntime()
                    .addShutdownHook(
                            new Thread(
                                    () -> {
                                        try {
                                            embedded.close();
                                        } catch (Exception ignored) {
                                            // the run is over
                                        }
                                    }));
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the test PostgreSQL", e);
        }
    }

    /** A new, empty database on the test server, migrated; returns its JDBC URL. */
    public static String freshDatabaseUrl() {
        ensureServer();
        String name = "sesame_t" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
        try (Connection c = DriverManager.getConnection(adminUrl, user, password);
                Statement st = c.createStatement()) {
            st.execute("create database " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database", e);
        }
        return adminUrl.replaceFirst("/[^/?]*(\\?|$)", "/" + name + "$1");
    }

    /** The environment of an app on a fresh database (DATABASE_URL and its credentials). */
    public static Map<String, String> freshDatabaseEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("DATABASE_URL", freshDatabaseUrl());
        if (user != null) env.put("DATABASE_USER", user);
        if (password != null) env.put("DATABASE_PASSWORD", password);
        return env;
    }

    /** Opens a migrated database for a test that works below the web layer. */
    public static Database openFresh() {
        Config config = Config.fromEnvironment(freshDatabaseEnv(), false);
        Database db = Database.open(config);
        Migrations.apply(db.dataSource());
        return db;
    }
}
