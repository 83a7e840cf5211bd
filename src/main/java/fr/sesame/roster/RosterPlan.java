package fr.sesame.roster;

import fr.sesame.roster.RosterCsv.Kind;
import fr.sesame.roster.RosterCsv.Table;
import fr.sesame.roster.RosterImport.Counts;
import fr.sesame.roster.RosterImport.Outcome;
import fr.sesame.roster.RosterRows.DeviceIn;
import fr.sesame.roster.RosterRows.GuardianIn;
import fr.sesame.roster.RosterRows.PupilIn;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What an import will change, decided once from the files and the database as they are: the preview
 * shows its counts and problems, and the commit's writer carries out exactly these lists, in the
 * same transaction that worked them out.
 */
final class RosterPlan {
    /** A pupil, guardian or device of the files, and its row in the database (null: a new one). */
    record PupilChange(PupilIn row, RosterDao.ChildState before) {}

    record GuardianChange(GuardianIn row, RosterDao.GuardianState before) {}

    /**
     * A device and the state it will have in the database; its child afterwards is the row's pupil,
     * or, when the row names none, {@code keptChild} (the child it is lent to now, unless it goes
     * back to stock).
     */
    record DeviceChange(
            DeviceIn row, RosterDao.DeviceState before, String toState, Long keptChild) {}

    final RosterState db;
    final RosterFamilies families;
    final List<PupilChange> pupils = new ArrayList<>();
    final List<GuardianChange> guardians = new ArrayList<>();
    final List<DeviceChange> devices = new ArrayList<>();
    private Outcome outcome;

    private RosterPlan(RosterState db, RosterFamilies families) {
        this.db = db;
        this.families = families;
    }

    /**
     * What the preview shows: the counts, the families made and merged, and every problem in file
     * and line order.
     */
    Outcome outcome() {
        return outcome;
    }

    static RosterPlan of(RosterState db, RosterImport.Files files) {
        List<Problem> problems = new ArrayList<>();
        Map<String, String> encodings = new LinkedHashMap<>();
        if (files.isEmpty()) {
            problems.add(new Problem("all", 0, "roster.problem.nofile", List.of()));
            Counts none = new Counts(0, 0, 0);
            RosterPlan nothing = new RosterPlan(db, null);
            nothing.outcome = new Outcome(problems, none, none, none, 0, 0, 0, encodings);
            return nothing;
        }
        Table pupilTable = read(Kind.PUPILS, files.pupils(), problems, encodings);
        Table guardianTable = read(Kind.GUARDIANS, files.guardians(), problems, encodings);
        Table linkTable = read(Kind.LINKS, files.links(), problems, encodings);
        Table deviceTable = read(Kind.DEVICES, files.devices(), problems, encodings);
        RosterRows rows =
                RosterRows.check(db, pupilTable, guardianTable, linkTable, deviceTable, problems);
        RosterFamilies families = RosterFamilies.group(rows, db, problems);
        problems.sort(
                Comparator.comparingInt((Problem p) -> fileOrder(p.file()))
                        .thenComparingInt(Problem::line));

        RosterPlan plan = new RosterPlan(db, families);
        Counts pupils = plan.planPupils(rows);
        Counts guardians = plan.planGuardians(rows);
        Counts devices = plan.planDevices(rows);
        plan.outcome =
                new Outcome(
                        List.copyOf(problems),
                        pupils,
                        guardians,
                        devices,
                        families.newFamilyCodeOfRoot.size(),
                        families.merges.size(),
                        rows.links.size(),
                        encodings);
        return plan;
    }

    private static Table read(
            Kind kind, byte[] bytes, List<Problem> problems, Map<String, String> encodings) {
        if (bytes == null) return null;
        Table t = RosterCsv.read(kind, bytes);
        problems.addAll(t.problems());
        if (t.encoding() != null) encodings.put(kind.key, t.encoding() + " " + t.separator());
        return t;
    }

    private static int fileOrder(String file) {
        return switch (file) {
            case "pupils" -> 0;
            case "guardians" -> 1;
            case "links" -> 2;
            case "devices" -> 3;
            default -> 4;
        };
    }

    /** created, updated, unchanged */
    private static Counts counts(int[] n) {
        return new Counts(n[0], n[1], n[2]);
    }

    // ---- each list holds the new and changed rows only; the counts say how many were left alone

    private Counts planPupils(RosterRows rows) {
        int[] n = new int[3];
        for (PupilIn p : rows.pupils.values()) {
            RosterDao.ChildState c = db.childByExt().get(p.id());
            if (c != null && same(c, p)) {
                n[2]++;
                continue;
            }
            n[c == null ? 0 : 1]++;
            pupils.add(new PupilChange(p, c));
        }
        return counts(n);
    }

    private boolean same(RosterDao.ChildState c, PupilIn p) {
        return !families.merges.containsKey(c.familyId())
                && Objects.equals(families.knownFamily("P:" + p.id()), c.familyId())
                && c.schoolId() == p.schoolId()
                && c.firstName().equals(p.firstName())
                && c.lastName().equals(p.lastName())
                && c.classLevel().equals(p.level())
                && c.className().equals(p.className())
                && Objects.equals(c.entId(), p.entId());
    }

    private Counts planGuardians(RosterRows rows) {
        int[] n = new int[3];
        for (GuardianIn g : rows.guardians.values()) {
            RosterDao.GuardianState s = db.guardianByExt().get(g.id());
            if (s != null && same(s, g)) {
                n[2]++;
                continue;
            }
            n[s == null ? 0 : 1]++;
            guardians.add(new GuardianChange(g, s));
        }
        return counts(n);
    }

    private boolean same(RosterDao.GuardianState s, GuardianIn g) {
        return Objects.equals(families.knownFamily("G:" + g.id()), s.familyId())
                && !families.merges.containsKey(s.familyId())
                && s.firstName().equals(g.firstName())
                && s.lastName().equals(g.lastName())
                && Objects.equals(s.email(), g.email())
                && Objects.equals(s.phone(), g.phone())
                && s.language().equals(g.language())
                && Objects.equals(s.entId(), g.entId());
    }

    private Counts planDevices(RosterRows rows) {
        int[] n = new int[3];
        for (DeviceIn d : rows.devices.values()) {
            RosterDao.DeviceState s = db.deviceByTag().get(d.tag());
            String to = dbState(s, d);
            if (s != null
                    && s.serialNumber().equals(d.serial())
                    && s.model().equals(d.model())
                    && Objects.equals(s.childId(), existingChildOf(d))
                    && s.state().equals(to)) {
                n[2]++;
                continue;
            }
            n[s == null ? 0 : 1]++;
            Long kept =
                    d.pupilId() == null && !d.state().equals("in_stock")
                            ? db.childOfDevice(d.tag())
                            : null;
            devices.add(new DeviceChange(d, s, to, kept));
        }
        return counts(n);
    }

    /**
     * The child a device row names, when that child already exists (-1 for a new pupil; see
     * keptChild).
     */
    private Long existingChildOf(DeviceIn d) {
        if (d.pupilId() == null)
            return d.state().equals("in_stock") ? null : db.childOfDevice(d.tag());
        RosterDao.ChildState c = db.childByExt().get(d.pupilId());
        return c == null ? -1L : c.id();
    }

    /**
     * The database state of a device row: a lent device keeps home use when it stays with the same
     * child.
     */
    private String dbState(RosterDao.DeviceState existing, DeviceIn d) {
        if (!d.state().equals("lent")) return d.state();
        return existing != null
                        && Objects.equals(existing.childId(), existingChildOf(d))
                        && existing.state().equals("home_use")
                ? "home_use"
                : "school_only";
    }
}
