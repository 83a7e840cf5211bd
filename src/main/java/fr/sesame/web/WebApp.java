package fr.sesame.web;

import fr.sesame.Config;
import fr.sesame.auth.AdminController;
import fr.sesame.auth.Authenticator;
import fr.sesame.auth.EntController;
import fr.sesame.auth.EntLinksController;
import fr.sesame.auth.EntService;
import fr.sesame.booking.BookingController;
import fr.sesame.booking.BookingService;
import fr.sesame.booking.PlanningController;
import fr.sesame.booking.PlanningService;
import fr.sesame.booking.SessionApi;
import fr.sesame.booking.StaffBookingController;
import fr.sesame.booking.TrainerController;
import fr.sesame.calendar.CalendarController;
import fr.sesame.calendar.CalendarOutbox;
import fr.sesame.attendance.AttendanceService;
import fr.sesame.attendance.RosterController;
import fr.sesame.devices.DeviceApiController;
import fr.sesame.devices.RegisterController;
import fr.sesame.devices.SchoolController;
import fr.sesame.family.FamilyAdminController;
import fr.sesame.family.ParentController;
import fr.sesame.roster.DashboardController;
import fr.sesame.roster.FamilyDataController;
import fr.sesame.roster.ImportController;
import fr.sesame.roster.LettersController;
import fr.sesame.webhooks.WebhookController;
import fr.sesame.auth.SignInController;
import fr.sesame.auth.WebSessions;
import fr.sesame.db.Database;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import io.javalin.config.Key;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.jetty.server.Connector;
import org.jdbi.v3.core.Jdbi;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.StatisticsHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the web application: the route table, security headers, error pages and request log. */
public final class WebApp {
    private static final Logger log = LoggerFactory.getLogger(WebApp.class);
    private static final Logger requestLog = LoggerFactory.getLogger("request");
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

    /** One line of the route table: method, path and who may use it. */
    public record Route(String method, String path, Access access) {
    }

    private static final Key<List<Route>> ROUTES = new Key<>("sesame.routes");

    /** The route table of an app built by {@link #create}. */
    public static List<Route> routes(Javalin app) {
        return List.copyOf(app.unsafe.appDataManager.get(ROUTES));
    }

    /** Everything the web layer needs, built once by App. */
    public record Deps(Config config, Database database, WebSessions sessions, Authenticator authenticator,
                       EntService ent, CalendarOutbox calendarOutbox, BookingService booking, PlanningService planning,
                       AttendanceService attendance, fr.sesame.ops.Metrics metrics) {
    }

    private WebApp() {
    }

    /** Returns the application, not started: App and the tests start it on the port they choose. */
    public static Javalin create(Deps deps) {
        Views views = new Views();
        HealthController health = new HealthController(deps.database());
        RequestQueue queue = new RequestQueue(RequestQueue.concurrentForPool(), deps.config().requestWaitSeconds());
        HomeController home = new HomeController(views, deps.config().secureCookies());
        ErrorPages errors = new ErrorPages(views);
        AccessControl accessControl = new AccessControl(deps.authenticator(), deps.sessions());
        Jdbi jdbi = deps.database().jdbi();
        SignInController signIn = new SignInController(jdbi, views, deps.sessions(),
                deps.ent().enabled(), deps.ent().logoutUrl(), deps.config().baseUrl(), deps.config().trustedProxies());
        EntController ent = new EntController(views, deps.sessions(), deps.ent());
        BookingService bookingService = deps.booking();
        PlanningService planningService = deps.planning();
        ParentController parent = new ParentController(jdbi, views, bookingService, deps.sessions(), deps.ent().enabled());
        BookingController booking = new BookingController(bookingService, views);
        PlanningController planning = new PlanningController(planningService, bookingService, views);
        StaffBookingController onBehalf = new StaffBookingController(bookingService, views);
        SessionApi sessionApi = new SessionApi(planningService, bookingService);
        TrainerController trainer = new TrainerController(jdbi, views);
        SchoolController school = new SchoolController(jdbi, views);
        AdminController admin = new AdminController(jdbi, views, deps.sessions(),
                deps.calendarOutbox().feeds()::forgetStaff);
        FamilyAdminController families = new FamilyAdminController(jdbi, views);
        CalendarController calendar = new CalendarController(jdbi, views, deps.calendarOutbox().feeds(),
                deps.calendarOutbox(), deps.config().mail().configured());
        RosterController roster = new RosterController(deps.attendance(), views);
        RegisterController register = new RegisterController(jdbi, views);
        DeviceApiController deviceApi = new DeviceApiController(jdbi);
        WebhookController webhooks = new WebhookController(jdbi, views);
        ImportController rosterImport = new ImportController(jdbi, views);
        DashboardController dashboard = new DashboardController(jdbi, views);
        FamilyDataController familyData = new FamilyDataController(jdbi, views);
        EntLinksController entLinks = new EntLinksController(jdbi);
        LettersController letters = new LettersController(jdbi, views, deps.config().baseUrl(), deps.config().townContact());
        RequestIds requestIds = new RequestIds(deps.config().trustedProxies());
        fr.sesame.ops.ApiDocument apiDocument = new fr.sesame.ops.ApiDocument();

        List<Route> routeTable = new java.util.concurrent.CopyOnWriteArrayList<>();
        return Javalin.create(cfg -> {
            cfg.appData(ROUTES, routeTable);
            cfg.events.handlerAdded(meta -> meta.getRoles().stream()
                    .filter(Access.class::isInstance).map(Access.class::cast).findFirst()
                    .ifPresent(access -> routeTable.add(new Route(meta.getHttpMethod().name(), meta.getPath(), access))));
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.http.maxRequestSize = 2_000_000;
            // Roster uploads are multipart: four CSV files of 10 MB at most (a larger body is refused before parsing).
            cfg.jetty.multipartConfig.maxFileSize(ImportController.MAX_UPLOAD_BYTES, io.javalin.config.SizeUnit.BYTES);
            cfg.jetty.multipartConfig.maxTotalRequestSize(ImportController.MAX_UPLOAD_BYTES, io.javalin.config.SizeUnit.BYTES);
            cfg.jetty.multipartConfig.maxInMemoryFileSize(1, io.javalin.config.SizeUnit.MB);
            cfg.staticFiles.add(sf -> {
                sf.hostedPath = "/static";
                sf.directory = "/public/static";
                sf.location = Location.CLASSPATH;
                sf.headers = Map.of("Cache-Control", "public, max-age=3600");
                sf.roles = java.util.Set.of(Access.PUBLIC);
            });
            gracefulStop(cfg);
            // Requests beyond the request queue's permits wait in it on their own thread: enough threads that a
            // burst of parents does not leave a health check queued behind them in Jetty's own queue.
            org.eclipse.jetty.util.thread.QueuedThreadPool threads = new org.eclipse.jetty.util.thread.QueuedThreadPool(
                    1500, 8, 60_000);
            threads.setName("sesame-http");
            cfg.jetty.threadPool = threads;
            cfg.requestLogger.http((ctx, ms) -> {
                queue.leave(ctx);
                deps.metrics().record(ctx, ms);
                logRequest(ctx, ms);
                RequestIds.clear();
            });

            boolean https = deps.config().secureCookies();
            cfg.routes.before(requestIds::assign);
            cfg.routes.before(ctx -> securityHeaders(ctx, https));
            cfg.routes.before(queue::enter);
            cfg.routes.before(accessControl::prepare);
            cfg.routes.before("/admin/roster/import", rosterImport::rejectOversized);
            cfg.routes.beforeMatched(accessControl::check);
            cfg.routes.after(ctx -> {
                try {
                    deps.sessions().save(ctx);
                } catch (RuntimeException e) {
                    // A page read changed nothing: it may say the service is unavailable (its form would not work).
                    if (ctx.method() == io.javalin.http.HandlerType.GET || ctx.method() == io.javalin.http.HandlerType.HEAD) {
                        throw e;
                    }
                    // A form's answer stands (a booking that committed is not turned into an error page): at worst
                    // the web session misses this request's change.
                    log.warn("method={} path={} web session not saved: {}", ctx.method(), ctx.path(), e.toString());
                } finally {
                    queue.leave(ctx);
                }
            });

            // The route table: every route, with who may use it.
            cfg.routes.get("/", home::home, Access.PUBLIC);
            cfg.routes.get("/health", health::health, Access.PUBLIC);
            cfg.routes.get("/health/live", health::live, Access.PUBLIC);
            cfg.routes.get("/health/ready", health::health, Access.PUBLIC);
            cfg.routes.get("/lang/{lang}", home::switchLanguage, Access.PUBLIC);
            cfg.routes.get("/metrics", deps.metrics()::scrape, Access.METRICS);

            cfg.routes.get("/sign-in", signIn::choose, Access.PUBLIC);
            cfg.routes.get("/sign-in/code", signIn::codeForm, Access.PUBLIC);
            cfg.routes.post("/sign-in/code", signIn::codeSubmit, Access.PUBLIC);
            cfg.routes.get("/sign-in/staff", signIn::staffForm, Access.PUBLIC);
            cfg.routes.post("/sign-in/staff", signIn::staffSubmit, Access.PUBLIC);
            cfg.routes.post("/sign-out", signIn::signOut, Access.SIGNED_IN);
            cfg.routes.get("/auth/ent", ent::start, Access.PUBLIC);
            cfg.routes.get("/auth/ent/callback", ent::callback, Access.PUBLIC);
            cfg.routes.post("/auth/ent/backchannel-logout", ent::backchannelLogout, Access.ENT_SERVER);

            cfg.routes.get("/me", parent::home, Access.PARENT);
            cfg.routes.get("/trainer", trainer::sessions, Access.TRAINER);
            cfg.routes.get("/school", school::pupils, Access.SCHOOL_STAFF);

            cfg.routes.get("/admin", admin::home, Access.ADMIN);
            cfg.routes.get("/admin/staff", admin::staff, Access.ADMIN);
            cfg.routes.post("/admin/staff", admin::createStaff, Access.ADMIN);
            cfg.routes.post("/admin/staff/{id}/active", admin::setActive, Access.ADMIN);
            cfg.routes.get("/admin/tokens", admin::tokens, Access.ADMIN);
            cfg.routes.post("/admin/tokens", admin::createToken, Access.ADMIN);
            cfg.routes.post("/admin/tokens/{id}/revoke", admin::revokeToken, Access.ADMIN);
            cfg.routes.get("/admin/families", families::search, Access.ADMIN);
            cfg.routes.post("/admin/families/{id}/code", families::regenerateCode, Access.ADMIN);

            cfg.routes.get("/sessions", booking::sessions, Access.PARENT);
            cfg.routes.get("/sessions/{id}", booking::session, Access.PARENT);
            cfg.routes.post("/sessions/{id}/book", booking::book, Access.PARENT);
            cfg.routes.post("/sessions/{id}/wait", booking::joinWaitingList, Access.PARENT);
            cfg.routes.post("/waiting/{id}/leave", booking::leaveWaitingList, Access.PARENT);
            cfg.routes.get("/bookings/{id}/cancel", booking::cancelConfirm, Access.PARENT);
            cfg.routes.post("/bookings/{id}/cancel", booking::cancel, Access.PARENT);
            cfg.routes.get("/bookings/{id}/move", booking::moveChoices, Access.PARENT);
            cfg.routes.post("/bookings/{id}/move", booking::move, Access.PARENT);

            cfg.routes.get("/admin/workshops", planning::workshops, Access.ADMIN);
            cfg.routes.post("/admin/workshops", planning::createWorkshop, Access.ADMIN);
            cfg.routes.get("/admin/workshops/{id}", planning::workshop, Access.ADMIN);
            cfg.routes.post("/admin/workshops/{id}", planning::updateWorkshop, Access.ADMIN);
            cfg.routes.get("/admin/sessions", planning::sessions, Access.ADMIN);
            cfg.routes.get("/admin/sessions/new", planning::newSession, Access.ADMIN);
            cfg.routes.post("/admin/sessions", planning::createSession, Access.ADMIN);
            cfg.routes.get("/admin/sessions/{id}", planning::session, Access.ADMIN);
            cfg.routes.post("/admin/sessions/{id}", planning::updateSession, Access.ADMIN);
            cfg.routes.post("/admin/sessions/{id}/cancel", planning::cancelSession, Access.ADMIN);
            cfg.routes.get("/admin/series", planning::seriesForm, Access.ADMIN);
            cfg.routes.post("/admin/series", planning::seriesSubmit, Access.ADMIN);
            cfg.routes.get("/admin/families/{id}/bookings", onBehalf::family, Access.ADMIN);
            cfg.routes.post("/admin/families/{id}/book", onBehalf::book, Access.ADMIN);
            cfg.routes.post("/admin/families/{id}/bookings/{booking}/cancel", onBehalf::cancel, Access.ADMIN);
            cfg.routes.post("/admin/families/{id}/bookings/{booking}/move", onBehalf::move, Access.ADMIN);
            cfg.routes.get("/roster", dashboard::dashboard, Access.SCHOOL_STAFF);
            cfg.routes.get("/roster/families.csv", dashboard::exportCsv, Access.SCHOOL_STAFF);
            cfg.routes.get("/admin/roster/import", rosterImport::form, Access.ADMIN);
            cfg.routes.post("/admin/roster/import", rosterImport::upload, Access.ADMIN);
            cfg.routes.get("/admin/roster/import/{id}", rosterImport::preview, Access.ADMIN);
            cfg.routes.post("/admin/roster/import/{id}/commit", rosterImport::commit, Access.ADMIN);

            cfg.routes.get("/admin/roster/letters", letters::form, Access.ADMIN);
            cfg.routes.post("/admin/roster/letters", letters::print, Access.ADMIN);
            cfg.routes.get("/admin/roster/families/{id}", familyData::show, Access.ADMIN);
            cfg.routes.get("/admin/roster/families/{id}/export", familyData::export, Access.ADMIN);
            cfg.routes.post("/admin/roster/families/{id}/erase", familyData::erase, Access.ADMIN);
            cfg.routes.post("/admin/roster/families/{id}/ent-links/remove", entLinks::remove, Access.ADMIN);
            cfg.routes.post("/admin/roster/families/{id}/ent-requests/{request}/confirm", entLinks::confirm, Access.ADMIN);
            cfg.routes.post("/admin/roster/families/{id}/ent-requests/{request}/dismiss", entLinks::dismiss, Access.ADMIN);

            cfg.routes.get("/api/v1/openapi.json", apiDocument::serve, Access.PUBLIC);
            cfg.routes.get("/api/v1/me", admin::apiMe, Access.API_ANY);
            cfg.routes.get("/api/v1/sessions", sessionApi::list, Access.API_READ);
            cfg.routes.post("/api/v1/sessions", sessionApi::create, Access.API_ADMIN);

            // Calendar: a feed's secret token is its only credential; unknown or revoked tokens answer 404.
            cfg.routes.get("/calendar/feed/{token}.ics", calendar::feed, Access.PUBLIC);
            cfg.routes.get("/me/calendar", calendar::parentPage, Access.PARENT);
            cfg.routes.post("/me/calendar/link", calendar::parentNewLink, Access.PARENT);
            cfg.routes.get("/me/bookings/{id}/calendar.ics", calendar::download, Access.PARENT);
            cfg.routes.get("/trainer/calendar", calendar::trainerPage, Access.TRAINER);
            cfg.routes.post("/trainer/calendar/link", calendar::trainerNewLink, Access.TRAINER);
            cfg.routes.get("/school/calendar", calendar::schoolPage, Access.SCHOOL_STAFF);
            cfg.routes.post("/school/calendar/link", calendar::schoolNewLink, Access.SCHOOL_STAFF);
            cfg.routes.get("/admin/calendar", calendar::adminPage, Access.ADMIN);
            cfg.routes.post("/admin/calendar/link", calendar::adminNewLink, Access.ADMIN);
            cfg.routes.get("/admin/outbox", calendar::outboxPage, Access.ADMIN);

            // Attendance and devices (issue 5); a trainer only reaches their own sessions (checked by the service).
            cfg.routes.get("/trainer/offline-worker.js", roster::worker, Access.PUBLIC);
            cfg.routes.get("/trainer/sessions/{id}", roster::roster, Access.TRAINER);
            cfg.routes.post("/trainer/sessions/{id}/marks", roster::mark, Access.TRAINER);
            cfg.routes.post("/trainer/sessions/{id}/signatures", roster::sign, Access.TRAINER);
            cfg.routes.post("/trainer/sessions/{id}/close", roster::close, Access.TRAINER);
            cfg.routes.get("/admin/devices", register::list, Access.ADMIN);
            cfg.routes.get("/admin/devices/{id}", register::device, Access.ADMIN);
            cfg.routes.post("/admin/devices/{id}/lend", register::lend, Access.ADMIN);
            cfg.routes.post("/admin/devices/{id}/state", register::state, Access.ADMIN);
            cfg.routes.post("/admin/devices/{id}/home-use", register::homeUse, Access.ADMIN);
            cfg.routes.get("/admin/returns", register::returns, Access.ADMIN);
            cfg.routes.post("/admin/returns", register::markReturned, Access.ADMIN);
            cfg.routes.get("/admin/register.csv", register::csv, Access.ADMIN);
            cfg.routes.get("/api/v1/devices", deviceApi::devices, Access.API_IT);
            cfg.routes.get("/api/v1/device-changes", deviceApi::changes, Access.API_IT);
            cfg.routes.get("/api/v1/devices/{assetTag}", deviceApi::device, Access.API_IT);
            cfg.routes.get("/api/v1/register.csv", deviceApi::csv, Access.API_IT);
            cfg.routes.get("/admin/webhooks", webhooks::page, Access.ADMIN);
            cfg.routes.post("/admin/webhooks", webhooks::create, Access.ADMIN);
            cfg.routes.post("/admin/webhooks/{id}/delete", webhooks::delete, Access.ADMIN);

            cfg.routes.exception(HttpResponseException.class, errors::httpError);
            cfg.routes.exception(org.jdbi.v3.core.ConnectionException.class, errors::overloaded);
            cfg.routes.exception(RequestQueue.Full.class, errors::busy);
            cfg.routes.exception(Exception.class, errors::unexpected);
            cfg.routes.error(404, errors::notFound);
        });
    }

    private static void gracefulStop(JavalinConfig cfg) {
        cfg.jetty.modifyServer(server -> {
            server.setStopTimeout(2_000);
            server.setStopAtShutdown(false);
        });
    }

    /**
     * Stops taking requests, waits for those in flight to finish (at most {@code maxWaitMillis}), then stops
     * the server.
     */
    public static void drainAndStop(Javalin app, long maxWaitMillis) {
        Server server = app.jettyServer().server();
        for (Connector connector : server.getConnectors()) {
            connector.shutdown();
        }
        StatisticsHandler stats = server.getDescendant(StatisticsHandler.class);
        long deadline = System.currentTimeMillis() + maxWaitMillis;
        while (stats != null && stats.getRequestsActive() > 0 && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        app.stop();
    }

    private static void securityHeaders(Context ctx, boolean https) {
        // Every page and API answer may show personal data: none is kept by the browser (Back after sign-out
        // shows nothing) nor by a proxy. Static files and calendar feeds set their own caching.
        if (!ctx.path().startsWith("/static/")) ctx.header("Cache-Control", "no-store");
        if (https) ctx.header("Strict-Transport-Security", "max-age=31536000");
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "same-origin");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
        ctx.header("Cross-Origin-Opener-Policy", "same-origin");
    }

    /**
     * One line per request; the path only (no query string, which may carry codes or names), its secrets masked;
     * who asked by kind only. The same fields are key-values, so that JSON logs carry them as fields.
     */
    private static void logRequest(Context ctx, Float ms) {
        String route = fr.sesame.ops.Metrics.route(ctx);
        String path = maskSecrets(ctx.path());
        String actor = actorKind(ctx);
        long millis = Math.round(ms);
        requestLog.atInfo().addKeyValue("method", ctx.method().name()).addKeyValue("route", route)
                .addKeyValue("path", path).addKeyValue("status", ctx.statusCode()).addKeyValue("durationMs", millis)
                .addKeyValue("actor", actor)
                .log("method={} route={} path={} status={} durationMs={} actor={}", ctx.method(), route, path,
                        ctx.statusCode(), millis, actor);
    }

    /** anonymous, parent, trainer, school_staff, admin or api: never a name or an id. */
    private static String actorKind(Context ctx) {
        fr.sesame.auth.CurrentUser api = ctx.attribute(fr.sesame.auth.CurrentUser.class.getName());
        if (api != null) return api.role().key();
        PageContext.Viewer viewer = ctx.attribute(PageContext.Viewer.class.getName());
        return viewer == null || viewer.role() == null ? "anonymous" : viewer.role();
    }

    private static final java.util.regex.Pattern FEED_TOKEN = java.util.regex.Pattern.compile("^/calendar/feed/[^/]*");
    private static final java.util.regex.Pattern LONG_TOKEN = java.util.regex.Pattern.compile("(?<=/)[A-Za-z0-9_-]{20,}");

    /**
     * A feed's token is its only credential, whatever its length (a mistyped one is nearly right); any other long
     * random-looking path segment may be a token too. Ids, codes of schools and asset tags are shorter.
     */
    static String maskSecrets(String path) {
        String masked = FEED_TOKEN.matcher(path).replaceFirst("/calendar/feed/***");
        return LONG_TOKEN.matcher(masked).replaceAll("***");
    }

    /** Error pages in the visitor's language that reveal nothing internal. */
    static final class ErrorPages {
        private final Views views;

        ErrorPages(Views views) {
            this.views = views;
        }

        void notFound(Context ctx) {
            // A handler that answered its own JSON error (with a precise code) keeps it.
            String type = ctx.res().getContentType();
            if (ctx.result() != null && type != null && type.startsWith("application/json")) return;
            if (wantsJson(ctx)) {
                ctx.json(ApiError.body("not_found", Language.messages(ctx).t("error.404.title")));
            } else {
                views.render(ctx, "error/error.jte", new ErrorPage(404, "error.404.title", "error.404.text", null));
            }
        }

        void httpError(HttpResponseException e, Context ctx) {
            int status = e.getStatus();
            ctx.status(status);
            if (e instanceof AccessControl.CsrfRejected && !wantsJson(ctx)) {
                views.render(ctx, "error/error.jte", new ErrorPage(403, "error.csrf.title", "error.csrf.text", null));
                return;
            }
            if (status == 404) {
                notFound(ctx);
                return;
            }
            String key = "error." + (status >= 500 ? 500 : status);
            Messages msg = Language.messages(ctx);
            String title = msg.has(key + ".title") ? key + ".title" : "error.400.title";
            if (wantsJson(ctx)) {
                ctx.json(ApiError.body("http_" + status, msg.t(title)));
            } else {
                views.render(ctx, "error/error.jte", new ErrorPage(status, title,
                        msg.has(key + ".text") ? key + ".text" : "error.400.text", null));
            }
        }

        /** No database connection came in time (a storm of requests, or the database away): 503, try again. */
        void overloaded(Exception e, Context ctx) {
            log.warn("method={} path={} no database connection in time: {}", ctx.method(), maskSecrets(ctx.path()), e.getMessage());
            ctx.status(503).header("Retry-After", "2");
            if (wantsJson(ctx)) {
                ctx.json(ApiError.body("unavailable", Language.messages(ctx).t("error.503.title")));
            } else {
                views.render(ctx, "error/error.jte", new ErrorPage(503, "error.503.title", "error.503.text", null));
            }
        }

        /** The request waited its turn longer than REQUEST_WAIT_SECONDS: nothing was done, retry in a moment. */
        void busy(RequestQueue.Full e, Context ctx) {
            log.warn("method={} path={} shed: no turn in the request queue in time", ctx.method(), ctx.path());
            ctx.status(503).header("Retry-After", "2");
            if (wantsJson(ctx)) {
                ctx.json(ApiError.body("busy", Language.messages(ctx).t("error.busy.title")));
            } else {
                views.render(ctx, "error/error.jte", new ErrorPage(503, "error.busy.title", "error.busy.text", null));
            }
        }

        void unexpected(Exception e, Context ctx) {
            if (databaseUnavailable(e)) {
                log.warn("method={} path={} database unavailable", ctx.method(), maskSecrets(ctx.path()));
                ctx.status(503).header("Retry-After", "30");
                if (wantsJson(ctx)) {
                    ctx.json(ApiError.body("unavailable", Language.messages(ctx).t("error.503.title")));
                } else {
                    views.render(ctx, "error/error.jte", new ErrorPage(503, "error.503.title", "error.503.text", null));
                }
                return;
            }
            // The request id: it is in the answer's header and in every log line of the request.
            String incident = RequestIds.of(ctx) != null ? RequestIds.of(ctx) : UUID.randomUUID().toString().substring(0, 8);
            log.error("incident={} method={} path={} unexpected error", incident, ctx.method(), maskSecrets(ctx.path()), e);
            ctx.status(500);
            if (wantsJson(ctx)) {
                ctx.json(ApiError.body("internal", Language.messages(ctx).t("error.500.title")));
            } else {
                views.render(ctx, "error/error.jte", new ErrorPage(500, "error.500.title", "error.500.text", incident));
            }
        }

        private static boolean databaseUnavailable(Throwable e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof java.sql.SQLTransientConnectionException
                        || t instanceof org.jdbi.v3.core.ConnectionException) {
                    return true;
                }
                // 08: connection exceptions; 57P: the server shutting down or restarting
                if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null
                        && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                    return true;
                }
                if (t.getCause() == t) break;
            }
            return false;
        }

        private static boolean wantsJson(Context ctx) {
            String accept = ctx.header("Accept");
            return ctx.path().startsWith("/api/") || ctx.path().startsWith("/health")
                    || (accept != null && accept.contains("application/json") && !accept.contains("text/html"));
        }
    }

    /** The model of the error page. */
    public record ErrorPage(int status, String titleKey, String textKey, String incident) {
    }
}
