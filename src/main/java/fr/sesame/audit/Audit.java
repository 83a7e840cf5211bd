package fr.sesame.audit;

import fr.sesame.json.Json;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * The one place that writes the audit log: always on the caller's handle, inside its transaction, so that a change
 * and its trace commit or roll back together.
 */
public final class Audit {
    private Audit() {
    }

    /** One audit row; {@code detailsJson} is a JSON object. */
    public static void record(Handle h, Actor actor, String action, String entity, Long entityId, String detailsJson) {
        h.attach(AuditDao.class).insert(actor.auditName(), action, entity, entityId, detailsJson);
    }

    /** One audit row without details. */
    public static void record(Handle h, Actor actor, String action, String entity, Long entityId) {
        record(h, actor, action, entity, entityId, "{}");
    }

    /** One audit row whose details are written as JSON (a record or a map). */
    public static void record(Handle h, Actor actor, String action, String entity, Long entityId, Object details) {
        record(h, actor, action, entity, entityId, Json.write(details));
    }

    interface AuditDao {
        @SqlUpdate("insert into audit_log (actor, action, entity, entity_id, details) "
                + "values (:actor, :action, :entity, :entityId, cast(:details as jsonb))")
        void insert(@Bind("actor") String actor, @Bind("action") String action, @Bind("entity") String entity,
                    @Bind("entityId") Long entityId, @Bind("details") String detailsJson);
    }
}
