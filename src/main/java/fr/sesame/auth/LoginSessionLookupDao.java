package fr.sesame.auth;

import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.reflect.ColumnName;

/**
 * The session lookup of every request, on Jdbi's fluent API rather than a SqlObject: an on-demand
 * SqlObject attaches (and prepares every method of) its interface at each call, which the booking
 * storm's profile showed to cost more than the query itself. {@link LoginSessionDao} holds the
 * other statements of web sessions.
 */
final class LoginSessionLookupDao {

    /**
     * A session and, in the same row, who is signed in on it (null columns when nobody or when they
     * are gone).
     */
    record Row(
            @ColumnName("id_hash") String idHash,
            @ColumnName("data") String data,
            @ColumnName("principal_kind") String principalKind,
            @ColumnName("principal_id") Long principalId,
            @ColumnName("ent_issuer") String entIssuer,
            @ColumnName("ent_subject") String entSubject,
            @ColumnName("created_at") Instant createdAt,
            @ColumnName("last_seen_at") Instant lastSeenAt,
            @ColumnName("guardian_family_id") Long guardianFamilyId,
            @ColumnName("guardian_name") String guardianName,
            @ColumnName("staff_role") String staffRole,
            @ColumnName("staff_name") String staffName,
            @ColumnName("staff_school_id") Long staffSchoolId) {}

    /**
     * One query per request finds the session and its signed-in guardian or active staff member.
     */
    private static final String FIND =
            """
            select ws.id_hash, ws.data::text as data, ws.principal_kind, ws.principal_id, ws.ent_issuer, ws.ent_subject,
                   ws.created_at, ws.last_seen_at,
                   g.family_id as guardian_family_id, g.first_name || ' ' || g.last_name as guardian_name,
                   s.role as staff_role, s.display_name as staff_name, s.school_id as staff_school_id
            from web_session ws
            left join guardian g on ws.principal_kind = 'parent' and g.id = ws.principal_id
            left join staff_account s on ws.principal_kind = 'staff' and s.id = ws.principal_id and s.active
            where ws.id_hash = :id""";

    private final Jdbi jdbi;

    LoginSessionLookupDao(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    Optional<Row> find(String idHash) {
        return jdbi.withHandle(
                h -> h.createQuery(FIND).bind("id", idHash).mapTo(Row.class).findOne());
    }
}
