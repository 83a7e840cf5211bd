package fr.sesame.booking;

import fr.sesame.booking.StormParents.Parent;
import fr.sesame.web.Csrf;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parents as browsers, in the benchmark's own JVM: the session page (which carries the CSRF and
 * form tokens), then the booking form posted with them. Asynchronous, so that a slow answer never
 * delays the next parent's arrival.
 */
final class StormClient implements AutoCloseable {
    private static final Pattern CSRF =
            Pattern.compile("name=\"" + Csrf.FIELD + "\" value=\"([^\"]+)\"");
    private static final Pattern TOKEN = Pattern.compile("name=\"token\" value=\"([^\"]+)\"");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** How a parent's visit ended. */
    enum Kind {
        BOOKED,
        FULL,
        SERVER_ERROR,
        OTHER
    }

    /**
     * A visit: its end, the answer's status, when things happened (System.nanoTime), and which
     * instance answered.
     */
    record Visit(
            Kind kind,
            int status,
            long due,
            long pageAnswered,
            long postSent,
            long answered,
            String instance) {
        Visit(Kind kind, int status, long due, long pageAnswered, long postSent, long answered) {
            this(kind, status, due, pageAnswered, postSent, answered, null);
        }

        long totalNanos() {
            return answered - due;
        }

        long postNanos() {
            return answered - postSent;
        }
    }

    /**
     * A session page read: the tokens its booking form carries (null when it offers no booking
     * form).
     */
    record Form(String csrf, String token, int status, String instance) {
        Form(String csrf, String token, int status) {
            this(csrf, token, status, null);
        }
    }

    /**
     * The header the scale-out storm's HAProxy adds with the name of the instance that answered
     * (none: HAProxy did).
     */
    static final String INSTANCE_HEADER = "X-Sesame-Instance";

    private final String baseUrl;
    private final ExecutorService callbacks =
            Executors.newFixedThreadPool(
                    2,
                    r -> {
                        Thread t = new Thread(r, "storm-client");
                        t.setDaemon(true);
                        return t;
                    });
    private final HttpClient http;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger peakInFlight = new AtomicInteger();
    private final java.util.Map<String, Integer> failures =
            new java.util.concurrent.ConcurrentHashMap<>();

    StormClient(StormServer server) {
        this(server.url(""));
    }

    StormClient(String baseUrl) {
        this.baseUrl = baseUrl;
        this.http =
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .connectTimeout(Duration.ofSeconds(30))
                        .executor(callbacks)
                        .build();
    }

    /** The most requests (hence HTTP/1.1 connections) open at once since the last call. */
    int takePeakInFlight() {
        return peakInFlight.getAndSet(inFlight.get());
    }

    /** The whole visit: page, then form. */
    CompletableFuture<Visit> visit(Parent p, long due) {
        return page(p).thenCompose(
                        form -> {
                            long pageAnswered = System.nanoTime();
                            if (form.status() != 200 || form.token() == null) {
                                return CompletableFuture.completedFuture(
                                        new Visit(
                                                kindOfPage(form.status()),
                                                form.status(),
                                                due,
                                                pageAnswered,
                                                pageAnswered,
                                                pageAnswered,
                                                form.instance()));
                            }
                            return post(p, form, due, pageAnswered);
                        })
                .exceptionally(e -> failed(due, e));
    }

    /** Why requests got no answer (status 0), by exception, and how many times. */
    java.util.Map<String, Integer> failures() {
        return new java.util.TreeMap<>(failures);
    }

    CompletableFuture<Form> page(Parent p) {
        HttpRequest get =
                town(
                                p,
                                HttpRequest.newBuilder(
                                                URI.create(baseUrl + "/sessions/" + p.sessionId()))
                                        .header("Cookie", p.cookieHeader()))
                        .timeout(TIMEOUT)
                        .GET()
                        .build();
        return send(get, HttpResponse.BodyHandlers.ofString())
                .thenApply(
                        r -> {
                            Matcher csrf = CSRF.matcher(r.body());
                            Matcher token = TOKEN.matcher(r.body());
                            return new Form(
                                    csrf.find() ? csrf.group(1) : null,
                                    token.find() ? token.group(1) : null,
                                    r.statusCode(),
                                    r.headers().firstValue(INSTANCE_HEADER).orElse(null));
                        });
    }

    /** Posts the booking form read before; {@code due} is when the parent arrived. */
    CompletableFuture<Visit> post(Parent p, Form form, long due, long pageAnswered) {
        String body = Csrf.FIELD + "=" + enc(form.csrf()) + "&token=" + enc(form.token());
        HttpRequest post =
                town(
                                p,
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        baseUrl
                                                                + "/sessions/"
                                                                + p.sessionId()
                                                                + "/book"))
                                        .header("Cookie", p.cookieHeader()))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .timeout(TIMEOUT)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build();
        long sent = System.nanoTime();
        return send(post, HttpResponse.BodyHandlers.ofString())
                .thenApply(
                        r -> {
                            long answered = System.nanoTime();
                            return new Visit(
                                    kindOfPost(r),
                                    r.statusCode(),
                                    due,
                                    pageAnswered,
                                    sent,
                                    answered,
                                    r.headers().firstValue(INSTANCE_HEADER).orElse(null));
                        })
                .exceptionally(e -> failed(due, e));
    }

    private <T> CompletableFuture<HttpResponse<T>> send(
            HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        peakInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        return http.sendAsync(request, handler).whenComplete((r, e) -> inFlight.decrementAndGet());
    }

    private Visit failed(long due, Throwable e) {
        Throwable cause =
                e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                        ? e.getCause()
                        : e;
        failures.merge(
                cause.getClass().getSimpleName() + ": " + cause.getMessage(), 1, Integer::sum);
        long now = System.nanoTime();
        return new Visit(Kind.OTHER, 0, due, now, now, now);
    }

    static Kind kindOfPage(int status) {
        if (status >= 500) return Kind.SERVER_ERROR;
        // a page without a booking form: the session filled up before the parent saw it
        return status == 200 ? Kind.FULL : Kind.OTHER;
    }

    private static Kind kindOfPost(HttpResponse<String> r) {
        int status = r.statusCode();
        if (status == 302 && r.headers().firstValue("Location").orElse("").contains("done=booked"))
            return Kind.BOOKED;
        // full: the page again, with the waiting list offered
        if (status == 409 && r.body().contains("/wait\"")) return Kind.FULL;
        if (status >= 500) return Kind.SERVER_ERROR;
        return Kind.OTHER;
    }

    /**
     * The parent's town's host name, when towns have their own (the JDK's client sends it only with
     * jdk.httpclient.allowRestrictedHeaders=host, which {@link BookingStorm} sets).
     */
    private static HttpRequest.Builder town(Parent p, HttpRequest.Builder request) {
        return p.host() == null ? request : request.header("Host", p.host());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s == null ? "" : s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        callbacks.shutdownNow();
    }
}
