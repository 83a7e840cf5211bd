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

    /** A guardian of a family, with their opt-out: when and how ('guardian' or 'staff'). */
    record Choice(
            @ColumnName("guardian_id") long guardianId,
            @ColumnName("first_name") String firstName,
            @ColumnName("last_name") String lastName,
            @ColumnName("opt_out") boolean optOut,
            @ColumnName("opt_out_at") Instant at,
            @ColumnName("opt_out_by") String by) {}

    @SqlQuery(
            """
            select id as guardian_id, first_name, last_name, opt_out, opt_out_at, opt_out_by
            from guardian where family_id = :family order by id""")
    java.util.List<Choice> ofFamily(@Bind("family") long familyId);

    /**
     * The guardian, if they belong to this family (the change itself is one conditional update).
     */
    @SqlQuery("select id from guardian where id = :id and family_id = :family")
    Optional<Long> guardianOfFamily(@Bind("id") long guardianId, @Bind("family") long familyId);

    /** Clears the opt-out (once: a second time changes nothing and returns 0). */
    @SqlUpdate(
            """
            update guardian set opt_out = false, opt_out_at = null, opt_out_by = null
            where id = :id and opt_out""")
    int optIn(@Bind("id") long guardianId);

    /** Opts the guardian out (once: a second time changes nothing and returns 0). */
    @SqlUpdate(
            """
            update guardian set opt_out = true, opt_out_at = :now, opt_out_by = :by
            where id = :id and not opt_out""")
    int optOut(@Bind("id") long guardianId, @Bind("now") Instant now, @Bind("by") String by);
}
