package fr.sesame;

import fr.sesame.Config.ConfigException;
import fr.sesame.auth.Authenticator;
import fr.sesame.auth.EntService;
import fr.sesame.auth.WebSessions;
import fr.sesame.db.Database;
import fr.sesame.db.Migrations;
import fr.sesame.demo.DemoEnt;
import fr.sesame.demo.DemoSeed;
import fr.sesame.web.WebApp;
import io.javalin.Javalin;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The composition root: configuration, then the database, then the services, then the web. */
public final class App implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(App.class);

    private final Config config;
    private final Database database;
    private final Javalin web;
    private final DemoEnt demoEnt;

    private App(Config config, Database database, Javalin web, DemoEnt demoEnt) {
        this.config = config;
        this.database = database;
        this.web = web;
        this.demoEnt = demoEnt;
    }

    /** Builds the whole application on an open database, migrated; the web server is not started. */
    public static App build(Config config, Database database) {
        // Demo mode without an ENT: a real OpenID provider on localhost plays the school's ENT.
        DemoEnt demoEnt = config.demo() && config.ent() == null ? startDemoEnt(config) : null;
        if (demoEnt != null) config = config.withEnt(demoEnt.settings());
        WebSessions sessions = new WebSessions(database.jdbi(), config.secureCookies());
        Authenticator authenticator = new Authenticator(database.jdbi(), sessions);
        EntService ent = new EntService(config.ent(), config.baseUrl(), database.jdbi(), sessions);
        Javalin web = WebApp.create(new WebApp.Deps(config, database, sessions, authenticator, ent));
        return new App(config, database, web, demoEnt);
    }

    private static DemoEnt startDemoEnt(Config config) {
        try {
            return DemoEnt.start(config.port() > 1024 ? config.port() + 1 : 0);
        } catch (RuntimeException e) {
            log.warn("event=demo_ent_not_started error=\"{}\" (parents can still sign in with a letter code)", e.toString());
            return null;
        }
    }

    public App start(int port) {
        web.start(port);
        return this;
    }

    public int port() {
        return web.port();
    }

    public Database database() {
        return database;
    }

    public Config config() {
        return config;
    }

    /** Stops taking requests, finishes those in flight, closes the pool and stops the embedded database. */
    @Override
    public void close() {
        try {
            WebApp.drainAndStop(web, 6_000);
        } finally {
            if (demoEnt != null) demoEnt.close();
            database.close();
        }
    }

    public static void main(String[] args) {
        List<String> arguments = Arrays.asList(args);
        try {
            run(arguments);
        } catch (ConfigException e) {
            System.err.println("Sésame cannot start: " + e.getMessage());
            System.exit(1);
        }
    }

    private static void run(List<String> args) {
        String command = args.stream().filter(a -> !a.startsWith("--")).findFirst().orElse("serve");
        Config config = Config.fromEnvironment(System.getenv(), args.contains("--demo"));
        switch (command) {
            case "serve" -> serve(config);
            case "migrate" -> {
                try (Database db = Database.open(config)) {
                    int applied = Migrations.apply(db.dataSource());
                    System.out.println("Migrations applied: " + applied + ". The database is up to date.");
                }
            }
            default -> throw new ConfigException("Unknown command '" + command
                    + "'. Commands: serve (the default), migrate.");
        }
    }

    private static void serve(Config config) {
        long started = System.currentTimeMillis();
        Database database = Database.open(config);
        App app;
        try {
            Migrations.apply(database.dataSource());
            if (config.demo()) new DemoSeed(database.jdbi()).seed();
            app = build(config, database);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
        try {
            app.start(config.port());
        } catch (RuntimeException e) {
            database.close();
            throw new ConfigException("Port " + config.port() + " is already in use or cannot be opened. "
                    + "Stop the program using it or set PORT to another number.");
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("event=shutdown reason=signal");
            app.close();
            log.info("event=stopped");
        }, "sesame-shutdown"));
        log.info("event=started port={} database={} startupMs={}", app.port(),
                database.isEmbedded() ? "embedded" : "external", System.currentTimeMillis() - started);
        System.out.println();
        System.out.println("  Sésame is running: open " + config.baseUrl() + "/");
        if (config.demo()) DemoSeed.printSignInHelp(System.out, app.config());
        System.out.println("  Stop it with Ctrl+C.");
        System.out.println();
    }
}
