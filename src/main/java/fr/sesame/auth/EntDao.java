package fr.sesame.auth;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.reflect.ColumnName;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** ENT accounts and the roster they are linked to. */
interface EntDao {

    record GuardianName(
            long id,
            @ColumnName("family_id") long familyId,
            @ColumnName("first_name") String firstName,
            @ColumnName("last_name") String lastName,
            boolean linked) {}

    @SqlQuery("select guardian_id from ent_identity where issuer = :issuer and subject = :subject")
    Optional<Long> linkedGuardian(@Bind("issuer") String issuer, @Bind("subject") String subject);

    @SqlQuery("select id from guardian where ent_id = :entId")
    Optional<Long> guardianByEntId(@Bind("entId") String entId);

    @SqlQuery("select distinct family_id from child where ent_id in (<ids>) order by family_id")
    List<Long> familiesOfChildren(@BindList("ids") List<String> childEntIds);

    /** The guardians of these families; {@code linked}: already tied to an ENT account. */
    @SqlQuery(
            """
            select g.id, g.family_id, g.first_name, g.last_name,
                   g.ent_id is not null or exists (select 1 from ent_identity e where e.guardian_id = g.id) as linked
            from guardian g where g.family_id in (<families>) order by g.family_id, g.id""")
    List<GuardianName> guardiansOf(@BindList("families") List<Long> familyIds);

    record ChildAtSchool(
            @ColumnName("first_name") String firstName,
            @ColumnName("last_name") String lastName,
            String uai) {}

    /**
     * One of the family's children has one of these ids, as its ENT id or as the roster's external
     * id.
     */
    @SqlQuery(
            "select exists (select 1 from child where family_id = :family and (ent_id in (<ids>) or external_id in (<ids>)))")
    boolean familyHasChildWithId(@Bind("family") long familyId, @BindList("ids") List<String> ids);

    @SqlQuery(
            "select c.first_name, c.last_name, s.uai from child c join school s on s.id = c.school_id "
                    + "where c.family_id = :family and c.ent_id is null")
    List<ChildAtSchool> childrenWithoutEntId(@Bind("family") long familyId);

    /**
     * Links an ENT account to a guardian, recording its evidence and the session it was made in.
     */
    @SqlUpdate(
            """
            insert into ent_identity (issuer, subject, guardian_id, evidence, linked_in_session, linked_by)
            values (:issuer, :subject, :guardian, :evidence, :session, :by)
            on conflict (town_id, issuer, subject) do nothing""")
    int link(
            @Bind("issuer") String issuer,
            @Bind("subject") String subject,
            @Bind("guardian") long guardianId,
            @Bind("evidence") String evidence,
            @Bind("session") String sessionHash,
            @Bind("by") Long linkedBy);

    /**
     * Remembers an ENT account refused for want of evidence, for the education service to confirm
     * or not.
     */
    @SqlUpdate(
            """
            insert into ent_link_request (issuer, subject, guardian_id, ent_name) values (:issuer, :subject, :guardian, :name)
            on conflict (issuer, subject, guardian_id) do update set ent_name = excluded.ent_name, requested_at = now()""")
    void requestLink(
            @Bind("issuer") String issuer,
            @Bind("subject") String subject,
            @Bind("guardian") long guardianId,
            @Bind("name") String entName);
}
