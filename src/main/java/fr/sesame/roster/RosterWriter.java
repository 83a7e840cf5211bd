package fr.sesame.roster;

import fr.sesame.roster.RosterPlan.DeviceChange;
import fr.sesame.roster.RosterPlan.GuardianChange;
import fr.sesame.roster.RosterPlan.PupilChange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Carries out a plan inside the commit's transaction: new families first, then the merges, pupils,
 * guardians and devices, each in a few set-based statements. It never decides home use itself: it
 * asks the home-use rule, last, for every family it changed.
 */
final class RosterWriter {
    private final RosterDao dao;
    private final RosterPlan plan;
    private final String actor;
    private final Map<String, Long> newFamilyOfRoot = new HashMap<>();

    /** The ids of the pupils this import creates, by external id. */
    private final Map<String, Long> createdChildren = new HashMap<>();

    /**
     * Families the home-use rule must decide again beyond those whose children or devices changed.
     */
    private final Set<Long> ruleFamilies = new HashSet<>();

    private RosterWriter(RosterDao dao, RosterPlan plan, String actor) {
        this.dao = dao;
        this.plan = plan;
        this.actor = actor;
    }

    static void write(RosterDao dao, RosterPlan plan, String actor) {
        new RosterWriter(dao, plan, actor).write();
    }

    private void write() {
        Map<String, String> codes = plan.families.newFamilyCodeOfRoot;
        if (!codes.isEmpty()) {
            List<String> roots = new ArrayList<>(codes.keySet());
            Map<String, Long> idByCode =
                    dao
                            .insertFamilies(roots.stream().map(codes::get).toArray(String[]::new))
                            .stream()
                            .collect(
                                    Collectors.toMap(
                                            RosterDao.Created::key, RosterDao.Created::id));
            for (String root : roots) newFamilyOfRoot.put(root, idByCode.get(codes.get(root)));
        }
        lockChangedFamilies();
        Map<Long, Long> merges = plan.families.merges;
        if (!merges.isEmpty()) {
            long[] from = merges.keySet().stream().mapToLong(Long::longValue).toArray();
            long[] to = merges.values().stream().mapToLong(Long::longValue).toArray();
            dao.moveGuardians(from, to);
            dao.moveChildren(from, to);
            dao.moveBookings(from, to);
            dao.moveWaiting(from, to);
            dao.deleteFamilies(from);
            ruleFamilies.addAll(merges.values());
        }
        writePupils();
        writeGuardians();
        writeDevices();
        dao.applyHomeUse(ruleFamilies.stream().mapToLong(Long::longValue).toArray(), actor);
    }

    /** The family a pupil ("P:id") or guardian ("G:id") belongs to after the import. */
    private Long family(String node) {
        Long known = plan.families.knownFamily(node);
        return known != null ? known : newFamilyOfRoot.get(plan.families.root(node));
    }

    /** The child a device is lent to after the import, once new pupils have their ids. */
    private Long childAfter(DeviceChange d) {
        String pupil = d.row().pupilId();
        if (pupil == null) return d.keptChild();
        Long created = createdChildren.get(pupil);
        return created != null ? created : plan.db.childByExt().get(pupil).id();
    }

    /**
     * Locks every existing family whose guardians, children or devices change, in the order of
     * their ids, before any change: the home-use rule locks a family before its devices, so a mark
     * that meets the import waits for it rather than deadlocking with it.
     */
    private void lockChangedFamilies() {
        Set<Long> families = new HashSet<>(plan.families.merges.keySet());
        families.addAll(plan.families.merges.values());
        for (PupilChange p : plan.pupils) {
            if (p.before() == null) continue;
            families.add(p.before().familyId());
            families.add(family("P:" + p.row().id()));
        }
        for (GuardianChange g : plan.guardians) {
            if (g.before() == null) continue;
            families.add(g.before().familyId());
            families.add(family("G:" + g.row().id()));
        }
        List<Long> deviceIds = new ArrayList<>();
        for (DeviceChange d : plan.devices) {
            if (d.before() == null) continue;
            deviceIds.add(d.before().id());
            if (d.row().pupilId() != null) families.add(family("P:" + d.row().pupilId()));
        }
        if (families.isEmpty() && deviceIds.isEmpty()) return;
        dao.lockFamilies(
                families.stream().filter(Objects::nonNull).mapToLong(Long::longValue).toArray(),
                deviceIds.stream().mapToLong(Long::longValue).toArray());
    }

    private void writePupils() {
        List<RosterRows.PupilIn> inserts =
                plan.pupils.stream().filter(p -> p.before() == null).map(PupilChange::row).toList();
        List<PupilChange> updates = plan.pupils.stream().filter(p -> p.before() != null).toList();
        if (!inserts.isEmpty()) {
            List<RosterDao.Created> created =
                    dao.insertChildren(
                            inserts.stream().map(RosterRows.PupilIn::id).toArray(String[]::new),
                            inserts.stream().mapToLong(p -> family("P:" + p.id())).toArray(),
                            inserts.stream().mapToLong(RosterRows.PupilIn::schoolId).toArray(),
                            inserts.stream()
                                    .map(RosterRows.PupilIn::firstName)
                                    .toArray(String[]::new),
                            inserts.stream()
                                    .map(RosterRows.PupilIn::lastName)
                                    .toArray(String[]::new),
                            inserts.stream().map(RosterRows.PupilIn::level).toArray(String[]::new),
                            inserts.stream()
                                    .map(RosterRows.PupilIn::className)
                                    .toArray(String[]::new),
                            inserts.stream().map(RosterRows.PupilIn::entId).toArray(String[]::new));
            for (RosterDao.Created c : created) createdChildren.put(c.key(), c.id());
        }
        if (!updates.isEmpty()) {
            dao.updateChildren(
                    updates.stream().mapToLong(p -> p.before().id()).toArray(),
                    updates.stream().mapToLong(p -> family("P:" + p.row().id())).toArray(),
                    updates.stream().mapToLong(p -> p.row().schoolId()).toArray(),
                    updates.stream().map(p -> p.row().firstName()).toArray(String[]::new),
                    updates.stream().map(p -> p.row().lastName()).toArray(String[]::new),
                    updates.stream().map(p -> p.row().level()).toArray(String[]::new),
                    updates.stream().map(p -> p.row().className()).toArray(String[]::new),
                    updates.stream().map(p -> p.row().entId()).toArray(String[]::new));
        }
    }

    private void writeGuardians() {
        List<RosterRows.GuardianIn> inserts =
                plan.guardians.stream()
                        .filter(g -> g.before() == null)
                        .map(GuardianChange::row)
                        .toList();
        List<GuardianChange> updates =
                plan.guardians.stream().filter(g -> g.before() != null).toList();
        if (!inserts.isEmpty()) {
            dao.insertGuardians(
                    inserts.stream().map(RosterRows.GuardianIn::id).toArray(String[]::new),
                    inserts.stream().mapToLong(g -> family("G:" + g.id())).toArray(),
                    inserts.stream().map(RosterRows.GuardianIn::firstName).toArray(String[]::new),
                    inserts.stream().map(RosterRows.GuardianIn::lastName).toArray(String[]::new),
                    inserts.stream().map(RosterRows.GuardianIn::email).toArray(String[]::new),
                    inserts.stream().map(RosterRows.GuardianIn::phone).toArray(String[]::new),
                    inserts.stream().map(RosterRows.GuardianIn::language).toArray(String[]::new),
                    inserts.stream().map(RosterRows.GuardianIn::entId).toArray(String[]::new));
        }
        for (GuardianChange g : updates) {
            // A guardian who changes family takes their attendance along: both families ask the
            // rule again.
            ruleFamilies.add(g.before().familyId());
            ruleFamilies.add(family("G:" + g.row().id()));
        }
        if (!updates.isEmpty()) {
            dao.updateGuardians(
                    updates.stream().mapToLong(g -> g.before().id()).toArray(),
                    updates.stream().mapToLong(g -> family("G:" + g.row().id())).toArray(),
                    updates.stream().map(g -> g.row().firstName()).toArray(String[]::new),
                    updates.stream().map(g -> g.row().lastName()).toArray(String[]::new),
                    updates.stream().map(g -> g.row().email()).toArray(String[]::new),
                    updates.stream().map(g -> g.row().phone()).toArray(String[]::new),
                    updates.stream().map(g -> g.row().language()).toArray(String[]::new),
                    updates.stream().map(g -> g.row().entId()).toArray(String[]::new));
        }
    }

    private void writeDevices() {
        List<DeviceChange> inserts = plan.devices.stream().filter(d -> d.before() == null).toList();
        List<DeviceChange> updates = plan.devices.stream().filter(d -> d.before() != null).toList();
        if (!updates.isEmpty()) {
            dao.releaseDevices(
                    updates.stream()
                            .filter(d -> !Objects.equals(childAfter(d), d.before().childId()))
                            .mapToLong(d -> d.before().id())
                            .toArray());
            dao.updateDevices(
                    updates.stream().mapToLong(d -> d.before().id()).toArray(),
                    updates.stream().map(d -> d.row().serial()).toArray(String[]::new),
                    updates.stream().map(d -> d.row().model()).toArray(String[]::new),
                    updates.stream().map(this::childAfter).toArray(Long[]::new),
                    updates.stream().map(DeviceChange::toState).toArray(String[]::new));
        }
        if (!inserts.isEmpty()) {
            dao.insertDevices(
                    inserts.stream().map(d -> d.row().tag()).toArray(String[]::new),
                    inserts.stream().map(d -> d.row().serial()).toArray(String[]::new),
                    inserts.stream().map(d -> d.row().model()).toArray(String[]::new),
                    inserts.stream().map(this::childAfter).toArray(Long[]::new),
                    inserts.stream().map(DeviceChange::toState).toArray(String[]::new));
        }
        // Every change of state or of child is recorded (the home-use rule records its own after
        // this).
        List<String[]> events = new ArrayList<>();
        for (DeviceChange d : updates) {
            if (!d.before().state().equals(d.toState())
                    || !Objects.equals(d.before().childId(), childAfter(d))) {
                events.add(new String[] {d.row().tag(), d.before().state(), d.toState()});
            }
        }
        for (DeviceChange d : inserts) {
            if (!d.toState().equals("in_stock"))
                events.add(new String[] {d.row().tag(), null, d.toState()});
        }
        if (!events.isEmpty()) {
            dao.deviceEvents(
                    events.stream().map(e -> e[0]).toArray(String[]::new),
                    events.stream().map(e -> e[1]).toArray(String[]::new),
                    events.stream().map(e -> e[2]).toArray(String[]::new),
                    actor);
        }
    }
}
