package fr.sesame.auth;

import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Failed sign-in attempts per key (an IP address, a letter code, an e-mail). */
interface ThrottleDao {
    @SqlQuery("select blocked_until from sign_in_throttle where key = :key and blocked_until > now()")
    Optional<Instant> blockedUntil(@Bind("key") String key);

    /** Counts a failure; from the 5th on, blocks the key for 30 s, doubling each time, at most an hour. */
    @SqlUpdate("""
            insert into sign_in_throttle as t (key, failures, updated_at) values (:key, 1, now())
            on conflict (key) do update set
                failures = t.failures + 1,
                updated_at = now(),
                blocked_until = case when t.failures + 1 >= 5
                    then now() + least(interval '1 hour', interval '30 seconds' * power(2, t.failures + 1 - 5))
                    else t.blocked_until end""")
    void fail(@Bind("key") String key);

    @SqlUpdate("delete from sign_in_throttle where key = :key")
    void reset(@Bind("key") String key);
}
