package fr.sesame.auth;

import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Sign-in attempts per key (a letter code, a staff account, an address). */
interface ThrottleDao {
    @SqlQuery(
            "select blocked_until from sign_in_throttle where key = :key and blocked_until > now()")
    Optional<Instant> blockedUntil(@Bind("key") String key);

    /**
     * Counts an attempt unless the key is blocked, in one statement (the row lock orders parallel
     * attempts); empty when blocked. The attempt that reaches the limit blocks the key for 30 s,
     * each further one for twice as long as the last, at most an hour.
     */
    @SqlQuery(
            """
            insert into sign_in_throttle as t (key, failures, updated_at, blocked_until)
            values (:key, 1, now(), case when :limit <= 1 then now() + interval '30 seconds' end)
            on conflict (town_id, key) do update set
                failures = t.failures + 1,
                updated_at = now(),
                blocked_until = case when t.failures + 1 >= :limit
                    then now() + least(interval '1 hour', interval '30 seconds' * power(2, t.failures + 1 - :limit))
                    else t.blocked_until end
            where t.blocked_until is null or t.blocked_until <= now()
            returning failures""")
    Optional<Integer> attempt(@Bind("key") String key, @Bind("limit") int limit);

    @SqlUpdate("delete from sign_in_throttle where key = :key")
    void reset(@Bind("key") String key);

    /** Gives back one attempt; the block it set, if any, goes with it. */
    @SqlUpdate(
            """
            update sign_in_throttle set failures = greatest(failures - 1, 0),
                blocked_until = case when failures - 1 < :limit then null else blocked_until end
            where key = :key""")
    void refund(@Bind("key") String key, @Bind("limit") int limit);
}
