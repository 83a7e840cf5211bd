package fr.sesame.audit;

import fr.sesame.json.Json;
import org.jdbi.v3.core.Handle;

/**
 * The one place that writes the audit log: always on the caller's handle, inside its transaction,
 * so that a change and its trace commit or roll back together.
 */
public final class Audit {
    /**
     * The audit row's insert (public for the booking storm's bare-JDBC twin, which runs the same
     * statements).
     */
    public static final String INSERT =
            "insert into audit_log (actor, action, entity, entity_id, details) "
                    + "values (:actor, :action, :entity, :entityId, cast(:details as jsonb))";

    private Audit() {}

    /** One audit row; {@code detailsJson} is a JSON object. */
    public static void record(
            Handle h,
            Actor actor,
            String action,
            String entity,
            Long entityId,
            String detailsJson) {
        // The fluent API, not a SqlObject: attaching one prepares its methods at each call, on
        // every booking's path.
        h.createUpdate(INSERT)
                .bind("actor", actor.auditName())
                .bind("action", action)
                .bind("entity", entity)
                .bind("entityId", entityId)
                .bind("details", detailsJson)
                .execute();
    }

    /** One audit row without details. */
    public static void record(Handle h, Actor actor, String action, String entity, Long entityId) {
        record(h, actor, action, entity, entityId, "{}");
    }

    /** One audit row whose details are written as JSON (a record or a map). */
    public static void record(
            Handle h, Actor actor, String action, String entity, Long entityId, Object details) {
        record(h, actor, action, entity, entityId, Json.write(details));
    }
}
