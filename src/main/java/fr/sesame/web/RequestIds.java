package fr.sesame.web;

import io.javalin.http.Context;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.slf4j.MDC;

/**
 * Gives every request an id: the trusted proxy's {@code X-Request-Id} when it is well-formed, else
 * a new one. It is in the MDC (so in every log line of the request), in the answer's {@code
 * X-Request-Id}, and on error pages.
 */
public final class RequestIds {
    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "requestId";
    private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9._:-]{8,64}");
    private final TrustedProxies proxies;

    public RequestIds(TrustedProxies proxies) {
        this.proxies = proxies;
    }

    /** The first step of every request. */
    public void assign(Context ctx) {
        String given = ctx.header(HEADER);
        String id =
                given != null
                                && WELL_FORMED.matcher(given).matches()
                                && proxies.isTrusted(ctx.req().getRemoteAddr())
                        ? given
                        : generate();
        ctx.attribute(MDC_KEY, id);
        ctx.header(HEADER, id);
        MDC.put(MDC_KEY, id);
    }

    /** The last step: the thread serves other requests next. */
    public static void clear() {
        MDC.remove(MDC_KEY);
    }

    /** This request's id, or null outside a request. */
    public static String of(Context ctx) {
        return ctx.attribute(MDC_KEY);
    }

    /** 16 hex digits: short enough to read out over the phone, unique enough for a town's logs. */
    static String generate() {
        return String.format("%016x", ThreadLocalRandom.current().nextLong());
    }
}
