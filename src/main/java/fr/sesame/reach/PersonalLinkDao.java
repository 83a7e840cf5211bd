package fr.sesame.reach;

import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Personal links: only the hash of each token is stored. */
interface PersonalLinkDao {
    @SqlUpdate(
            """
            insert into personal_link (token_hash, guardian_id, family_id, purpose, created_at, expires_at)
            values (:hash, :guardian, :family, :purpose, :now, :expires)""")
    void insert(
            @Bind("hash") String tokenHash,
            @Bind("guardian") long guardianId,
            @Bind("family") long familyId,
            @Bind("purpose") String purpose,
            @Bind("now") Instant now,
            @Bind("expires") Instant expiresAt);

    /** A link as found by its hash: its guardian's language, and whether it still opens. */
    record Found(long guardianId, String language, boolean used, boolean expired, boolean moved) {}

    @SqlQuery(
            """
            select l.guardian_id, g.language, l.used_at is not null as used, l.expires_at <= :now as expired,
                   g.family_id <> l.family_id as moved
            from personal_link l join guardian g on g.id = l.guardian_id
            where l.token_hash = :hash""")
    Optional<Found> find(@Bind("hash") String tokenHash, @Bind("now") Instant now);

    /**
     * Uses the link, if it still opens: one statement, so two clicks at once sign in only one of
     * them.
     */
    @SqlQuery(
            """
            update personal_link l set used_at = :now
            from guardian g
            where l.token_hash = :hash and l.used_at is null and l.expires_at > :now
              and g.id = l.guardian_id and g.family_id = l.family_id
            returning l.guardian_id""")
    Optional<Long> use(@Bind("hash") String tokenHash, @Bind("now") Instant now);
}
