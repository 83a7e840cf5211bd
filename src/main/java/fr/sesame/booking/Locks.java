package fr.sesame.booking;

import fr.sesame.db.LockDao;
import java.util.TreeSet;
import java.util.stream.LongStream;
import org.jdbi.v3.core.Handle;

/**
 * The family and session locks of one booking call, taken in the order {@link LockDao} documents:
 * families first, then sessions. It outlives the attempts of the call: a waiter's family found busy
 * while a session was held is locked first, with the caller's own family, when the transaction
 * starts again.
 */
final class Locks {
    /** Starts the transaction again; nothing it wrote stays. */
    static final class Restart extends RuntimeException {
        Restart() {
            super("a waiter's family is busy", null, false, false);
        }
    }

    private final TreeSet<Long> firstNextTime = new TreeSet<>();
    private Handle handle;
    private LockDao dao;
    private boolean familiesTaken;

    void begin(Handle handle) {
        this.handle = handle;
        dao = null;
        familiesTaken = false;
    }

    /**
     * Attached only when needed: most transactions lock one family, with no DAO attached (see
     * SeatDao).
     */
    private LockDao dao() {
        if (dao == null) dao = handle.attach(LockDao.class);
        return dao;
    }

    /**
     * Locks the family (null: none) with those a previous attempt found busy, in id order; false
     * when it does not exist.
     */
    boolean families(Long familyId) {
        familiesTaken = true;
        if (familyId == null && firstNextTime.isEmpty()) return true;
        if (firstNextTime.isEmpty()) {
            return handle.createQuery(LockDao.LOCK_FAMILY)
                    .bind("id", familyId)
                    .mapTo(Long.class)
                    .findOne()
                    .isPresent();
        }
        LongStream ids = firstNextTime.stream().mapToLong(Long::longValue);
        if (familyId != null) ids = LongStream.concat(ids, LongStream.of(familyId));
        return dao().lockFamilies(ids.toArray()).contains(familyId) || familyId == null;
    }

    /**
     * Locks these families (and those a previous attempt found busy) in id order, before any
     * session.
     */
    void allFamilies(long[] familyIds) {
        familiesTaken = true;
        LongStream ids =
                LongStream.concat(
                        firstNextTime.stream().mapToLong(Long::longValue),
                        LongStream.of(familyIds));
        dao().lockFamilies(ids.distinct().toArray());
    }

    /** Locks the sessions in id order, after the families; returns how many exist. */
    int sessions(long... sessionIds) {
        if (!familiesTaken) families(null);
        return dao().lockSessions(sessionIds).size();
    }

    /**
     * The family of a waiter about to be promoted, while this transaction holds the session: taken
     * only if no one holds it (waiting here could close a cycle with a parent of that family
     * waiting for the session); otherwise the transaction starts again, with that family locked
     * first.
     */
    void waiterFamily(long familyId) {
        if (dao().tryLockFamily(familyId).isPresent()) return;
        firstNextTime.add(familyId);
        throw new Restart();
    }
}
