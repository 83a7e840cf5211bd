package fr.sesame.messaging;

import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.mapper.reflect.ColumnName;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The guardian an opt-out link names, and the opt-out itself. */
interface OptOutDao {
    record Holder(long id, String language, @ColumnName("opt_out") boolean optOut) {}

    @SqlQuery(
            """
            select g.id, g.language, g.opt_out
            from opt_out_link l join guardian g on g.id = l.guardian_id
            where l.token = :token""")
    Optional<Holder> byToken(@Bind("token") String token);

    /** Opts the guardian out (once: a second time changes nothing and returns 0). */
    @SqlUpdate(
            """
            update guardian set opt_out = true, opt_out_at = :now, opt_out_by = :by
            where id = :id and not opt_out""")
    int optOut(@Bind("id") long guardianId, @Bind("now") Instant now, @Bind("by") String by);
}
