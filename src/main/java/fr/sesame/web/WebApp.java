package fr.sesame.web;

import fr.sesame.Config;
import fr.sesame.auth.AdminController;
import fr.sesame.auth.Authenticator;
import fr.sesame.booking.TrainerController;
import fr.sesame.devices.SchoolController;
import fr.sesame.family.FamilyAdminController;
import fr.sesame.family.ParentController;
import fr.sesame.roster.DashboardController;
import fr.sesame.roster.FamilyDataController;
import fr.sesame.roster.ImportController;
import fr.sesame.roster.LettersController;
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
    public record Deps(Config config, Database database, WebSessions sessions, Authenticator authenticator) {
    }

    private WebApp() {
    }

    /** Returns the application, not started: App and the tests start it on the port they choose. */
    public static Javalin create(Deps deps) {
        Views views = new Views();
        HealthController health = new HealthController(deps.database());
        HomeController home = new HomeController(views, deps.config().secureCookies());
        ErrorPages errors = new ErrorPages(views);
        AccessControl accessControl = new AccessControl(deps.authenticator(), deps.sessions());
        Jdbi jdbi = deps.database().jdbi();
        SignInController signIn = new SignInController(jdbi, views, deps.sessions(), false, null,
                deps.config().baseUrl());
        ParentController parent = new ParentController(jdbi, views);
        TrainerController trainer = new TrainerController(jdbi, views);
        SchoolController school = new SchoolController(jdbi, views);
        AdminController admin = new AdminController(jdbi, views, deps.sessions());
        FamilyAdminController families = new FamilyAdminController(jdbi, views);
        ImportController rosterImport = new ImportController(jdbi, views);
        DashboardController dashboard = new DashboardController(jdbi, views);
        FamilyDataController familyData = new FamilyDataController(jdbi, views);
        LettersController letters = new LettersController(jdbi, views, deps.config().baseUrl(), deps.config().townContact());

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
            cfg.requestLogger.http(WebApp::logRequest);

            cfg.routes.before(WebApp::securityHeaders);
            cfg.routes.before(accessControl::prepare);
            cfg.routes.before("/admin/roster/import", rosterImport::rejectOversized);
            cfg.routes.beforeMatched(accessControl::check);
            cfg.routes.after(ctx -> deps.sessions().save(ctx));

            // The route table: every route, with who may use it.
            cfg.routes.get("/", home::home, Access.PUBLIC);
            cfg.routes.get("/health", health::health, Access.PUBLIC);
            cfg.routes.get("/lang/{lang}", home::switchLanguage, Access.PUBLIC);

            cfg.routes.get("/sign-in", signIn::choose, Access.PUBLIC);
            cfg.routes.get("/sign-in/code", signIn::codeForm, Access.PUBLIC);
            cfg.routes.post("/sign-in/code", signIn::codeSubmit, Access.PUBLIC);
            cfg.routes.get("/sign-in/staff", signIn::staffForm, Access.PUBLIC);
            cfg.routes.post("/sign-in/staff", signIn::staffSubmit, Access.PUBLIC);
            cfg.routes.post("/sign-out", signIn::signOut, Access.SIGNED_IN);

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

            cfg.routes.get("/api/v1/me", admin::apiMe, Access.API_ANY);

            cfg.routes.exception(HttpResponseException.class, errors::httpError);
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

    private static void securityHeaders(Context ctx) {
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "same-origin");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
        ctx.header("Cross-Origin-Opener-Policy", "same-origin");
    }

    /** One line per request; the path only (no query string, which may carry codes or names). */
    private static void logRequest(Context ctx, Float ms) {
        requestLog.info("method={} path={} status={} durationMs={}", ctx.method(), ctx.path(), ctx.statusCode(),
                Math.round(ms));
    }

    /** Error pages in the visitor's language that reveal nothing internal. */
    static final class ErrorPages {
        private final Views views;

        ErrorPages(Views views) {
            this.views = views;
        }

        void notFound(Context ctx) {
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

        void unexpected(Exception e, Context ctx) {
            String incident = UUID.randomUUID().toString().substring(0, 8);
            log.error("incident={} method={} path={} unexpected error", incident, ctx.method(), ctx.path(), e);
            ctx.status(500);
            if (wantsJson(ctx)) {
                ctx.json(ApiError.body("internal", Language.messages(ctx).t("error.500.title")));
            } else {
                views.render(ctx, "error/error.jte", new ErrorPage(500, "error.500.title", "error.500.text", incident));
            }
        }

        private static boolean wantsJson(Context ctx) {
            String accept = ctx.header("Accept");
            return ctx.path().startsWith("/api/") || ctx.path().equals("/health")
                    || (accept != null && accept.contains("application/json") && !accept.contains("text/html"));
        }
    }

    /** The model of the error page. */
    public record ErrorPage(int status, String titleKey, String textKey, String incident) {
    }
}
