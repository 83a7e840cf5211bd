package fr.sesame.ops;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import io.javalin.http.UnauthorizedResponse;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Prometheus metrics of one app: HTTP requests by route template, the JVM, the connection pool,
 * and what the database says at scrape time (outbox backlogs; bookings, marks and unlocks). Served
 * at /metrics to the holder of METRICS_TOKEN only; without the token the endpoint does not exist
 * (404).
 */
public final class Metrics {
    private static final Logger log = LoggerFactory.getLogger(Metrics.class);
    private static final OpsDao.Counts UNKNOWN = new OpsDao.Counts(-1, -1, -1, -1, -1, -1, -1);

    private final PrometheusMeterRegistry registry =
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Jdbi jdbi;
    private final byte[] token;
    private final JvmGcMetrics gc = new JvmGcMetrics();
    // Read once per scrape, then handed to every meter below: one statement, not one per meter.
    private volatile OpsDao.Counts counts = UNKNOWN;

    public Metrics(Jdbi jdbi, DataSource pool, String token) {
        this.jdbi = jdbi;
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        HikariDataSource hikari = hikariOf(pool);
        if (hikari != null) {
            // Hikari takes a tracker factory once per pool (a second App on the same database keeps
            // the first's).
            if (hikari.getMetricsTrackerFactory() == null) {
                hikari.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
            }
        }
        gauge(
                "sesame.outbox.mails.waiting",
                "E-mails waiting to be sent (pending or being sent)",
                c -> c.mailsWaiting());
        gauge(
                "sesame.outbox.webhooks.waiting",
                "Webhook deliveries not yet delivered",
                c -> c.webhooksWaiting());
        gauge("sesame.bookings.active", "Bookings active now", c -> c.bookingsActive());
        gauge("sesame.devices.home.use", "Devices that may go home now", c -> c.devicesHomeUse());
        counter(
                "sesame.bookings",
                "Bookings made (every booking row, active, cancelled or moved)",
                c -> c.bookingsMade());
        counter("sesame.marks", "Attendance marks applied", c -> c.marksApplied());
        counter(
                "sesame.unlocks",
                "Home-use unlocks recorded in the devices' history",
                c -> c.unlocks());
    }

    private interface Reading {
        long of(OpsDao.Counts counts);
    }

    private void gauge(String name, String help, Reading reading) {
        Gauge.builder(name, this, m -> value(reading.of(m.counts)))
                .description(help)
                .register(registry);
    }

    private void counter(String name, String help, Reading reading) {
        FunctionCounter.builder(name, this, m -> value(reading.of(m.counts)))
                .description(help)
                .register(registry);
    }

    private static double value(long n) {
        return n < 0 ? Double.NaN : n;
    }

    /**
     * One timer per method, route template and status, built once: the builder (its tags and
     * objectives) cost more per request than the recording itself under the booking storm.
     */
    private final Map<String, Timer> requestTimers = new ConcurrentHashMap<>();

    /** One request: by method, route template (never the path with its ids) and status. */
    public void record(Context ctx, float millis) {
        String method = ctx.method().name();
        String route = fr.sesame.web.WebApp.routeTemplate(ctx);
        int status = ctx.statusCode();
        requestTimers
                .computeIfAbsent(
                        method + ' ' + route + ' ' + status,
                        key -> requestTimer(method, route, status))
                .record((long) (millis * 1_000_000L), TimeUnit.NANOSECONDS);
    }

    private Timer requestTimer(String method, String route, int status) {
        return Timer.builder("http.server.requests")
                .description("HTTP requests answered")
                .tag("method", method)
                .tag("route", route)
                .tag("status", String.valueOf(status))
                .serviceLevelObjectives(
                        Duration.ofMillis(100),
                        Duration.ofMillis(500),
                        Duration.ofSeconds(1),
                        Duration.ofMillis(2500),
                        Duration.ofSeconds(10))
                .register(registry);
    }

    /** GET /metrics with {@code Authorization: Bearer METRICS_TOKEN}. */
    public void scrape(Context ctx) {
        if (token == null) throw new NotFoundResponse();
        String header = ctx.header("Authorization");
        byte[] given =
                header != null && header.startsWith("Bearer ")
                        ? header.substring(7).trim().getBytes(StandardCharsets.UTF_8)
                        : new byte[0];
        if (!MessageDigest.isEqual(token, given)) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw new UnauthorizedResponse();
        }
        refresh();
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(registry.scrape());
    }

    private void refresh() {
        try {
            counts = jdbi.withHandle(h -> h.attach(OpsDao.class).counts());
        } catch (RuntimeException e) {
            // The database away: the scrape still answers (JVM, pool, HTTP), its readings are NaN.
            counts = UNKNOWN;
            log.warn("event=metrics_database_unavailable error=\"{}\"", e.toString());
        }
    }

    public void close() {
        gc.close();
        registry.close();
    }

    /** The Hikari pool behind a data source (Database hands out a wrapper of it), or null. */
    private static HikariDataSource hikariOf(javax.sql.DataSource pool) {
        if (pool instanceof HikariDataSource h) return h;
        try {
            return pool != null && pool.isWrapperFor(HikariDataSource.class)
                    ? pool.unwrap(HikariDataSource.class)
                    : null;
        } catch (java.sql.SQLException e) {
            return null;
        }
    }
}
