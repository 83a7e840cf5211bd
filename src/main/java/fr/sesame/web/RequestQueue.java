package fr.sesame.web;

import io.javalin.http.Context;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Lets requests reach the database a few at a time, in their order of arrival: as many at once as
 * the pool has connections for them. Under a burst a request waits here, fairly, for up to the
 * configured wait, rather than failing at the pool after its short timeout; the permit is held
 * until the login session is saved, so that a change committed is not followed by a failure to get
 * a connection. Health checks and static files pass by.
 */
final class RequestQueue {
    /** No permit came in time: the parent is told to try again in a moment; nothing was done. */
    static final class Full extends RuntimeException {
        Full() {
            super("request queue full", null, false, false);
        }
    }

    private static final String HELD = "sesame.queue.held";
    private final Semaphore permits;
    private final long waitMillis;

    RequestQueue(int concurrent, int waitSeconds) {
        this.permits = new Semaphore(concurrent, true);
        this.waitMillis = TimeUnit.SECONDS.toMillis(waitSeconds);
    }

    /**
     * Requests at once: the pool's 2 x cores + 1 connections, less one left to the background
     * workers.
     */
    static int concurrentForPool() {
        return 2 * Runtime.getRuntime().availableProcessors();
    }

    void enter(Context ctx) {
        String path = ctx.path();
        // A scrape under a burst is when its figures matter most: it takes one short query, outside
        // the queue.
        if (path.startsWith("/static/") || path.startsWith("/health") || path.equals("/metrics"))
            return;
        try {
            if (!permits.tryAcquire(waitMillis, TimeUnit.MILLISECONDS)) throw new Full();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Full();
        }
        ctx.attribute(HELD, Boolean.TRUE);
    }

    /**
     * Idempotent: called after the session is saved, and again by the request log in case an after
     * step failed.
     */
    void leave(Context ctx) {
        if (ctx.attribute(HELD) == null) return;
        ctx.attribute(HELD, null);
        permits.release();
    }
}
