package fr.sesame.web;

import com.zaxxer.hikari.HikariDataSource;
import fr.sesame.db.Database;
import io.javalin.http.Context;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import javax.sql.DataSource;

/**
 * The health checks, answered outside the request queue so that a busy, healthy instance still answers a load
 * balancer at once: /health/live (the process answers; no database), /health/ready and /health (the database answers
 * a query within {@link #TIMEOUT_SECONDS} on a connection of its own, not one of the pool's).
 */
final class HealthController {
    static final int TIMEOUT_SECONDS = 2;
    private final Database database;

    HealthController(Database database) {
        this.database = database;
    }

    void live(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        ctx.json(new Live("up"));
    }

    void health(Context ctx) {
        boolean dbUp = databaseAnswers();
        ctx.header("Cache-Control", "no-store");
        String state = dbUp ? "up" : "down";
        ctx.status(dbUp ? 200 : 503).json(new Health(state, state));
    }

    private boolean databaseAnswers() {
        DataSource ds = database.dataSource();
        if (!(ds instanceof HikariDataSource pool)) return database.isUp();
        Properties props = new Properties();
        if (pool.getUsername() != null) props.setProperty("user", pool.getUsername());
        if (pool.getPassword() != null) props.setProperty("password", pool.getPassword());
        props.setProperty("connectTimeout", String.valueOf(TIMEOUT_SECONDS));
        props.setProperty("socketTimeout", String.valueOf(TIMEOUT_SECONDS));
        props.setProperty("loginTimeout", String.valueOf(TIMEOUT_SECONDS));
        props.setProperty("ApplicationName", "sesame-health");
        try (Connection c = DriverManager.getConnection(pool.getJdbcUrl(), props); Statement st = c.createStatement()) {
            st.setQueryTimeout(TIMEOUT_SECONDS);
            return st.execute("select 1");
        } catch (SQLException e) {
            return false;
        }
    }

    record Live(String status) {
    }

    record Health(String status, String database) {
    }
}
