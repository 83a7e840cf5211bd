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

    record GuardianName(long id, @ColumnName("family_id") long familyId, @ColumnName("first_name") String firstName,
                        @ColumnName("last_name") String lastName, boolean linked) {
    }

    @SqlQuery("select guardian_id from ent_identity where issuer = :issuer and subject = :subject")
    Optional<Long> linkedGuardian(@Bind("issuer") String issuer, @Bind("subject") String subject);

    @SqlQuery("select id from guardian where ent_id = :entId")
    Optional<Long> guardianByEntId(@Bind("entId") String entId);

    @SqlQuery("select distinct family_id from child where ent_id in (<ids>) order by family_id")
    List<Long> familiesOfChildren(@BindList("ids") List<String> childEntIds);

    /** The guardians of these families; {@code linked}: already tied to an ENT account. */
    @SqlQuery("""
            select g.id, g.family_id, g.first_name, g.last_name,
                   g.ent_id is not null or exists (select 1 from ent_identity e where e.guardian_id = g.id) as linked
            from guardian g where g.family_id in (<families>) order by g.family_id, g.id""")
    List<GuardianName> guardiansOf(@BindList("families") List<Long> familyIds);

    /** Links an ENT account to a guardian (a link, once made, stays). */
    @SqlUpdate("insert into ent_identity (issuer, subject, guardian_id) values (:issuer, :subject, :guardian) "
            + "on conflict (issuer, subject) do nothing")
    void link(@Bind("issuer") String issuer, @Bind("subject") String subject, @Bind("guardian") long guardianId);
}
