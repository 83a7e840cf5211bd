package fr.sesame.support;

import fr.sesame.App;
import fr.sesame.Config;
import fr.sesame.db.Database;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/** The real app, started on a free port against its own fresh PostgreSQL database. */
public final class TestApp implements AutoCloseable {
    private final App app;
    private final String baseUrl;

    private TestApp(App app, String baseUrl) {
        this.app = app;
        this.baseUrl = baseUrl;
    }

    public static TestApp start() {
        return start(Map.of());
    }

    /** Starts the app with the given extra environment (on top of a fresh database). */
    public static TestApp start(Map<String, String> extraEnv) {
        Map<String, String> env = new HashMap<>(TestDatabase.freshDatabaseEnv());
        env.putAll(extraEnv);
        return startWithEnv(env);
    }

    /** Starts the app with exactly this environment (the database must be in it). */
    public static TestApp startWithEnv(Map<String, String> env) {
        Map<String, String> all = new HashMap<>(env);
        int port = all.containsKey("PORT") ? Integer.parseInt(all.get("PORT")) : freePort();
        all.put("PORT", String.valueOf(port));
        Config config = Config.fromEnvironment(all, false);
        Database database = Database.open(config);
        App.prepare(config, database);
        App app = App.build(config, database).start(port);
        return new TestApp(app, config.baseUrl());
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String url(String path) {
        return baseUrl + path;
    }

    public String baseUrl() {
        return baseUrl;
    }

    public int port() {
        return app.port();
    }

    public Jdbi jdbi() {
        return app.database().jdbi();
    }

    public App app() {
        return app;
    }

    /** A browser-like HTTP client for this app, with its own cookies. */
    public Http client() {
        return new Http(baseUrl);
    }

    @Override
    public void close() {
        app.close();
    }
}
