package fr.sesame.booking;

import fr.sesame.auth.LoginSessionDao;
import fr.sesame.auth.LoginSessions;
import fr.sesame.auth.Tokens;
import fr.sesame.web.Csrf;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * Signed-in parents for the storm, made before the timed part: families with a guardian and a
 * child, sessions to book, and for each parent a web session written with the app's own statement
 * ({@link LoginSessionDao#save}), as the letter-code sign-in leaves it (a CSRF token in it).
 * Nothing of this is timed.
 */
final class StormParents {
    /** A parent ready to book: the session cookie to send, and the session they will ask for. */
    record Parent(
            long familyId, long guardianId, String cookie, long sessionId, long town, String host) {
        /** A parent of a single-town deployment's town (any host reaches it). */
        Parent(long familyId, long guardianId, String cookie, long sessionId) {
            this(familyId, guardianId, cookie, sessionId, 0, null);
        }

        String cookieHeader() {
            return LoginSessions.COOKIE + "=" + cookie;
        }
    }

    private StormParents() {}

    /**
     * {@code parents} signed-in parents spread at random over {@code sessions} new sessions of
     * {@code capacity} seats.
     */
    static List<Parent> prepare(Jdbi jdbi, String prefix, int parents, int sessions, int capacity) {
        return prepare(jdbi, prefix, parents, sessions, capacity, 0, null);
    }

    /**
     * The same in one town of several, reached at {@code host}; {@code jdbi}'s connections are in
     * that town.
     */
    static List<Parent> prepare(
            Jdbi jdbi,
            String prefix,
            int parents,
            int sessions,
            int capacity,
            long town,
            String host) {
        List<Long> sessionIds =
                jdbi.withHandle(
                        h ->
                                h.createQuery(
                                                """
                insert into workshop_session (workshop_type_id, school_id, room_id, starts_at, ends_at, capacity, booking_opens_at)
                select (select id from workshop_type where code = 'premiers-pas' and town_id = current_town()), r.school_id, r.id,
                       now() + make_interval(days => 3 + g), now() + make_interval(days => 3 + g, hours => 2), :capacity,
                       now() - interval '1 day'
                from generate_series(1, :n) g
                join lateral (select id, school_id from room where town_id = current_town() order by id
                              offset (g % (select count(*) from room where town_id = current_town())) limit 1) r on true
                returning id""")
                                        .bind("capacity", capacity)
                                        .bind("n", sessions)
                                        .mapTo(Long.class)
                                        .list());
        List<long[]> families =
                jdbi.inTransaction(
                        h ->
                                h.createQuery(
                                                """
                with f as (
                    insert into family (reference) select :prefix || '-' || g from generate_series(1, :n) g returning id
                ), g as (
                    insert into guardian (family_id, first_name, last_name) select id, 'Parent', 'Storm' from f
                    returning id, family_id
                ), c as (
                    insert into child (family_id, school_id, first_name, last_name, class_level)
                    select id, (select min(id) from school where town_id = current_town()), 'Enfant', 'Storm', 'CM1' from f
                )
                select family_id, id from g order by family_id""")
                                        .bind("prefix", prefix)
                                        .bind("n", parents)
                                        .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)})
                                        .list());
        String save = saveStatement();
        List<Parent> list = new ArrayList<>();
        Random random = new Random(prefix.hashCode());
        jdbi.useTransaction(
                h -> {
                    var batch = h.prepareBatch(save);
                    for (long[] f : families) {
                        String cookie = Tokens.random(32);
                        batch.bind("id", Tokens.sha256(cookie))
                                .bind(
                                        "data",
                                        "{\""
                                                + Csrf.ATTRIBUTE
                                                + "\":\""
                                                + Tokens.random(24)
                                                + "\"}")
                                .bind("kind", "parent")
                                .bind("principal", f[1])
                                .bind("issuer", (String) null)
                                .bind("subject", (String) null)
                                .bind("created", java.time.Instant.now())
                                .add();
                        list.add(
                                new Parent(
                                        f[0],
                                        f[1],
                                        cookie,
                                        sessionIds.get(random.nextInt(sessionIds.size())),
                                        town,
                                        host));
                    }
                    batch.execute();
                });
        Collections.shuffle(list, random);
        return list;
    }

    /**
     * The statistics autovacuum would have gathered in a town's database before its opening day: a
     * fresh seed has none, and the planner's guesses then differ from a town's (with row-level
     * security's filters, the invitation's and the session page's reads went through 5 000 blocks
     * each instead of 17).
     */
    static void analyze(Jdbi jdbi) {
        jdbi.useHandle(h -> h.execute("analyze"));
    }

    private static String saveStatement() {
        try {
            return LoginSessionDao.class
                    .getMethod(
                            "save",
                            String.class,
                            String.class,
                            String.class,
                            Long.class,
                            String.class,
                            String.class,
                            java.time.Instant.class)
                    .getAnnotation(SqlUpdate.class)
                    .value();
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("LoginSessionDao.save changed: adapt the storm", e);
        }
    }
}
