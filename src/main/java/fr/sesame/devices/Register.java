package fr.sesame.devices;

import fr.sesame.audit.Actor;
import fr.sesame.audit.Audit;
import fr.sesame.json.Json;
import fr.sesame.web.Refusal;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/**
 * The register's changes: lend a device, take it back (returned, lost or broken, in stock). One
 * transaction each.
 */
public final class Register {
    static final Set<String> END_STATES = Set.of("returned", "lost_or_broken", "in_stock");

    private final Jdbi jdbi;

    public Register(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * Lends the device to the child from that date; the family's home use applies to it at once.
     */
    /** The education service's own decision on the family's home use, if it took one. */
    Optional<Boolean> homeUseOverride(long familyId) {
        return jdbi.onDemand(HomeUseDao.class).override(familyId);
    }

    /** The education service's own decision on a family's home use (see {@link HomeUse#decide}). */
    void decideHomeUse(long familyId, Boolean allowed, String reason, Actor admin) {
        HomeUse.decide(jdbi, familyId, allowed, reason, admin);
    }

    void lend(long deviceId, long childId, LocalDate lentOn, Actor actor) {
        jdbi.useTransaction(
                handle -> {
                    DeviceDao dao = handle.attach(DeviceDao.class);
                    // The family before the device, as a mark takes them (it moves the family's
                    // devices under its lock).
                    long familyId =
                            dao.familyOfChild(childId)
                                    .orElseThrow(() -> new Refusal(DeviceRefusal.CHILD));
                    HomeUse.lockFamily(handle, familyId);
                    if (dao.lock(deviceId).isEmpty()) throw new Refusal(DeviceRefusal.NOTFOUND);
                    if (dao.childHasDevice(childId)) throw new Refusal(DeviceRefusal.CHILDHASONE);
                    if (dao.lend(deviceId, childId, lentOn) != 1)
                        throw new Refusal(DeviceRefusal.NOTAVAILABLE);
                    dao.event(
                            deviceId,
                            actor.auditName(),
                            "lent",
                            null,
                            "school_only",
                            "lent",
                            null,
                            childId);
                    HomeUse.apply(handle, familyId, actor, null);
                    Audit.record(
                            handle,
                            actor,
                            "device_lent",
                            "device",
                            deviceId,
                            Json.object("childId", childId, "lentOn", lentOn.toString()));
                });
    }

    /**
     * Moves devices to an end state (the return campaign marks many at once); returns how many
     * changed.
     */
    int end(List<Long> deviceIds, String state, String note, Actor actor) {
        if (!END_STATES.contains(state)) throw new Refusal(DeviceRefusal.STATE);
        if (deviceIds.isEmpty()) return 0;
        return jdbi.inTransaction(
                handle -> {
                    DeviceDao dao = handle.attach(DeviceDao.class);
                    int changed = 0;
                    for (long id : deviceIds.stream().distinct().sorted().toList()) {
                        DeviceDao.Device before = dao.byId(id).orElse(null);
                        if (before == null || dao.lock(id).isEmpty()) continue;
                        if (dao.setState(List.of(id), state) == 1) {
                            dao.event(
                                    id,
                                    actor.auditName(),
                                    state,
                                    before.state(),
                                    state,
                                    state,
                                    note,
                                    before.childId());
                            Audit.record(
                                    handle,
                                    actor,
                                    "device_" + state,
                                    "device",
                                    id,
                                    Json.object("from", before.state(), "note", note));
                            changed++;
                        }
                    }
                    return changed;
                });
    }
}
