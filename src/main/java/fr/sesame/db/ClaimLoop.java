package fr.sesame.db;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntPredicate;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background loop of every outbox worker (mail, webhooks, SMS): one daemon thread that runs a
 * pass at start, then every {@code poll}, and soon after {@link #wake()}; a pass goes on while the
 * worker says there may be more. The worker's pass itself claims its rows ({@code FOR UPDATE SKIP
 * LOCKED} with a lease, in a short transaction), sends them with no transaction open, and records
 * each outcome: this loop only schedules it, and never lets a failed pass stop the next one.
 */
public final class ClaimLoop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClaimLoop.class);

    private final String name;
    private final Duration poll;
    private final IntSupplier pass;
    private final IntPredicate again;
    private final ScheduledExecutorService executor;
    private final AtomicBoolean wakeQueued = new AtomicBoolean();

    /**
     * @param name the thread's name, and the {@code event=<name>_pass_failed} of a failed pass
     * @param pass one pass: claims and sends; returns a count (claimed or sent, as the worker says)
     * @param again whether, after a pass that returned this count, another should run at once
     */
    public ClaimLoop(String name, Duration poll, IntSupplier pass, IntPredicate again) {
        this.name = name;
        this.poll = poll;
        this.pass = pass;
        this.again = again;
        this.executor =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "sesame-" + name);
                            t.setDaemon(true);
                            return t;
                        });
    }

    public void start() {
        executor.scheduleWithFixedDelay(this::run, 0, poll.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Asks for a pass soon (called after a transaction that wrote to the outbox has committed). */
    public void wake() {
        if (wakeQueued.compareAndSet(false, true)) {
            try {
                executor.execute(
                        () -> {
                            wakeQueued.set(false);
                            run();
                        });
            } catch (RejectedExecutionException e) {
                wakeQueued.set(false);
            }
        }
    }

    private void run() {
        try {
            while (again.test(pass.getAsInt()) && !Thread.currentThread().isInterrupted()) {
                // there may be more
            }
        } catch (RuntimeException e) {
            log.warn("event={}_pass_failed reason={}", name, e.getMessage());
        }
    }

    /** Stops after the message in progress, if any (at most 5 seconds). */
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) executor.shutdownNow();
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
