package fr.sesame;

import fr.sesame.Config.ConfigException;
import fr.sesame.attendance.AttendanceService;
import fr.sesame.attendance.AttendanceSheetController;
import fr.sesame.audit.Actor;
import fr.sesame.auth.AccountDao;
import fr.sesame.auth.AdminController;
import fr.sesame.auth.Authenticator;
import fr.sesame.auth.EntController;
import fr.sesame.auth.EntLinks;
import fr.sesame.auth.EntLinksController;
import fr.sesame.auth.EntService;
import fr.sesame.auth.LetterCodes;
import fr.sesame.auth.LoginSessions;
import fr.sesame.auth.SignInController;
import fr.sesame.auth.StaffAccounts;
import fr.sesame.auth.Throttle;
import fr.sesame.booking.BookingController;
import fr.sesame.booking.BookingService;
import fr.sesame.booking.PlanningController;
import fr.sesame.booking.PlanningDao;
import fr.sesame.booking.PlanningService;
import fr.sesame.booking.SessionApi;
import fr.sesame.booking.StaffBookingController;
import fr.sesame.booking.TrainerController;
import fr.sesame.booking.TrainerDao;
import fr.sesame.calendar.CalendarController;
import fr.sesame.calendar.CalendarDao;
import fr.sesame.calendar.CalendarFeeds;
import fr.sesame.calendar.CalendarOutbox;
import fr.sesame.calendar.OutboxDao;
import fr.sesame.calendar.OutboxWorker;
import fr.sesame.db.ClaimLoop;
import fr.sesame.db.Database;
import fr.sesame.db.Migrations;
import fr.sesame.db.TownUrls;
import fr.sesame.demo.DemoEnt;
import fr.sesame.demo.DemoEntAvailability;
import fr.sesame.demo.DemoSeed;
import fr.sesame.devices.ChangeFeed;
import fr.sesame.devices.DeviceApiController;
import fr.sesame.devices.DeviceDao;
import fr.sesame.devices.Register;
import fr.sesame.devices.RegisterController;
import fr.sesame.devices.SchoolController;
import fr.sesame.devices.SchoolDao;
import fr.sesame.family.FamilyAdminController;
import fr.sesame.family.FamilyDao;
import fr.sesame.family.ParentController;
import fr.sesame.messaging.DeliveryReports;
import fr.sesame.messaging.LogSmsSender;
import fr.sesame.messaging.Reminders;
import fr.sesame.messaging.SmsFactorSender;
import fr.sesame.messaging.SmsOutbox;
import fr.sesame.messaging.SmsReportController;
import fr.sesame.messaging.SmsWorker;
import fr.sesame.messaging.SmsWorkerDao;
import fr.sesame.ops.ApiDocument;
import fr.sesame.ops.Metrics;
import fr.sesame.roster.Dashboard;
import fr.sesame.roster.DashboardController;
import fr.sesame.roster.FamilyData;
import fr.sesame.roster.FamilyDataController;
import fr.sesame.roster.ImportController;
import fr.sesame.roster.LetterPdf;
import fr.sesame.roster.Letters;
import fr.sesame.roster.LettersController;
import fr.sesame.roster.RosterImport;
import fr.sesame.web.HealthController;
import fr.sesame.web.HomeController;
import fr.sesame.web.Views;
import fr.sesame.web.WebApp;
import fr.sesame.webhooks.WebhookController;
import fr.sesame.webhooks.WebhookWorker;
import fr.sesame.webhooks.Webhooks;
import io.javalin.Javalin;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The composition root: configuration, then the database, then the services, then the web. */
public final class App implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(App.class);

    private final Config config;
    private final Database database;
    private final Javalin web;
    private final LoginSessions sessions;
    private final DemoEnt demoEnt;
    private final java.util.concurrent.ScheduledExecutorService housekeeping =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                    r -> {
                        Thread t = new Thread(r, "sesame-housekeeping");
                        t.setDaemon(true);
                        return t;
                    });

    private final OutboxWorker outboxWorker;
    private final CalendarOutbox calendarOutbox;
    private final WebhookWorker webhookWorker;
    private final SmsWorker smsWorker;
    private final FamilyData familyData;
    private final Metrics metrics;
    private AutoCloseable retention = () -> {};
    private final ClaimLoop reminderLoop;
    private fr.sesame.town.TownSettings townSettings;

    private App(
            Config config,
            Database database,
            Javalin web,
            LoginSessions sessions,
            DemoEnt demoEnt,
            OutboxWorker outboxWorker,
            CalendarOutbox calendarOutbox,
            WebhookWorker webhookWorker,
            SmsWorker smsWorker,
            FamilyData familyData,
            Metrics metrics,
            ClaimLoop reminderLoop) {
        this.config = config;
        this.database = database;
        this.web = web;
        this.sessions = sessions;
        this.demoEnt = demoEnt;
        this.outboxWorker = outboxWorker;
        this.calendarOutbox = calendarOutbox;
        this.webhookWorker = webhookWorker;
        this.smsWorker = smsWorker;
        this.familyData = familyData;
        this.metrics = metrics;
        this.reminderLoop = reminderLoop;
    }

    /**
     * Brings the database up to date: migrations, the demo town when asked, the first admin from
     * the environment.
     */
    public static void prepare(Config config, Database database) {
        Migrations.apply(database.dataSource(), Migrations.FirstTown.of(config));
        // The demo and the first admin of the environment are the first town's (issue 17).
        fr.sesame.db.Towns towns = database.towns();
        towns.reload();
        towns.in(
                towns.first().id(),
                () -> {
                    if (config.demo()) new DemoSeed(database.jdbi()).seed();
                    if (new StaffAccounts(database.jdbi())
                            .ensureFirstAdmin(config.adminEmail(), config.adminPassword())) {
                        log.info("event=first_admin_created");
                    }
                    return null;
                });
    }

    /**
     * Runs a command's work in the town of its {@code --town=SLUG} argument, by default the first
     * town.
     */
    private static <T> T inCommandTown(
            Database db, List<String> args, java.util.function.Supplier<T> work) {
        fr.sesame.db.Towns towns = db.towns();
        towns.reload();
        String slug =
                args.stream()
                        .filter(a -> a.startsWith("--town="))
                        .map(a -> a.substring("--town=".length()))
                        .findFirst()
                        .orElse(null);
        fr.sesame.db.Towns.Town town =
                slug == null
                        ? towns.first()
                        : towns.bySlug(slug)
                                .orElseThrow(
                                        () ->
                                                new ConfigException(
                                                        "No town has the slug '" + slug + "'."));
        return towns.in(town.id(), work);
    }

    /**
     * Builds the whole application on an open database, migrated: every service, worker and
     * controller, and the route table; nothing is started.
     */
    public static App build(Config config, Database database) {
        // Demo mode without an ENT: a real OpenID provider on localhost plays the school's ENT.
        DemoEnt demoEnt = config.demo() && config.ent() == null ? startDemoEnt(config) : null;
        if (demoEnt != null) config = config.withEnt(demoEnt.settings());
        Jdbi jdbi = database.jdbi();

        LoginSessions sessions = new LoginSessions(jdbi, config.secureCookies());
        Authenticator authenticator = new Authenticator(jdbi, sessions);
        // each town's links (letters, e-mails, invitations, feeds, SMS) carry its own address
        TownUrls townUrls = new TownUrls(config.baseUrl(), database.towns());
        EntService ent = new EntService(config.ent(), townUrls, jdbi, sessions);
        LetterCodes letterCodes = new LetterCodes(jdbi);
        EntLinks entLinks = new EntLinks(jdbi);
        // Without SMTP settings no worker runs: e-mails stay in the outbox, listed at
        // /admin/outbox.
        OutboxWorker outboxWorker =
                config.mail().configured() ? new OutboxWorker(jdbi, config.mail(), townUrls) : null;
        CalendarFeeds feeds = new CalendarFeeds(jdbi, townUrls, config.mail());
        CalendarOutbox calendarOutbox =
                new CalendarOutbox(
                        townUrls,
                        config.mail(),
                        feeds,
                        outboxWorker == null ? () -> {} : outboxWorker::wake);
        BookingService booking = new BookingService(jdbi, calendarOutbox);
        PlanningService planning = new PlanningService(booking);

        FamilyData familyData = new FamilyData(jdbi);
        // Each town's own settings; the environment's values are the defaults (issue 17).
        fr.sesame.town.TownSettings townSettings = townSettings(config, jdbi);
        Webhooks webhooks = new Webhooks(jdbi);
        // Endpoints are registered at run time by the education service: the worker always runs.
        WebhookWorker webhookWorker =
                new WebhookWorker(jdbi, config.webhooks().poll(), config.webhooks().retry());
        // SMS_SENDER=log (the default): messages are logged and listed at /admin/outbox;
        // SMS_SENDER=smsfactor: sent through SMS Factor's API (its token is never logged).
        SmsWorker smsWorker =
                new SmsWorker(
                        jdbi,
                        config.sms().sender().equals("smsfactor")
                                ? new SmsFactorSender(
                                        config.sms().factorUrl(), config.sms().factorToken())
                                : new LogSmsSender(),
                        townSettings::smsSenderName,
                        java.time.Clock.systemUTC(),
                        config.sms().poll());

        // Session reminders by SMS and e-mail: a pass every minute writes the reminders now due to
        // the SMS and mail outboxes (each once: its idempotency key is unique), sent by their
        // workers.
        SmsOutbox smsOutbox =
                new SmsOutbox(
                        townUrls, Clock.systemUTC(), config.sms().maxParts(), smsWorker::wake);
        Reminders reminders =
                new Reminders(
                        jdbi,
                        smsOutbox,
                        calendarOutbox,
                        Clock.systemUTC(),
                        config.reminder().daysBefore(),
                        config.reminder().morningAt());
        // Personal links, campaigns and the no-show follow-up (issue 16): their e-mails go
        // through the same outbox as the invitations.
        Runnable mailWritten = outboxWorker == null ? () -> {} : outboxWorker::wake;
        fr.sesame.reach.PersonalLinks personalLinks =
                new fr.sesame.reach.PersonalLinks(
                        jdbi, townUrls, Clock.systemUTC(), townSettings::personalLinkValidity);
        fr.sesame.reach.FollowUps followUps =
                new fr.sesame.reach.FollowUps(personalLinks, smsOutbox, mailWritten);
        AttendanceService attendance =
                new AttendanceService(jdbi, townSettings::markingOpens, followUps::sessionClosed);
        ClaimLoop reminderLoop =
                new ClaimLoop(
                        "reminders",
                        Duration.ofMinutes(1),
                        database.towns().eachTown(reminders::pass),
                        n -> false);

        Metrics metrics = new Metrics(jdbi, database.dataSource(), config.metricsToken());
        // the guardian's opt-out, from the link and from the family's page: one service
        fr.sesame.messaging.OptOut optOut = new fr.sesame.messaging.OptOut(jdbi, Clock.systemUTC());
        Views views = new Views();
        fr.sesame.auth.GuardianLanguages guardianLanguages =
                new fr.sesame.auth.GuardianLanguages(jdbi);
        Routes routes =
                new Routes(
                        new HomeController(
                                views,
                                config.secureCookies(),
                                (ctx, lang) -> guardianLanguages.chosen(ctx, sessions, lang)),
                        new HealthController(database::answersHealthCheck),
                        new SignInController(
                                jdbi.onDemand(AccountDao.class),
                                views,
                                sessions,
                                new Throttle(jdbi),
                                letterCodes,
                                ent.enabled(),
                                ent.logoutUrl(),
                                townUrls,
                                config.trustedProxies()),
                        new EntController(views, sessions, ent),
                        new ParentController(
                                jdbi.onDemand(FamilyDao.class),
                                views,
                                booking,
                                sessions,
                                ent.enabled()),
                        new TrainerController(jdbi.onDemand(TrainerDao.class), views),
                        new SchoolController(jdbi.onDemand(SchoolDao.class), views),
                        new AdminController(
                                new StaffAccounts(jdbi), views, sessions, feeds::forgetStaff),
                        new FamilyAdminController(
                                jdbi.onDemand(FamilyDao.class), views, letterCodes),
                        new BookingController(booking, views),
                        new PlanningController(
                                planning, booking, jdbi.onDemand(PlanningDao.class), views),
                        new StaffBookingController(booking, views),
                        new DashboardController(new Dashboard(jdbi), views),
                        new ImportController(views, new RosterImport(jdbi)),
                        new LettersController(
                                new Letters(
                                        jdbi,
                                        new LetterPdf(townUrls, townSettings::contact),
                                        letterCodes),
                                views),
                        new FamilyDataController(views, familyData, entLinks, optOut),
                        new EntLinksController(entLinks),
                        new SessionApi(planning, booking, jdbi.onDemand(PlanningDao.class)),
                        new CalendarController(
                                jdbi.onDemand(CalendarDao.class),
                                jdbi.onDemand(OutboxDao.class),
                                jdbi.onDemand(SmsWorkerDao.class),
                                views,
                                feeds,
                                calendarOutbox,
                                config.mail().configured()),
                        new AttendanceSheetController(attendance, views),
                        new RegisterController(
                                jdbi.onDemand(DeviceDao.class),
                                jdbi.onDemand(SchoolDao.class),
                                views,
                                new Register(jdbi)),
                        new DeviceApiController(
                                jdbi.onDemand(DeviceDao.class), new ChangeFeed(jdbi)),
                        new WebhookController(views, webhooks),
                        new fr.sesame.messaging.OptOutController(optOut, views),
                        metrics,
                        new ApiDocument(),
                        new fr.sesame.messaging.OptOutAdminController(optOut),
                        new fr.sesame.attendance.PaperMarksController(attendance, views),
                        new SmsReportController(
                                new DeliveryReports(jdbi, Clock.systemUTC()),
                                config.sms().callbackSecret()),
                        new fr.sesame.reach.PersonalLinkController(
                                personalLinks,
                                sessions,
                                new Throttle(jdbi),
                                config.trustedProxies(),
                                views),
                        new fr.sesame.reach.CampaignController(
                                new fr.sesame.reach.Campaigns(
                                        jdbi, personalLinks, smsOutbox, mailWritten),
                                views),
                        new fr.sesame.town.TownSettingsController(townSettings, views));
        Javalin web =
                WebApp.create(
                        new WebApp.Settings(
                                config.secureCookies(),
                                config.requestWaitSeconds(),
                                ImportController.MAX_UPLOAD_BYTES,
                                config.trustedProxies()),
                        authenticator,
                        views,
                        routes::addTo,
                        metrics::record,
                        hostTowns(database.towns()));
        return new App(
                        config,
                        database,
                        web,
                        sessions,
                        demoEnt,
                        outboxWorker,
                        calendarOutbox,
                        webhookWorker,
                        smsWorker,
                        familyData,
                        metrics,
                        reminderLoop)
                .withTownSettings(townSettings);
    }

    /** Each town's settings, with the environment's values as defaults (issue 17). */
    static fr.sesame.town.TownSettings townSettings(Config config, Jdbi jdbi) {
        return new fr.sesame.town.TownSettings(
                jdbi,
                new fr.sesame.town.TownSettings.Defaults(
                        config.townContact(),
                        config.retentionDays(),
                        config.sms().senderName(),
                        config.markingOpensMinutes(),
                        config.personalLinkDays()));
    }

    private App withTownSettings(fr.sesame.town.TownSettings settings) {
        this.townSettings = settings;
        return this;
    }

    private static DemoEnt startDemoEnt(Config config) {
        if (!DemoEntAvailability.inThisJar()) {
            log.warn("event=demo_ent_not_in_jar {}", DemoEntAvailability.WHAT_TO_DO);
            return null;
        }
        try {
            return DemoEnt.start(config.port() > 1024 ? config.port() + 1 : 0);
        } catch (RuntimeException e) {
            log.warn(
                    "event=demo_ent_not_started error=\"{}\" (parents can still sign in with a letter code)",
                    e.toString());
            return null;
        }
    }

    /**
     * A request is in the town of its host name; in a single-town deployment, any host reaches the
     * one town (today's URLs keep working).
     */
    private static fr.sesame.web.HostTowns hostTowns(fr.sesame.db.Towns towns) {
        return new fr.sesame.web.HostTowns() {
            @Override
            public boolean enter(String hostHeader) {
                towns.leave();
                return towns.forHost(hostHeader)
                        .map(
                                t -> {
                                    towns.enter(t.id());
                                    return true;
                                })
                        .orElse(false);
            }

            @Override
            public void leave() {
                towns.leave();
            }
        };
    }

    public App start(int port) {
        if (config.host() == null) web.start(port);
        else web.start(config.host(), port);
        housekeeping.scheduleWithFixedDelay(
                database.towns().eachTown((Runnable) this::housekeeping),
                1,
                30,
                java.util.concurrent.TimeUnit.MINUTES);
        if (outboxWorker != null) outboxWorker.start();
        webhookWorker.start();
        smsWorker.start();
        reminderLoop.start();
        retention =
                townSettings == null
                        ? familyData.startDaily(config.retentionDays())
                        : familyData.startDaily(townSettings::retentionDays);
        return this;
    }

    /** Forgets expired sessions and old sign-in failures. */
    private void housekeeping() {
        try {
            int purged = sessions.purgeExpired();
            if (purged > 0) log.info("event=sessions_purged count={}", purged);
        } catch (RuntimeException e) {
            log.warn("event=housekeeping_failed reason={}", e.getMessage());
        }
    }

    public int port() {
        return web.port();
    }

    public Javalin web() {
        return web;
    }

    public Database database() {
        return database;
    }

    public Config config() {
        return config;
    }

    /** The SMS worker: {@code SmsOutbox} wakes it after a transaction that wrote an SMS. */
    /** Each town's own settings (issue 17). */
    public fr.sesame.town.TownSettings townSettings() {
        return townSettings;
    }

    public SmsWorker smsWorker() {
        return smsWorker;
    }

    /**
     * What the booking service calls, inside its transactions, so that calendars follow bookings.
     */
    public CalendarOutbox calendarOutbox() {
        return calendarOutbox;
    }

    /**
     * Stops taking requests, finishes those in flight, closes the pool and stops the embedded
     * database.
     */
    @Override
    public void close() {
        housekeeping.shutdownNow();
        try {
            retention.close();
        } catch (Exception e) {
            // the timer thread is a daemon: it ends with the process anyway
            log.warn("event=retention_timer_not_stopped error=\"{}\"", e.toString());
        }
        if (outboxWorker != null) outboxWorker.close();
        webhookWorker.close();
        smsWorker.close();
        reminderLoop.close();
        try {
            WebApp.drainAndStop(web, 6_000);
        } finally {
            if (demoEnt != null) demoEnt.close();
            metrics.close();
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
                    int applied =
                            Migrations.apply(db.dataSource(), Migrations.FirstTown.of(config));
                    System.out.println(
                            "Migrations applied: " + applied + ". The database is up to date.");
                }
            }
            case "create-admin" -> createAdmin(config, args);
            case "create-token" -> createToken(config, args);
            case "purge-returned" -> {
                try (Database db = Database.open(config)) {
                    Migrations.apply(db.dataSource(), Migrations.FirstTown.of(config));
                    int deleted =
                            db.towns()
                                    .eachTown(
                                            () ->
                                                    new FamilyData(db.jdbi())
                                                            .purgeReturned(
                                                                    townSettings(config, db.jdbi())
                                                                            .retentionDays()))
                                    .getAsInt();
                    System.out.println(
                            "Families deleted (devices returned more than "
                                    + config.retentionDays()
                                    + " days ago): "
                                    + deleted
                                    + ".");
                }
            }
            default ->
                    throw new ConfigException(
                            "Unknown command '"
                                    + command
                                    + "'. Commands: serve (the default), migrate, create-admin EMAIL, create-token NAME --scope SCOPE, "
                                    + "purge-returned (create-admin and create-token: --town=SLUG for another town than the first).");
        }
    }

    /** Says at once when the port is taken, before the database is started. */
    private static void checkPortFree(String host, int port) {
        if (port == 0) return;
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(
                    host == null
                            ? new java.net.InetSocketAddress(port)
                            : new java.net.InetSocketAddress(host, port));
        } catch (java.io.IOException e) {
            throw new ConfigException(
                    "Port "
                            + port
                            + " is already in use or cannot be opened. "
                            + "Stop the program using it or set PORT to another number.");
        }
    }

    private static void createAdmin(Config config, List<String> args) {
        List<String> plain = args.stream().filter(a -> !a.startsWith("--")).toList();
        if (plain.size() < 2)
            throw new ConfigException(
                    "Usage: create-admin EMAIL (the password is read from ADMIN_PASSWORD or asked).");
        String email = plain.get(1);
        String password = config.adminPassword();
        if (password == null) password = askPassword();
        try (Database db = Database.open(config)) {
            Migrations.apply(db.dataSource(), Migrations.FirstTown.of(config));
            String pw = password;
            // the address of the admin's town
            String townUrl =
                    inCommandTown(
                            db,
                            args,
                            () -> {
                                new StaffAccounts(db.jdbi()).createOrResetAdmin(email, pw);
                                return new TownUrls(config.baseUrl(), db.towns()).current();
                            });
            System.out.println(
                    "Admin account ready: " + email + ". Sign in at " + townUrl + "/sign-in/staff");
        }
    }

    private static String askPassword() {
        java.io.Console console = System.console();
        if (console != null) {
            char[] typed =
                    console.readPassword("Password for the new admin (12 characters or more): ");
            return typed == null ? null : new String(typed);
        }
        try {
            return new java.io.BufferedReader(
                            new java.io.InputStreamReader(
                                    System.in, java.nio.charset.StandardCharsets.UTF_8))
                    .readLine();
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static void createToken(Config config, List<String> args) {
        List<String> plain = new java.util.ArrayList<>();
        String scope = null;
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("--scope") && i + 1 < args.size()) scope = args.get(++i);
            else if (args.get(i).startsWith("--scope=")) scope = args.get(i).substring(8);
            else if (!args.get(i).startsWith("--")) plain.add(args.get(i));
        }
        if (plain.size() < 2 || scope == null || !List.of("read", "it", "admin").contains(scope)) {
            throw new ConfigException("Usage: create-token NAME --scope read|it|admin");
        }
        try (Database db = Database.open(config)) {
            Migrations.apply(db.dataSource(), Migrations.FirstTown.of(config));
            String tokenScope = scope;
            System.out.println(
                    inCommandTown(
                            db,
                            args,
                            () ->
                                    new StaffAccounts(db.jdbi())
                                            .createToken(
                                                    Actor.COMMAND_LINE, plain.get(1), tokenScope)));
        }
    }

    private static void serve(Config config) {
        long started = System.currentTimeMillis();
        checkPortFree(config.host(), config.port());
        Database database = Database.open(config);
        App app;
        try {
            prepare(config, database);
            app = build(config, database);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
        try {
            app.start(config.port());
        } catch (RuntimeException e) {
            database.close();
            throw new ConfigException(
                    "Port "
                            + config.port()
                            + " is already in use or cannot be opened"
                            + (config.host() == null ? "" : " on " + config.host())
                            + ". "
                            + "Stop the program using it, or set PORT to another number (or HOST to an address of this machine).");
        }
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    log.info("event=shutdown reason=signal");
                                    app.close();
                                    log.info("event=stopped");
                                },
                                "sesame-shutdown"));
        log.info(
                "event=started host={} port={} database={} startupMs={}",
                config.host() == null ? "*" : config.host(),
                app.port(),
                database.isEmbedded() ? "embedded" : "external",
                System.currentTimeMillis() - started);
        System.out.println();
        System.out.println("  Sésame is running: open " + config.baseUrl() + "/");
        if (config.demo()) DemoSeed.printSignInHelp(System.out, app.config());
        System.out.println("  Stop it with Ctrl+C.");
        System.out.println();
    }
}
