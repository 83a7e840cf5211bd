package fr.sesame.web;

import fr.sesame.json.Json;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.config.Key;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.StatisticsHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the web application around a route table given by the composition root: security headers,
 * the request queue, access rules, CSRF, error pages and the request log. Knows no feature.
 */
public final class WebApp {
    private static final Logger log = LoggerFactory.getLogger(WebApp.class);
    private static final Logger requestLog = LoggerFactory.getLogger("request");
    static final String CSP =
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                    + "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

    /** One line of the route table: method, path and who may use it. */
    public record Route(String method, String path, Access access) {}

    private static final Key<List<Route>> ROUTES = new Key<>("sesame.routes");

    /** The route table of an app built by {@link #create}. */
    public static List<Route> routes(Javalin app) {
        return List.copyOf(app.unsafe.appDataManager.get(ROUTES));
    }

    /**
     * What the web layer is set with: HTTPS (secure cookies, HSTS), how long a request may wait its
     * turn, the largest multipart upload, and the proxies whose X-Request-Id (and client address)
     * are believed.
     */
    public record Settings(
            boolean https,
            int requestWaitSeconds,
            long maxUploadBytes,
            TrustedProxies trustedProxies) {}

    private WebApp() {}

    /**
     * Returns the application, not started: App and the tests start it on the port they choose.
     * {@code routeTable} adds every route, each with its {@link Access} rule (a route without one
     * is refused).
     */
    public static Javalin create(
            Settings settings,
            Visitors visitors,
            Views views,
            Consumer<RoutesConfig> routeTable,
            Answered answered,
            HostTowns hostTowns) {
        RequestQueue queue =
                new RequestQueue(RequestQueue.concurrentForPool(), settings.requestWaitSeconds());
        ErrorPages errors = new ErrorPages(views);
        AccessControl accessControl = new AccessControl(visitors);
        RequestIds requestIds = new RequestIds(settings.trustedProxies());

        List<Route> routeList = new java.util.concurrent.CopyOnWriteArrayList<>();
        return Javalin.create(
                cfg -> {
                    cfg.appData(ROUTES, routeList);
                    cfg.events.handlerAdded(
                            meta ->
                                    meta.getRoles().stream()
                                            .filter(Access.class::isInstance)
                                            .map(Access.class::cast)
                                            .findFirst()
                                            .ifPresent(
                                                    access ->
                                                            routeList.add(
                                                                    new Route(
                                                                            meta.getHttpMethod()
                                                                                    .name(),
                                                                            meta.getPath(),
                                                                            access))));
                    cfg.jsonMapper(new io.javalin.json.JavalinJackson(Json.mapper(), false));
                    cfg.startup.showJavalinBanner = false;
                    cfg.startup.showOldJavalinVersionWarning = false;
                    cfg.http.maxRequestSize = 2_000_000;
                    // Roster uploads are multipart: four CSV files of 10 MB at most (a larger body
                    // is refused before parsing).
                    cfg.jetty.multipartConfig.maxFileSize(
                            settings.maxUploadBytes(), io.javalin.config.SizeUnit.BYTES);
                    cfg.jetty.multipartConfig.maxTotalRequestSize(
                            settings.maxUploadBytes(), io.javalin.config.SizeUnit.BYTES);
                    cfg.jetty.multipartConfig.maxInMemoryFileSize(1, io.javalin.config.SizeUnit.MB);
                    cfg.staticFiles.add(
                            sf -> {
                                sf.hostedPath = "/static";
                                sf.directory = "/public/static";
                                sf.location = Location.CLASSPATH;
                                sf.headers = Map.of("Cache-Control", "public, max-age=3600");
                                sf.roles = java.util.Set.of(Access.PUBLIC);
                            });
                    gracefulStop(cfg);
                    // Requests beyond the request queue's permits wait in it on their own thread:
                    // enough threads that a
                    // burst of parents does not leave a health check queued behind them in Jetty's
                    // own queue.
                    org.eclipse.jetty.util.thread.QueuedThreadPool threads =
                            new org.eclipse.jetty.util.thread.QueuedThreadPool(1500, 8, 60_000);
                    threads.setName("sesame-http");
                    cfg.jetty.threadPool = threads;
                    cfg.requestLogger.http(
                            (ctx, ms) -> {
                                queue.leave(ctx);
                                answered.record(ctx, ms);
                                logRequest(ctx, ms);
                                RequestIds.clear();
                                hostTowns.leave();
                            });

                    boolean https = settings.https();
                    cfg.routes.before(requestIds::assign);
                    // The town first, from the host name: every later step reads the database in
                    // it. The health checks answer whatever the host (a load balancer's probe).
                    cfg.routes.before(
                            ctx -> {
                                if (!hostTowns.enter(ctx.host())
                                        && !ctx.path().startsWith("/health")) {
                                    throw new io.javalin.http.NotFoundResponse();
                                }
                            });
                    cfg.routes.before(ctx -> securityHeaders(ctx, https));
                    cfg.routes.before(queue::enter);
                    cfg.routes.before(accessControl::prepare);
                    cfg.routes.beforeMatched(accessControl::check);
                    cfg.routes.after(
                            ctx -> {
                                try {
                                    visitors.save(ctx);
                                } catch (RuntimeException e) {
                                    // A page read changed nothing: it may say the service is
                                    // unavailable (its form would not work).
                                    if (ctx.method() == io.javalin.http.HandlerType.GET
                                            || ctx.method() == io.javalin.http.HandlerType.HEAD) {
                                        throw e;
                                    }
                                    // A form's answer stands (a booking that committed is not
                                    // turned into an error page): at worst
                                    // the login session misses this request's change.
                                    log.warn(
                                            "method={} path={} login session not saved: {}",
                                            ctx.method(),
                                            ctx.path(),
                                            e.toString());
                                } finally {
                                    queue.leave(ctx);
                                }
                            });

                    routeTable.accept(cfg.routes);

                    cfg.routes.exception(HttpResponseException.class, errors::httpError);
                    cfg.routes.exception(Refusal.class, errors::refused);
                    cfg.routes.exception(
                            org.jdbi.v3.core.ConnectionException.class, errors::overloaded);
                    cfg.routes.exception(RequestQueue.Full.class, errors::busy);
                    cfg.routes.exception(Exception.class, errors::unexpected);
                    cfg.routes.error(404, errors::notFound);
                });
    }

    private static void gracefulStop(JavalinConfig cfg) {
        cfg.jetty.modifyServer(
                server -> {
                    server.setStopTimeout(2_000);
                    server.setStopAtShutdown(false);
                });
    }

    /**
     * Stops taking requests, waits for those in flight to finish (at most {@code maxWaitMillis}),
     * then stops the server.
     */
    public static void drainAndStop(Javalin app, long maxWaitMillis) {
        Server server = app.jettyServer().server();
        for (Connector connector : server.getConnectors()) {
            connector.shutdown();
        }
        StatisticsHandler stats = server.getDescendant(StatisticsHandler.class);
        long deadline = System.currentTimeMillis() + maxWaitMillis;
        while (stats != null
                && stats.getRequestsActive() > 0
                && System.currentTimeMillis() < deadline) {
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
        // Every page and API answer may show personal data: none is kept by the browser (Back after
        // sign-out
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
     * One line per request; the path only (no query string, which may carry codes or names), its
     * secrets masked; who asked by kind only. The same fields are key-values, so that JSON logs
     * carry them as fields.
     */
    private static void logRequest(Context ctx, Float ms) {
        String route = routeTemplate(ctx);
        String path = maskSecrets(ctx.path());
        String actor = actorKind(ctx);
        long millis = Math.round(ms);
        requestLog
                .atInfo()
                .addKeyValue("method", ctx.method().name())
                .addKeyValue("route", route)
                .addKeyValue("path", path)
                .addKeyValue("status", ctx.statusCode())
                .addKeyValue("durationMs", millis)
                .addKeyValue("actor", actor)
                .log(
                        "method={} route={} path={} status={} durationMs={} actor={}",
                        ctx.method(),
                        route,
                        path,
                        ctx.statusCode(),
                        millis,
                        actor);
    }

    /** Told of every answered request, after it was answered (the metrics). */
    @FunctionalInterface
    public interface Answered {
        void record(Context ctx, float millis);
    }

    /**
     * The route template the request matched; requests that matched none are grouped, so ids never
     * become labels.
     */
    public static String routeTemplate(Context ctx) {
        io.javalin.router.Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
        if (endpoint != null) return endpoint.path;
        return ctx.path().startsWith("/static/") ? "/static/*" : "unmatched";
    }

    /** anonymous, parent, trainer, school_staff, admin or api: never a name or an id. */
    private static String actorKind(Context ctx) {
        CurrentUser api = CurrentUser.of(ctx);
        if (api != null) return api.role().key();
        PageContext.Viewer viewer = ctx.attribute(PageContext.Viewer.class.getName());
        return viewer == null || viewer.role() == null ? "anonymous" : viewer.role();
    }

    private static final java.util.regex.Pattern FEED_TOKEN =
            java.util.regex.Pattern.compile("^/calendar/feed/[^/]*");
    private static final java.util.regex.Pattern LONG_TOKEN =
            java.util.regex.Pattern.compile("(?<=/)[A-Za-z0-9_-]{20,}");

    /**
     * A feed's token is its only credential, whatever its length (a mistyped one is nearly right);
     * any other long random-looking path segment may be a token too. Ids, codes of schools and
     * asset tags are shorter.
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
            if (Boolean.TRUE.equals(ctx.attribute(Views.OWN_NOT_FOUND))) return;
            if (wantsJson(ctx)) {
                ctx.json(ApiError.body("not_found", Language.messages(ctx).t("error.404.title")));
            } else {
                views.render(
                        ctx,
                        "error/error.jte",
                        new ErrorPage(404, "error.404.title", "error.404.text", null));
            }
        }

        void httpError(HttpResponseException e, Context ctx) {
            int status = e.getStatus();
            ctx.status(status);
            if (e instanceof AccessControl.CsrfRejected && !wantsJson(ctx)) {
                views.render(
                        ctx,
                        "error/error.jte",
                        new ErrorPage(403, "error.csrf.title", "error.csrf.text", null));
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
                views.render(
                        ctx,
                        "error/error.jte",
                        new ErrorPage(
                                status,
                                title,
                                msg.has(key + ".text") ? key + ".text" : "error.400.text",
                                null));
            }
        }

        /**
         * A rule refused the request: the status of its kind; the JSON error body with its code
         * (and field), or the error page with its message.
         */
        void refused(Refusal r, Context ctx) {
            int status = r.status();
            ctx.status(status);
            Messages msg = Language.messages(ctx);
            if (wantsJson(ctx)) {
                String message = r.message(msg);
                ctx.json(
                        r.field() == null
                                ? ApiError.body(r.code(), message)
                                : ApiError.body(r.code(), message, r.field()));
                return;
            }
            if (status == 404) {
                notFound(ctx);
                return;
            }
            String title = "error." + status + ".title";
            views.render(
                    ctx,
                    "error/error.jte",
                    new ErrorPage(
                            status,
                            msg.has(title) ? title : "error.400.title",
                            r.messageKey(),
                            null));
        }

        /**
         * No database connection came in time (a storm of requests, or the database away): 503, try
         * again.
         */
        void overloaded(Exception e, Context ctx) {
            log.warn(
                    "method={} path={} no database connection in time: {}",
                    ctx.method(),
                    maskSecrets(ctx.path()),
                    e.getMessage());
            ctx.status(503).header("Retry-After", "2");
            if (wantsJson(ctx)) {
                ctx.json(ApiError.body("unavailable", Language.messages(ctx).t("error.503.title")));
            } else {
                views.render(
                        ctx,
                        "error/error.jte",
                        new ErrorPage(503, "error.503.title", "error.503.text", null));
            }
        }

        /**
         * The request waited its turn longer than REQUEST_WAIT_SECONDS: nothing was done, retry in
         * a moment.
         */
        void busy(RequestQueue.Full e, Context ctx) {
            log.warn(
                    "method={} path={} shed: no turn in the request queue in time",
                    ctx.method(),
                    ctx.path());
            ctx.status(503).header("Retry-After", "2");
            if (wantsJson(ctx)) {
                ctx.json(ApiError.body("busy", Language.messages(ctx).t("error.busy.title")));
            } else {
                views.render(
                        ctx,
                        "error/error.jte",
                        new ErrorPage(503, "error.busy.title", "error.busy.text", null));
            }
        }

        void unexpected(Exception e, Context ctx) {
            if (databaseUnavailable(e)) {
                log.warn(
                        "method={} path={} database unavailable",
                        ctx.method(),
                        maskSecrets(ctx.path()));
                ctx.status(503).header("Retry-After", "30");
                if (wantsJson(ctx)) {
                    ctx.json(
                            ApiError.body(
                                    "unavailable", Language.messages(ctx).t("error.503.title")));
                } else {
                    views.render(
                            ctx,
                            "error/error.jte",
                            new ErrorPage(503, "error.503.title", "error.503.text", null));
                }
                return;
            }
            // The request id: it is in the answer's header and in every log line of the request.
            String incident =
                    RequestIds.of(ctx) != null
                            ? RequestIds.of(ctx)
                            : UUID.randomUUID().toString().substring(0, 8);
            log.error(
                    "incident={} method={} path={} unexpected error",
                    incident,
                    ctx.method(),
                    maskSecrets(ctx.path()),
                    e);
            ctx.status(500);
            if (wantsJson(ctx)) {
                ctx.json(ApiError.body("internal", Language.messages(ctx).t("error.500.title")));
            } else {
                views.render(
                        ctx,
                        "error/error.jte",
                        new ErrorPage(500, "error.500.title", "error.500.text", incident));
            }
        }

        private static boolean databaseUnavailable(Throwable e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof java.sql.SQLTransientConnectionException
                        || t instanceof org.jdbi.v3.core.ConnectionException) {
                    return true;
                }
                // 08: connection exceptions; 57P: the server shutting down or restarting
                if (t instanceof java.sql.SQLException sql
                        && sql.getSQLState() != null
                        && (sql.getSQLState().startsWith("08")
                                || sql.getSQLState().startsWith("57P"))) {
                    return true;
                }
                if (t.getCause() == t) break;
            }
            return false;
        }

        private static boolean wantsJson(Context ctx) {
            String accept = ctx.header("Accept");
            return ctx.path().startsWith("/api/")
                    || ctx.path().startsWith("/health")
                    || (accept != null
                            && accept.contains("application/json")
                            && !accept.contains("text/html"));
        }
    }

    /** The model of the error page. */
    public record ErrorPage(int status, String titleKey, String textKey, String incident) {}
}
