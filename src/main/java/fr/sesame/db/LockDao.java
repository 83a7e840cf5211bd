package fr.sesame.db;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/**
 * The row locks that every path changing a family, its bookings or a session takes, and the one
 * order in which all of them take them, so that two transactions wait for each other rather than
 * deadlock:
 *
 * <ol>
 *   <li>families, in id order ({@code FOR NO KEY UPDATE}: no path changes a family's key, and this
 *       lock leaves the {@code FOR KEY SHARE} of foreign-key checks and of V8/V9's commit triggers
 *       free);
 *   <li>sessions, in id order;
 *   <li>then the rows under them: bookings, waiting entries, devices, calendar invitations, by the
 *       statements that change them;
 *   <li>at commit, the first of V8/V9's deferred events locks every {@code family_progress} row the
 *       transaction refreshes, all at once, in family id order (V17: each change only notes its
 *       families). Not every writer holds the family locks first (a session cancelled does not lock
 *       the families booked on it), so the order in which the statements changed the families must
 *       not matter (FamilyProgressLockOrderTest).
 * </ol>
 *
 * A path that holds a session never waits for a family: promoting a family from a waiting list
 * takes its family with {@link #tryLockFamily} and, when it is busy, starts again with that family
 * locked first (BookingService).
 */
public interface LockDao {

    /**
     * Also run without attaching this DAO by the booking transactions (booking/Locks), the busiest
     * of them.
     */
    String LOCK_FAMILY = "select id from family where id = :id for no key update";

    @SqlQuery(LOCK_FAMILY)
    Optional<Long> lockFamily(@Bind("id") long familyId);

    /**
     * The family's lock if no other transaction holds it (empty otherwise): for a path already
     * holding a session.
     */
    @SqlQuery("select id from family where id = :id for no key update skip locked")
    Optional<Long> tryLockFamily(@Bind("id") long familyId);

    /** Several families, in id order; returns those that exist. */
    @SqlQuery("select id from family where id = any(:ids) order by id for no key update")
    List<Long> lockFamilies(@Bind("ids") long[] familyIds);

    /**
     * Sessions, in id order, in the mode of the update that follows (a session's key never
     * changes).
     */
    @SqlQuery("select id from workshop_session where id = any(:ids) order by id for no key update")
    List<Long> lockSessions(@Bind("ids") long[] sessionIds);
}
