package fr.sesame.roster;

import fr.sesame.audit.Actor;
import fr.sesame.audit.Audit;
import fr.sesame.db.LockDao;
import fr.sesame.json.Json;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Data protection for the roster: what is held about a family (export), its erasure on request, and
 * the retention rule (families whose devices were returned more than RETENTION_DAYS ago are
 * deleted). Each erasure is one transaction with its audit row, which keeps ids and counts only.
 */
public final class FamilyData {
    private static final Logger log = LoggerFactory.getLogger(FamilyData.class);
    private final Jdbi jdbi;

    public FamilyData(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Runs the retention rule once a day, in the background, until closed. */
    public AutoCloseable startDaily(int days) {
        return startDaily(() -> days);
    }

    /** The same with each town's own retention, read in that town (issue 17). */
    public AutoCloseable startDaily(java.util.function.IntSupplier days) {
        java.util.concurrent.ScheduledExecutorService timer =
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "sesame-retention");
                            t.setDaemon(true);
                            return t;
                        });
        timer.scheduleAtFixedRate(
                () -> {
                    try {
                        fr.sesame.db.Towns.eachTownOf(jdbi, () -> purgeReturned(days.getAsInt()))
                                .getAsInt();
                    } catch (RuntimeException e) {
                        log.warn("event=retention_purge_failed", e);
                    }
                },
                10,
                24 * 60,
                java.util.concurrent.TimeUnit.MINUTES);
        return timer::shutdownNow;
    }

    Optional<String> reference(long familyId) {
        return jdbi.onDemand(FamilyDataDao.class).reference(familyId);
    }

    Optional<String> letterCode(long familyId) {
        return jdbi.onDemand(FamilyDataDao.class).letterCode(familyId);
    }

    List<String> guardianLines(long familyId) {
        return jdbi.onDemand(FamilyDataDao.class).guardianLines(familyId);
    }

    List<String> childLines(long familyId) {
        return jdbi.onDemand(FamilyDataDao.class).childLines(familyId);
    }

    /** All that is held about the family, as JSON; empty when there is no such family. */
    public Optional<String> export(long familyId, Actor actor) {
        return jdbi.inTransaction(
                h -> {
                    FamilyDataDao dao = h.attach(FamilyDataDao.class);
                    if (dao.reference(familyId).isEmpty()) return Optional.empty();
                    String json = dao.export(familyId);
                    Audit.record(h, actor, "export_family", "family", familyId);
                    return Optional.of(json);
                });
    }

    /**
     * Erases the family: its guardians, children, bookings, attendance, sign-ins. False when there
     * is none.
     */
    public boolean erase(long familyId, Actor actor, String reason) {
        return jdbi.inTransaction(h -> erase(h, familyId, actor, reason));
    }

    private static boolean erase(Handle h, long familyId, Actor actor, String reason) {
        FamilyDataDao dao = h.attach(FamilyDataDao.class);
        // The family, then the sessions of its bookings (fr.sesame.db.LockDao's order); deleting
        // the family row at
        // the end takes the stronger lock a delete needs.
        if (h.attach(LockDao.class).lockFamily(familyId).isEmpty()) return false;
        dao.lockBookedSessions(familyId);
        dao.freeSeats(familyId);
        int guardians = dao.guardianCount(familyId);
        int children = dao.childCount(familyId);
        dao.deleteSessions(familyId);
        dao.deleteEntIdentities(familyId);
        dao.deleteActivityTraces(familyId);
        dao.deleteAttendance(familyId);
        dao.deleteWaiting(familyId);
        dao.deleteBookings(familyId);
        int devices = dao.detachDevices(familyId);
        dao.deleteChildren(familyId);
        dao.deleteGuardians(familyId);
        dao.deleteFamily(familyId);
        Audit.record(
                h,
                actor,
                "erase_family",
                "family",
                familyId,
                Json.object(
                        "reason",
                        reason,
                        "guardians",
                        guardians,
                        "children",
                        children,
                        "devices",
                        devices));
        return true;
    }

    /**
     * The retention rule: deletes the families whose devices were all returned more than {@code
     * days} days ago, and the roster uploads older than a day. Returns the number of families
     * deleted.
     */
    public int purgeReturned(int days) {
        // Several instances share one database: one pass at a time, the others skip theirs (the
        // lock is the
        // connection's, so it goes with an instance that dies).
        return jdbi.withHandle(
                holder -> {
                    FamilyDataDao dao = holder.attach(FamilyDataDao.class);
                    if (!dao.tryPurgeLock()) {
                        log.info("event=retention_purge_skipped reason=running_elsewhere");
                        return 0;
                    }
                    try {
                        return purgePass(days);
                    } finally {
                        dao.purgeUnlock();
                    }
                });
    }

    private int purgePass(int days) {
        List<Long> families =
                jdbi.withHandle(h -> h.attach(FamilyDataDao.class).returnedBefore(days));
        int deleted = 0;
        for (long family : families) {
            boolean erased =
                    jdbi.inTransaction(
                            h ->
                                    h.attach(LockDao.class).lockFamily(family).isPresent()
                                            // checked again under the lock: a device may have been
                                            // lent since the query
                                            && h.attach(FamilyDataDao.class)
                                                    .stillExpired(family, days)
                                            && erase(
                                                    h,
                                                    family,
                                                    Actor.system("retention"),
                                                    "retention"));
            if (erased) deleted++;
        }
        int uploads = jdbi.withHandle(h -> h.attach(RosterDao.class).deleteOldUploads());
        log.info("event=retention_purge days={} families={} uploads={}", days, deleted, uploads);
        return deleted;
    }
}
