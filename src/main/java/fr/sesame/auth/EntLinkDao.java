package fr.sesame.auth;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.reflect.ColumnName;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * A family's ENT links and the link requests waiting for the education service, as its page shows
 * them.
 */
interface EntLinkDao {

    @SqlQuery(
            """
            select e.issuer, e.subject, e.guardian_id, g.first_name || ' ' || g.last_name as guardian_name, e.linked_at,
                   e.evidence, s.display_name as linked_by
            from ent_identity e join guardian g on g.id = e.guardian_id
            left join staff_account s on s.id = e.linked_by
            where g.family_id = :family order by e.linked_at, e.subject""")
    List<EntLinks.Link> links(@Bind("family") long familyId);

    @SqlQuery(
            """
            select r.id, r.guardian_id, g.first_name || ' ' || g.last_name as guardian_name, r.ent_name, r.requested_at
            from ent_link_request r join guardian g on g.id = r.guardian_id
            where g.family_id = :family order by r.requested_at, r.id""")
    List<EntLinks.Request> requests(@Bind("family") long familyId);

    record RequestRow(
            long id, String issuer, String subject, @ColumnName("guardian_id") long guardianId) {}

    @SqlQuery(
            """
            select r.id, r.issuer, r.subject, r.guardian_id from ent_link_request r join guardian g on g.id = r.guardian_id
            where r.id = :id and g.family_id = :family for update of r""")
    Optional<RequestRow> request(@Bind("family") long familyId, @Bind("id") long requestId);

    @SqlUpdate("delete from ent_link_request where id = :id")
    int deleteRequest(@Bind("id") long requestId);

    /** Removes a link of the family's guardians; returns the guardian it was tied to. */
    @SqlQuery(
            """
            delete from ent_identity e using guardian g
            where e.issuer = :issuer and e.subject = :subject and g.id = e.guardian_id and g.family_id = :family
            returning e.guardian_id""")
    Optional<Long> unlink(
            @Bind("family") long familyId,
            @Bind("issuer") String issuer,
            @Bind("subject") String subject);

    @SqlUpdate("delete from web_session where ent_issuer = :issuer and ent_subject = :subject")
    int endSessions(@Bind("issuer") String issuer, @Bind("subject") String subject);

    @SqlQuery("select guardian_id from ent_identity where issuer = :issuer and subject = :subject")
    Optional<Long> linkedGuardian(@Bind("issuer") String issuer, @Bind("subject") String subject);

    @SqlUpdate(
            """
            insert into ent_identity (issuer, subject, guardian_id, evidence, linked_by)
            values (:issuer, :subject, :guardian, 'admin', :by)""")
    void linkByAdmin(
            @Bind("issuer") String issuer,
            @Bind("subject") String subject,
            @Bind("guardian") long guardianId,
            @Bind("by") long staffId);
}
