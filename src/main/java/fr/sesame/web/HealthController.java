package fr.sesame.web;

import fr.sesame.db.Database;
import io.javalin.http.Context;

/** GET /health: is the app up, and can it reach its database. */
final class HealthController {
    private final Database database;

    HealthController(Database database) {
        this.database = database;
    }

    void health(Context ctx) {
        boolean dbUp = database.isUp();
        ctx.header("Cache-Control", "no-store");
        String state = dbUp ? "up" : "down";
        ctx.status(dbUp ? 200 : 503).json(new Health(state, state));
    }

    record Health(String status, String database) {
    }
}
