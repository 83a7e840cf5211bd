package fr.sesame.web;

import io.javalin.http.Context;
import java.util.function.BooleanSupplier;

/**
 * The health checks, answered outside the request queue so that a busy, healthy instance still
 * answers a load balancer at once: /health/live (the process answers; no database), /health/ready
 * and /health (the database answers a query in time, on a connection of its own, not one of the
 * pool's).
 */
public final class HealthController {
    private final BooleanSupplier databaseAnswers;

    public HealthController(BooleanSupplier databaseAnswers) {
        this.databaseAnswers = databaseAnswers;
    }

    public void live(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        ctx.json(new Live("up"));
    }

    public void health(Context ctx) {
        boolean dbUp = databaseAnswers.getAsBoolean();
        ctx.header("Cache-Control", "no-store");
        String state = dbUp ? "up" : "down";
        ctx.status(dbUp ? 200 : 503).json(new Health(state, state));
    }

    record Live(String status) {}

    record Health(String status, String database) {}
}
