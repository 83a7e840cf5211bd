package fr.sesame.auth;

import java.time.Instant;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * Web sessions, kept in PostgreSQL so that they survive restarts and are shared by every instance.
 * The lookup that every request makes is in {@link LoginSessionLookupDao}.
 */
public interface LoginSessionDao {

    @SqlUpdate(
            """
            insert into web_session (id_hash, data, principal_kind, principal_id, ent_issuer, ent_subject, created_at, last_seen_at)
            values (:id, cast(:data as jsonb), :kind, :principal, :issuer, :subject, :created, now())
            on conflict (id_hash) do update set data = excluded.data, principal_kind = excluded.principal_kind,
                principal_id = excluded.principal_id, ent_issuer = excluded.ent_issuer,
                ent_subject = excluded.ent_subject, last_seen_at = now()""")
    void save(
            @Bind("id") String idHash,
            @Bind("data") String data,
            @Bind("kind") String principalKind,
            @Bind("principal") Long principalId,
            @Bind("issuer") String entIssuer,
            @Bind("subject") String entSubject,
            @Bind("created") Instant createdAt);

    @SqlUpdate("delete from web_session where id_hash = :id")
    void delete(@Bind("id") String idHash);

    @SqlUpdate("delete from web_session where ent_issuer = :issuer and ent_subject = :subject")
    int deleteEntSessions(@Bind("issuer") String issuer, @Bind("subject") String subject);

    @SqlUpdate("delete from web_session where principal_kind = :kind and principal_id = :id")
    int deleteFor(@Bind("kind") String kind, @Bind("id") long id);

    @SqlUpdate(
            "delete from web_session where last_seen_at < :idleBefore or created_at < :createdBefore")
    int purgeExpired(
            @Bind("idleBefore") Instant idleBefore, @Bind("createdBefore") Instant createdBefore);

    @SqlUpdate(
            "delete from sign_in_throttle where updated_at < now() - interval '1 day' "
                    + "and (blocked_until is null or blocked_until < now())")
    int purgeOldFailures();
}
