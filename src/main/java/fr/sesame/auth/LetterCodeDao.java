package fr.sesame.auth;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Letter codes: a family's code, and the first names of its children (the second factor). */
interface LetterCodeDao {
    @SqlQuery("select id from family where letter_code = :code")
    Optional<Long> familyByCode(@Bind("code") String code);

    @SqlQuery("select first_name from child where family_id = :family")
    List<String> childFirstNames(@Bind("family") long familyId);

    @SqlQuery("select id from guardian where family_id = :family order by id limit 1")
    Optional<Long> firstGuardian(@Bind("family") long familyId);

    @SqlQuery("select id, first_name from guardian where family_id = :family order by id")
    List<LetterCodes.Guardian> guardians(@Bind("family") long familyId);

    @SqlQuery("select exists (select 1 from guardian where id = :guardian and family_id = :family)")
    boolean isGuardianOf(@Bind("family") long familyId, @Bind("guardian") long guardianId);

    @SqlUpdate(
            "update family set letter_code = :code, letter_code_issued_at = now() where id = :family")
    int setCode(@Bind("family") long familyId, @Bind("code") String code);

    @SqlQuery("select exists (select 1 from family where letter_code = :code)")
    boolean codeTaken(@Bind("code") String code);

    /**
     * Ends the family's sessions opened with a letter code (a parent session without an ENT
     * account) and those opened through an ENT link made without evidence.
     */
    @SqlUpdate(
            """
            delete from web_session ws
            where ws.principal_kind = 'parent' and ws.principal_id in (select id from guardian where family_id = :family)
              and (ws.ent_issuer is null or exists (
                    select 1 from ent_identity e where e.issuer = ws.ent_issuer and e.subject = ws.ent_subject
                    and e.evidence = 'none'))""")
    int endSessionsWithoutEvidence(@Bind("family") long familyId);

    @SqlUpdate(
            "delete from ent_identity where evidence = 'none' and guardian_id in (select id from guardian where family_id = :family)")
    int undoLinksWithoutEvidence(@Bind("family") long familyId);

    @SqlUpdate(
            "delete from ent_link_request where guardian_id in (select id from guardian where family_id = :family)")
    int forgetLinkRequests(@Bind("family") long familyId);
}
