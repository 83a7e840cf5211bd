package fr.sesame.auth;

import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.mapper.reflect.ColumnName;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Web sessions, kept in PostgreSQL so that they survive restarts and are shared by every instance. */
public interface SessionDao {

    /** A session and, in the same row, who is signed in on it (null columns when nobody or when they are gone). */
    record Row(@ColumnName("id_hash") String idHash, @ColumnName("data") String data,
               @ColumnName("principal_kind") String principalKind, @ColumnName("principal_id") Long principalId,
               @ColumnName("ent_issuer") String entIssuer, @ColumnName("ent_subject") String entSubject,
               @ColumnName("created_at") Instant createdAt, @ColumnName("last_seen_at") Instant lastSeenAt,
               @ColumnName("guardian_family_id") Long guardianFamilyId, @ColumnName("guardian_name") String guardianName,
               @ColumnName("staff_role") String staffRole, @ColumnName("staff_name") String staffName,
               @ColumnName("staff_school_id") Long staffSchoolId) {
    }

    /** One query per request finds the session and its signed-in guardian or active staff member. */
    @SqlQuery("""
            select ws.id_hash, ws.data::text as data, ws.principal_kind, ws.principal_id, ws.ent_issuer, ws.ent_subject,
                   ws.created_at, ws.last_seen_at,
                   g.family_id as guardian_family_id, g.first_name || ' ' || g.last_name as guardian_name,
                   s.role as staff_role, s.display_name as staff_name, s.school_id as staff_school_id
            from web_session ws
            left join guardian g on ws.principal_kind = 'parent' and g.id = ws.principal_id
            left join staff_account s on ws.principal_kind = 'staff' and s.id = ws.principal_id and s.active
            where ws.id_hash = :id""")
    Optional<Row> find(@Bind("id") String idHash);

    @SqlUpdate("""
            insert into web_session (id_hash, data, principal_kind, principal_id, ent_issuer, ent_subject, created_at, last_seen_at)
            values (:id, cast(:data as jsonb), :kind, :principal, :issuer, :subject, :created, now())
            on conflict (id_hash) do update set data = excluded.data, principal_kind = excluded.principal_kind,
                principal_id = excluded.principal_id, ent_issuer = excluded.ent_issuer,
                ent_subject = excluded.ent_subject, last_seen_at = now()""")
    void save(@Bind("id") String idHash, @Bind("data") String data, @Bind("kind") String principalKind,
              @Bind("principal") Long principalId, @Bind("issuer") String entIssuer, @Bind("subject") String entSubject,
              @Bind("created") Instant createdAt);

    @SqlUpdate("update web_session set last_seen_at = now() where id_hash = :id")
    void touch(@Bind("id") String idHash);

    @SqlUpdate("delete from web_session where id_hash = :id")
    void delete(@Bind("id") String idHash);

    @SqlUpdate("delete from web_session where ent_issuer = :issuer and ent_subject = :subject")
    int deleteEntSessions(@Bind("issuer") String issuer, @Bind("subject") String subject);

    @SqlUpdate("delete from web_session where principal_kind = :kind and principal_id = :id")
    int deleteFor(@Bind("kind") String kind, @Bind("id") long id);

    @SqlUpdate("delete from web_session where last_seen_at < :idleBefore or created_at < :createdBefore")
    int purgeExpired(@Bind("idleBefore") Instant idleBefore, @Bind("createdBefore") Instant createdBefore);

    @SqlUpdate("delete from sign_in_throttle where updated_at < now() - interval '1 day' "
            + "and (blocked_until is null or blocked_until < now())")
    int purgeOldFailures();
}
