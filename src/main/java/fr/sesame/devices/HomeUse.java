package fr.sesame.devices;

import fr.sesame.audit.Actor;
import fr.sesame.audit.Audit;
import fr.sesame.db.LockDao;
import fr.sesame.json.Json;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The home-use rule (DOMAIN.md, rule 1): one guardian's qualifying attendance unlocks every device
 * lent to every child of the family, in every school; without one the devices stay at school. An
 * admin's decision for the family outranks the rule until it is cleared. The rule is written once,
 * in the database (migrations/V10: the view home_use_attendance and the function apply_home_use),
 * so that the import and the dashboard obey the same one. Callers run it inside their own
 * transaction, after the change that may move the family, so the unlock commits with the mark.
 */
public final class HomeUse {
    /**
     * What the rule decided for a family: its devices may go home or not, why (attendance,
     * admin_grant, admin_revoke, no_qualifying_attendance, or charter_missing: a guardian came but
     * the charter is still to sign), and how many devices changed now.
     */
    public record Outcome(boolean homeUse, String reason, int devicesChanged) {}

    private HomeUse() {}

    /**
     * Locks the family row (the one family lock, {@link LockDao}); call it before reading what the
     * rule depends on. False when there is no such family.
     */
    public static boolean lockFamily(Handle handle, long familyId) {
        return handle.attach(LockDao.class).lockFamily(familyId).isPresent();
    }

    /**
     * Applies the rule to the family (whose row the caller has locked), recording each device that
     * changes.
     *
     * @param triggeringAttendance the attendance whose change led here, kept with a revocation (may
     *     be null)
     */
    public static Outcome apply(
            Handle handle, long familyId, Actor actor, Long triggeringAttendance) {
        return apply(handle, familyId, actor, triggeringAttendance, null);
    }

    private static Outcome apply(
            Handle handle, long familyId, Actor actor, Long triggeringAttendance, String note) {
        return outcome(
                handle.attach(HomeUseDao.class)
                        .apply(familyId, actor.auditName(), triggeringAttendance, note));
    }

    /**
     * The rule's decision for the family now (whose row the caller has locked), changing nothing.
     */
    public static Outcome current(Handle handle, long familyId) {
        return outcome(handle.attach(HomeUseDao.class).decision(familyId));
    }

    private static Outcome outcome(HomeUseDao.Applied applied) {
        return new Outcome(applied.homeUse(), applied.reason(), applied.devicesChanged());
    }

    /**
     * The education service grants (true), revokes (false) or hands back to the rule (null) a
     * family's home use, with a reason; one transaction, audited.
     */
    public static Outcome decide(
            Jdbi jdbi, long familyId, Boolean allowed, String reason, Actor admin) {
        return jdbi.inTransaction(
                handle -> {
                    HomeUseDao dao = handle.attach(HomeUseDao.class);
                    if (!lockFamily(handle, familyId)) return null;
                    if (allowed == null) {
                        dao.clearOverride(familyId);
                    } else {
                        dao.setOverride(familyId, allowed, reason, admin.staffId());
                    }
                    String note = reason == null ? "" : reason;
                    Outcome outcome = apply(handle, familyId, admin, null, note);
                    Audit.record(
                            handle,
                            admin,
                            allowed == null
                                    ? "home_use_override_cleared"
                                    : (allowed ? "home_use_granted" : "home_use_revoked"),
                            "family",
                            familyId,
                            Json.object(
                                    "reason", note, "devicesChanged", outcome.devicesChanged()));
                    return outcome;
                });
    }
}
