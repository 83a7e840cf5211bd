package fr.sesame.roster;

import fr.sesame.audit.Audit;
import fr.sesame.audit.Actor;
import fr.sesame.auth.LetterCodes;
import fr.sesame.roster.RosterCsv.Kind;
import fr.sesame.roster.RosterCsv.Row;
import fr.sesame.roster.RosterCsv.Table;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The roster import: compares the uploaded files with what the database holds, says what would change and what
 * is wrong (the preview), and applies it all in one transaction (the commit). Pupils and guardians are keyed by
 * the external ids of the town's tools, devices by their asset tag; families are the connected groups of pupils
 * and guardians that the links (and the families already known) tie together.
 */
public final class RosterImport {
    static final List<String> LEVELS = List.of("CP", "CE1", "CE2", "CM1", "CM2");
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s,;]{1,64}@[^@\\s,;]{1,185}\\.[^@\\s,;.]{2,}$");
    private static final Pattern PHONE = Pattern.compile("^\\+?[0-9 ().\\-]{6,25}$");
    private static final Pattern UAI = Pattern.compile("^[0-9]{7}[A-Z]$");

    /** The files of one upload; any may be missing (null). */
    public record Files(byte[] pupils, byte[] guardians, byte[] links, byte[] devices) {
        boolean isEmpty() {
            return pupils == null && guardians == null && links == null && devices == null;
        }
    }

    public record Counts(int created, int updated, int unchanged) {
        public int total() {
            return created + updated + unchanged;
        }
    }

    /** What an import would do (or did), and what is wrong with it. */
    public record Outcome(List<Problem> problems, Counts pupils, Counts guardians, Counts devices, int familiesCreated,
                          int familiesMerged, int links, Map<String, String> encodings) {
        public boolean ok() {
            return problems.isEmpty();
        }

        public boolean changesSomething() {
            return pupils.created + pupils.updated + guardians.created + guardians.updated + devices.created
                    + devices.updated + familiesCreated + familiesMerged > 0;
        }

        String json() {
            return "{\"pupils\":" + counts(pupils) + ",\"guardians\":" + counts(guardians) + ",\"devices\":"
                    + counts(devices) + ",\"familiesCreated\":" + familiesCreated + ",\"familiesMerged\":"
                    + familiesMerged + ",\"links\":" + links + "}";
        }

        private static String counts(Counts c) {
            return "{\"created\":" + c.created + ",\"updated\":" + c.updated + ",\"unchanged\":" + c.unchanged + "}";
        }
    }

    /** Raised inside the commit's transaction to roll it back when the files are not (or no longer) clean. */
    static final class Rejected extends RuntimeException {
        final transient Outcome outcome;

        Rejected(Outcome outcome) {
            super("roster import rejected", null, false, false);
            this.outcome = outcome;
        }
    }

    private final Jdbi jdbi;

    public RosterImport(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** What committing these files would do; writes nothing. */
    public Outcome preview(Files files) {
        return jdbi.inTransaction(h -> {
            h.execute("set transaction read only");
            return new Plan(h, files).outcome();
        });
    }

    /** Keeps the uploaded files until the admin commits them (or the retention purge forgets them). */
    long saveUpload(long staffId, byte[] pupils, byte[] guardians, byte[] links, byte[] devices, String fileNamesJson) {
        return jdbi.onDemand(RosterDao.class).saveUpload(staffId, pupils, guardians, links, devices, fileNamesJson);
    }

    Optional<RosterDao.Upload> upload(long id) {
        return jdbi.onDemand(RosterDao.class).upload(id);
    }

    /** Applies the files all at once, or nothing when any problem remains; the audit row is in the same transaction. */
    public Outcome commit(Files files, Actor actor, Long uploadId) {
        try {
            return jdbi.inTransaction(h -> {
                RosterDao dao = h.attach(RosterDao.class);
                dao.lockImports();
                Plan plan = new Plan(h, files);
                Outcome outcome = plan.outcome();
                if (!outcome.ok()) throw new Rejected(outcome);
                plan.apply(dao, actor);
                Audit.record(h, actor, "roster_import", "roster_upload", uploadId, outcome.json());
                if (uploadId != null) dao.markCommitted(uploadId);
                return outcome;
            });
        } catch (Rejected r) {
            return r.outcome;
        } catch (org.jdbi.v3.core.JdbiException e) {
            throw new NotApplied(e);
        }
    }

    /** The database refused the import as a whole (nothing was written): the admin may try again. */
    public static final class NotApplied extends RuntimeException {
        NotApplied(Throwable cause) {
            super(cause);
        }
    }

    /** One pass over the files against the database as it is now. */
    private static final class Plan {
        final List<Problem> problems = new ArrayList<>();
        final Map<String, String> encodings = new LinkedHashMap<>();
        final Map<String, RosterDao.School> schoolsByUai = new HashMap<>();
        final Map<String, RosterDao.ChildState> childByExt = new HashMap<>();
        final Map<String, RosterDao.ChildState> childByEnt = new HashMap<>();
        final Map<String, RosterDao.GuardianState> guardianByExt = new HashMap<>();
        final Map<String, RosterDao.GuardianState> guardianByEnt = new HashMap<>();
        final Map<String, RosterDao.DeviceState> deviceByTag = new HashMap<>();
        final Map<String, RosterDao.DeviceState> deviceBySerial = new HashMap<>();
        final Map<Long, RosterDao.DeviceState> lentDeviceByChild = new HashMap<>();
        final Set<String> takenCodes;

        final Map<String, PupilIn> pupils = new LinkedHashMap<>();
        final Map<String, GuardianIn> guardians = new LinkedHashMap<>();
        final Map<String, DeviceIn> devices = new LinkedHashMap<>();
        /** Families the home-use rule must decide again beyond those whose children or devices changed. */
        final Set<Long> ruleFamilies = new HashSet<>();
        final Map<String, DeviceIn> deviceBySerialInFile = new HashMap<>();
        final Set<String> pupilEntIds = new HashSet<>();
        final Set<String> guardianEntIds = new HashSet<>();
        final UnionFind groups = new UnionFind();
        final Set<String> linked = new HashSet<>();
        // ids whose own line has a problem: lines that name them say nothing more
        final Set<String> badPupils = new HashSet<>();
        final Set<String> badGuardians = new HashSet<>();
        int linkCount;

        // results of the family computation
        final Map<String, Long> familyOfNode = new HashMap<>();
        final Map<String, String> newFamilyCodeOfRoot = new LinkedHashMap<>();
        final Map<Long, Long> merges = new LinkedHashMap<>();
        Outcome outcome;

        Plan(Handle h, Files files) {
            RosterDao dao = h.attach(RosterDao.class);
            if (files.isEmpty()) {
                problems.add(new Problem("all", 0, "roster.problem.nofile", List.of()));
                takenCodes = Set.of();
                outcome = new Outcome(problems, new Counts(0, 0, 0), new Counts(0, 0, 0), new Counts(0, 0, 0), 0, 0,
                        0, encodings);
                return;
            }
            for (RosterDao.School s : dao.schools()) schoolsByUai.put(s.uai(), s);
            for (RosterDao.ChildState c : dao.children()) {
                if (c.externalId() != null) childByExt.put(c.externalId(), c);
                if (c.entId() != null) childByEnt.put(c.entId(), c);
            }
            for (RosterDao.GuardianState g : dao.guardians()) {
                if (g.externalId() != null) guardianByExt.put(g.externalId(), g);
                if (g.entId() != null) guardianByEnt.put(g.entId(), g);
            }
            for (RosterDao.DeviceState d : dao.devices()) {
                deviceByTag.put(d.assetTag(), d);
                deviceBySerial.put(d.serialNumber(), d);
                if (d.childId() != null && (d.state().equals("school_only") || d.state().equals("home_use"))) {
                    lentDeviceByChild.put(d.childId(), d);
                }
            }
            takenCodes = new HashSet<>(dao.letterCodes());

            Table pupilTable = read(Kind.PUPILS, files.pupils());
            Table guardianTable = read(Kind.GUARDIANS, files.guardians());
            Table linkTable = read(Kind.LINKS, files.links());
            Table deviceTable = read(Kind.DEVICES, files.devices());
            if (pupilTable != null) pupilTable.rows().forEach(this::pupil);
            if (guardianTable != null) guardianTable.rows().forEach(this::guardian);
            if (linkTable != null) linkTable.rows().forEach(this::link);
            families();
            if (deviceTable != null) deviceTable.rows().forEach(this::device);
            checkDevicesPerPupil();
            problems.sort((a, b) -> a.file().equals(b.file()) ? Integer.compare(a.line(), b.line())
                    : Integer.compare(fileOrder(a.file()), fileOrder(b.file())));
            outcome = new Outcome(List.copyOf(problems), pupilCounts(), guardianCounts(), deviceCounts(),
                    newFamilyCodeOfRoot.size(), merges.size(), linkCount, encodings);
        }

        Outcome outcome() {
            return outcome;
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

        private Table read(Kind kind, byte[] bytes) {
            if (bytes == null) return null;
            Table t = RosterCsv.read(kind, bytes);
            problems.addAll(t.problems());
            if (t.encoding() != null) encodings.put(kind.key, t.encoding() + " " + t.separator());
            return t;
        }

        // ---- rows

        record PupilIn(int line, String id, String lastName, String firstName, long schoolId, String level,
                       String className, String entId) {
        }

        record GuardianIn(int line, String id, String lastName, String firstName, String email, String phone,
                          String language, String entId) {
        }

        record DeviceIn(int line, String tag, String serial, String model, String pupilId, String state) {
        }

        private void pupil(Row row) {
            Kind k = Kind.PUPILS;
            int before = problems.size();
            String id = required(row, k, "pupil_id", 64);
            String last = required(row, k, "last_name", 100);
            String first = required(row, k, "first_name", 100);
            String uai = row.get("school_uai").toUpperCase(Locale.ROOT).replace(" ", "");
            RosterDao.School school = schoolsByUai.get(uai);
            if (uai.isEmpty()) problems.add(Problem.at(row, k, "roster.problem.missing", label(k, "school_uai")));
            else if (!UAI.matcher(uai).matches()) problems.add(Problem.at(row, k, "roster.problem.uai", uai));
            else if (school == null) problems.add(Problem.at(row, k, "roster.problem.school", uai));
            String level = row.get("class_level").toUpperCase(Locale.ROOT).replace(" ", "");
            if (!LEVELS.contains(level)) problems.add(Problem.at(row, k, "roster.problem.level", row.get("class_level")));
            String className = optional(row, k, "class_name", 40);
            String ent = optional(row, k, "ent_id", 100);
            if (id != null && pupils.containsKey(id)) {
                problems.add(Problem.at(row, k, "roster.problem.duplicate.pupil", id, pupils.get(id).line()));
                return;
            }
            if (ent != null) {
                RosterDao.ChildState owner = childByEnt.get(ent);
                boolean takenInFile = pupilEntIds.contains(ent);
                if (takenInFile || (owner != null && !Objects.equals(owner.externalId(), id))) {
                    problems.add(Problem.at(row, k, "roster.problem.entid.taken", ent));
                }
            }
            if (problems.size() > before || id == null) {
                if (id != null) badPupils.add(id);
                return;
            }
            if (ent != null) pupilEntIds.add(ent);
            pupils.put(id, new PupilIn(row.line(), id, last, first, school.id(), level,
                    className == null ? "" : className, ent));
        }

        private void guardian(Row row) {
            Kind k = Kind.GUARDIANS;
            int before = problems.size();
            String id = required(row, k, "guardian_id", 64);
            String last = required(row, k, "last_name", 100);
            String first = required(row, k, "first_name", 100);
            String email = optional(row, k, "email", 200);
            if (email != null && !EMAIL.matcher(email).matches()) {
                problems.add(Problem.at(row, k, "roster.problem.email", email));
            }
            String phone = optional(row, k, "phone", 30);
            if (phone != null && (!PHONE.matcher(phone).matches() || phone.replaceAll("\\D", "").length() < 6)) {
                problems.add(Problem.at(row, k, "roster.problem.phone", phone));
            }
            String language = language(row.get("language"));
            if (language == null) problems.add(Problem.at(row, k, "roster.problem.language", row.get("language")));
            String ent = optional(row, k, "ent_id", 100);
            if (id != null && guardians.containsKey(id)) {
                problems.add(Problem.at(row, k, "roster.problem.duplicate.guardian", id, guardians.get(id).line()));
                return;
            }
            if (ent != null) {
                RosterDao.GuardianState owner = guardianByEnt.get(ent);
                boolean takenInFile = guardianEntIds.contains(ent);
                if (takenInFile || (owner != null && !Objects.equals(owner.externalId(), id))) {
                    problems.add(Problem.at(row, k, "roster.problem.entid.taken", ent));
                }
            }
            if (problems.size() > before || id == null) {
                if (id != null) badGuardians.add(id);
                return;
            }
            if (ent != null) guardianEntIds.add(ent);
            guardians.put(id, new GuardianIn(row.line(), id, last, first, email == null ? null : email.toLowerCase(Locale.ROOT),
                    phone, language, ent));
        }

        private void link(Row row) {
            Kind k = Kind.LINKS;
            String pupil = required(row, k, "pupil_id", 64);
            String guardian = required(row, k, "guardian_id", 64);
            if (pupil == null || guardian == null || badPupils.contains(pupil) || badGuardians.contains(guardian)) return;
            boolean ok = true;
            if (!pupils.containsKey(pupil) && !childByExt.containsKey(pupil)) {
                problems.add(Problem.at(row, k, "roster.problem.unknown.pupil", pupil));
                ok = false;
            }
            if (!guardians.containsKey(guardian) && !guardianByExt.containsKey(guardian)) {
                problems.add(Problem.at(row, k, "roster.problem.unknown.guardian", guardian));
                ok = false;
            }
            if (!ok) return;
            if (linked.add("P:" + pupil + "\u0000G:" + guardian)) linkCount++;
            groups.union("P:" + pupil, "G:" + guardian);
        }

        /** Families: the groups that links and known families tie together. */
        private void families() {
            for (String id : pupils.keySet()) {
                groups.add("P:" + id);
                RosterDao.ChildState known = childByExt.get(id);
                if (known != null) groups.union("P:" + id, "F:" + known.familyId());
                else if (!linkedNode("P:" + id)) {
                    problems.add(new Problem(Kind.PUPILS.key, pupils.get(id).line(), "roster.problem.nolink.pupil",
                            List.of(id)));
                }
            }
            for (String id : guardians.keySet()) {
                groups.add("G:" + id);
                RosterDao.GuardianState known = guardianByExt.get(id);
                if (known != null) groups.union("G:" + id, "F:" + known.familyId());
                else if (!linkedNode("G:" + id)) {
                    problems.add(new Problem(Kind.GUARDIANS.key, guardians.get(id).line(), "roster.problem.nolink.guardian",
                            List.of(id)));
                }
            }
            // Links may name pupils and guardians known only from the database.
            for (String node : new ArrayList<>(groups.nodes())) {
                if (node.startsWith("P:") && !pupils.containsKey(node.substring(2))) {
                    RosterDao.ChildState known = childByExt.get(node.substring(2));
                    if (known != null) groups.union(node, "F:" + known.familyId());
                } else if (node.startsWith("G:") && !guardians.containsKey(node.substring(2))) {
                    RosterDao.GuardianState known = guardianByExt.get(node.substring(2));
                    if (known != null) groups.union(node, "F:" + known.familyId());
                }
            }
            Map<String, TreeSet<Long>> familiesOfRoot = new HashMap<>();
            for (String node : groups.nodes()) {
                if (node.startsWith("F:")) {
                    familiesOfRoot.computeIfAbsent(groups.find(node), r -> new TreeSet<>()).add(Long.parseLong(node.substring(2)));
                }
            }
            for (String node : groups.nodes()) {
                if (node.startsWith("F:")) continue;
                String root = groups.find(node);
                TreeSet<Long> known = familiesOfRoot.get(root);
                if (known == null) {
                    newFamilyCodeOfRoot.computeIfAbsent(root, r -> newCode());
                } else {
                    familyOfNode.put(node, known.first());
                    for (Long other : known.tailSet(known.first(), false)) merges.put(other, known.first());
                }
            }
        }

        private boolean linkedNode(String node) {
            return groups.size(node) > 1;
        }

        private String newCode() {
            String code;
            do {
                code = LetterCodes.randomCode();
            } while (!takenCodes.add(code));
            return code;
        }

        private void device(Row row) {
            Kind k = Kind.DEVICES;
            int before = problems.size();
            String tag = required(row, k, "asset_tag", 64);
            String serial = required(row, k, "serial_number", 64);
            String model = required(row, k, "model", 100);
            String pupil = optional(row, k, "pupil_id", 64);
            if (pupil != null && badPupils.contains(pupil)) return;
            if (pupil != null && !pupils.containsKey(pupil) && !childByExt.containsKey(pupil)) {
                problems.add(Problem.at(row, k, "roster.problem.unknown.pupil", pupil));
            }
            String state = deviceState(row.get("state"), pupil != null);
            if (state == null) problems.add(Problem.at(row, k, "roster.problem.state", row.get("state")));
            else if (state.equals("lent") && pupil == null) problems.add(Problem.at(row, k, "roster.problem.lent.nopupil"));
            if (tag != null && devices.containsKey(tag)) {
                problems.add(Problem.at(row, k, "roster.problem.duplicate.tag", tag, devices.get(tag).line()));
                return;
            }
            if (serial != null) {
                DeviceIn sameSerial = deviceBySerialInFile.get(serial);
                RosterDao.DeviceState owner = deviceBySerial.get(serial);
                if (sameSerial != null) {
                    problems.add(Problem.at(row, k, "roster.problem.duplicate.serial", serial, sameSerial.line()));
                } else if (owner != null && !owner.assetTag().equals(tag)) {
                    problems.add(Problem.at(row, k, "roster.problem.serial.taken", serial, owner.assetTag()));
                }
            }
            if (problems.size() > before || tag == null) return;
            DeviceIn device = new DeviceIn(row.line(), tag, serial, model, pupil, state);
            devices.put(tag, device);
            deviceBySerialInFile.put(serial, device);
        }

        /** One lent device per pupil, counting those of the file and those the database keeps lent. */
        private void checkDevicesPerPupil() {
            Map<String, DeviceIn> lentTo = new HashMap<>();
            for (DeviceIn d : devices.values()) {
                if (!d.state().equals("lent")) continue;
                DeviceIn other = lentTo.putIfAbsent(d.pupilId(), d);
                if (other != null) {
                    problems.add(new Problem(Kind.DEVICES.key, d.line(), "roster.problem.twodevices",
                            List.of(d.pupilId(), other.tag())));
                    continue;
                }
                RosterDao.ChildState child = childByExt.get(d.pupilId());
                RosterDao.DeviceState held = child == null ? null : lentDeviceByChild.get(child.id());
                if (held != null && !held.assetTag().equals(d.tag())) {
                    DeviceIn heldInFile = devices.get(held.assetTag());
                    boolean stillLent = heldInFile == null
                            || (heldInFile.state().equals("lent") && d.pupilId().equals(heldInFile.pupilId()));
                    if (stillLent) {
                        problems.add(new Problem(Kind.DEVICES.key, d.line(), "roster.problem.twodevices",
                                List.of(d.pupilId(), held.assetTag())));
                    }
                }
            }
        }

        // ---- counts

        private Long familyOf(String node) {
            return familyOfNode.get(node);
        }

        private Counts pupilCounts() {
            int created = 0, updated = 0, unchanged = 0;
            for (PupilIn p : pupils.values()) {
                RosterDao.ChildState c = childByExt.get(p.id());
                if (c == null) created++;
                else if (same(c, p)) unchanged++;
                else updated++;
            }
            return new Counts(created, updated, unchanged);
        }

        private boolean same(RosterDao.ChildState c, PupilIn p) {
            return c.familyId() == familyOrMerged(c.familyId()) && Objects.equals(familyOf("P:" + p.id()), c.familyId())
                    && c.schoolId() == p.schoolId() && c.firstName().equals(p.firstName())
                    && c.lastName().equals(p.lastName()) && c.classLevel().equals(p.level())
                    && c.className().equals(p.className()) && Objects.equals(c.entId(), p.entId());
        }

        private long familyOrMerged(long familyId) {
            return merges.getOrDefault(familyId, familyId);
        }

        private Counts guardianCounts() {
            int created = 0, updated = 0, unchanged = 0;
            for (GuardianIn g : guardians.values()) {
                RosterDao.GuardianState s = guardianByExt.get(g.id());
                if (s == null) created++;
                else if (same(s, g)) unchanged++;
                else updated++;
            }
            return new Counts(created, updated, unchanged);
        }

        private boolean same(RosterDao.GuardianState s, GuardianIn g) {
            return Objects.equals(familyOf("G:" + g.id()), s.familyId()) && !merges.containsKey(s.familyId())
                    && s.firstName().equals(g.firstName()) && s.lastName().equals(g.lastName())
                    && Objects.equals(s.email(), g.email()) && Objects.equals(s.phone(), g.phone())
                    && s.language().equals(g.language()) && Objects.equals(s.entId(), g.entId());
        }

        private Counts deviceCounts() {
            int created = 0, updated = 0, unchanged = 0;
            for (DeviceIn d : devices.values()) {
                RosterDao.DeviceState s = deviceByTag.get(d.tag());
                if (s == null) created++;
                else if (same(s, d)) unchanged++;
                else updated++;
            }
            return new Counts(created, updated, unchanged);
        }

        private boolean same(RosterDao.DeviceState s, DeviceIn d) {
            return s.serialNumber().equals(d.serial()) && s.model().equals(d.model())
                    && Objects.equals(s.childId(), childIdOfExisting(d)) && s.state().equals(dbState(s, d));
        }

        /** The child id a device row names, when that child already exists (null for a new pupil or none). */
        private Long childIdOfExisting(DeviceIn d) {
            if (d.pupilId() == null) return d.state().equals("in_stock") ? null : existingChildOf(d.tag());
            RosterDao.ChildState c = childByExt.get(d.pupilId());
            return c == null ? -1L : c.id();
        }

        private Long existingChildOf(String tag) {
            RosterDao.DeviceState s = deviceByTag.get(tag);
            return s == null ? null : s.childId();
        }

        /** The database state of a device row: a lent device keeps home use when it stays with the same child. */
        private String dbState(RosterDao.DeviceState existing, DeviceIn d) {
            return switch (d.state()) {
                case "lent" -> existing != null && Objects.equals(existing.childId(), childIdOfExisting(d))
                        && existing.state().equals("home_use") ? "home_use" : "school_only";
                default -> d.state();
            };
        }

        // ---- apply

        /** Applies the plan; the home-use rule then decides for every family it changed, never the import itself. */
        void apply(RosterDao dao, Actor actor) {
            Map<String, Long> newFamilyOfRoot = new HashMap<>();
            if (!newFamilyCodeOfRoot.isEmpty()) {
                List<String> roots = new ArrayList<>(newFamilyCodeOfRoot.keySet());
                Map<String, Long> idByCode = dao.insertFamilies(roots.stream().map(newFamilyCodeOfRoot::get)
                        .toArray(String[]::new)).stream()
                        .collect(Collectors.toMap(RosterDao.Created::key, RosterDao.Created::id));
                for (String root : roots) newFamilyOfRoot.put(root, idByCode.get(newFamilyCodeOfRoot.get(root)));
            }
            Function<String, Long> family = node -> {
                Long known = familyOfNode.get(node);
                return known != null ? known : newFamilyOfRoot.get(groups.find(node));
            };
            lockChangedFamilies(dao, family);
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
            applyPupils(dao, family);
            applyGuardians(dao, family);
            applyDevices(dao, actor);
            dao.applyHomeUse(ruleFamilies.stream().mapToLong(Long::longValue).toArray(), actor.auditName());
        }

        /**
         * Locks every existing family whose guardians, children or devices change, in the order of their ids, before
         * any change: the home-use rule locks a family before its devices, so a mark that meets the import waits for
         * it rather than deadlocking with it.
         */
        private void lockChangedFamilies(RosterDao dao, Function<String, Long> family) {
            Set<Long> families = new HashSet<>(merges.keySet());
            families.addAll(merges.values());
            for (PupilIn p : pupils.values()) {
                RosterDao.ChildState c = childByExt.get(p.id());
                if (c != null && !same(c, p)) {
                    families.add(c.familyId());
                    families.add(family.apply("P:" + p.id()));
                }
            }
            for (GuardianIn g : guardians.values()) {
                RosterDao.GuardianState s = guardianByExt.get(g.id());
                if (s != null && !same(s, g)) {
                    families.add(s.familyId());
                    families.add(family.apply("G:" + g.id()));
                }
            }
            List<Long> deviceIds = new ArrayList<>();
            for (DeviceIn d : devices.values()) {
                RosterDao.DeviceState s = deviceByTag.get(d.tag());
                if (s == null) continue;
                boolean newPupil = d.pupilId() != null && !childByExt.containsKey(d.pupilId());
                if (newPupil || !sameAfterInsert(s, d)) {
                    deviceIds.add(s.id());
                    if (d.pupilId() != null) families.add(family.apply("P:" + d.pupilId()));
                }
            }
            if (families.isEmpty() && deviceIds.isEmpty()) return;
            dao.lockFamilies(families.stream().filter(Objects::nonNull).mapToLong(Long::longValue).toArray(),
                    deviceIds.stream().mapToLong(Long::longValue).toArray());
        }

        private void applyPupils(RosterDao dao, Function<String, Long> family) {
            List<PupilIn> inserts = new ArrayList<>();
            List<PupilIn> updates = new ArrayList<>();
            for (PupilIn p : pupils.values()) {
                RosterDao.ChildState c = childByExt.get(p.id());
                if (c == null) inserts.add(p);
                else if (!same(c, p)) updates.add(p);
            }
            if (!inserts.isEmpty()) {
                List<RosterDao.Created> created = dao.insertChildren(
                        inserts.stream().map(PupilIn::id).toArray(String[]::new),
                        inserts.stream().mapToLong(p -> family.apply("P:" + p.id())).toArray(),
                        inserts.stream().mapToLong(PupilIn::schoolId).toArray(),
                        inserts.stream().map(PupilIn::firstName).toArray(String[]::new),
                        inserts.stream().map(PupilIn::lastName).toArray(String[]::new),
                        inserts.stream().map(PupilIn::level).toArray(String[]::new),
                        inserts.stream().map(PupilIn::className).toArray(String[]::new),
                        inserts.stream().map(PupilIn::entId).toArray(String[]::new));
                Map<String, PupilIn> byId = new HashMap<>();
                inserts.forEach(p -> byId.put(p.id(), p));
                for (RosterDao.Created c : created) {
                    PupilIn p = byId.get(c.key());
                    childByExt.put(c.key(), new RosterDao.ChildState(c.id(), p.id(), family.apply("P:" + p.id()),
                            p.schoolId(), p.firstName(), p.lastName(), p.level(), p.className(), p.entId()));
                }
            }
            if (!updates.isEmpty()) {
                dao.updateChildren(
                        updates.stream().mapToLong(p -> childByExt.get(p.id()).id()).toArray(),
                        updates.stream().mapToLong(p -> family.apply("P:" + p.id())).toArray(),
                        updates.stream().mapToLong(PupilIn::schoolId).toArray(),
                        updates.stream().map(PupilIn::firstName).toArray(String[]::new),
                        updates.stream().map(PupilIn::lastName).toArray(String[]::new),
                        updates.stream().map(PupilIn::level).toArray(String[]::new),
                        updates.stream().map(PupilIn::className).toArray(String[]::new),
                        updates.stream().map(PupilIn::entId).toArray(String[]::new));
            }
        }

        private void applyGuardians(RosterDao dao, Function<String, Long> family) {
            List<GuardianIn> inserts = new ArrayList<>();
            List<GuardianIn> updates = new ArrayList<>();
            for (GuardianIn g : guardians.values()) {
                RosterDao.GuardianState s = guardianByExt.get(g.id());
                if (s == null) inserts.add(g);
                else if (!same(s, g)) updates.add(g);
            }
            if (!inserts.isEmpty()) {
                dao.insertGuardians(inserts.stream().map(GuardianIn::id).toArray(String[]::new),
                        inserts.stream().mapToLong(g -> family.apply("G:" + g.id())).toArray(),
                        inserts.stream().map(GuardianIn::firstName).toArray(String[]::new),
                        inserts.stream().map(GuardianIn::lastName).toArray(String[]::new),
                        inserts.stream().map(GuardianIn::email).toArray(String[]::new),
                        inserts.stream().map(GuardianIn::phone).toArray(String[]::new),
                        inserts.stream().map(GuardianIn::language).toArray(String[]::new),
                        inserts.stream().map(GuardianIn::entId).toArray(String[]::new));
            }
            for (GuardianIn g : updates) {
                // A guardian who changes family takes their attendance along: both families ask the rule again.
                ruleFamilies.add(guardianByExt.get(g.id()).familyId());
                ruleFamilies.add(family.apply("G:" + g.id()));
            }
            if (!updates.isEmpty()) {
                dao.updateGuardians(updates.stream().mapToLong(g -> guardianByExt.get(g.id()).id()).toArray(),
                        updates.stream().mapToLong(g -> family.apply("G:" + g.id())).toArray(),
                        updates.stream().map(GuardianIn::firstName).toArray(String[]::new),
                        updates.stream().map(GuardianIn::lastName).toArray(String[]::new),
                        updates.stream().map(GuardianIn::email).toArray(String[]::new),
                        updates.stream().map(GuardianIn::phone).toArray(String[]::new),
                        updates.stream().map(GuardianIn::language).toArray(String[]::new),
                        updates.stream().map(GuardianIn::entId).toArray(String[]::new));
            }
        }

        private void applyDevices(RosterDao dao, Actor actor) {
            List<DeviceIn> inserts = new ArrayList<>();
            List<DeviceIn> updates = new ArrayList<>();
            for (DeviceIn d : devices.values()) {
                RosterDao.DeviceState s = deviceByTag.get(d.tag());
                if (s == null) inserts.add(d);
                else if (!sameAfterInsert(s, d)) updates.add(d);
            }
            if (!updates.isEmpty()) {
                dao.releaseDevices(updates.stream().filter(d -> !Objects.equals(childIdAfterInsert(d),
                        deviceByTag.get(d.tag()).childId())).mapToLong(d -> deviceByTag.get(d.tag()).id()).toArray());
                dao.updateDevices(updates.stream().mapToLong(d -> deviceByTag.get(d.tag()).id()).toArray(),
                        updates.stream().map(DeviceIn::serial).toArray(String[]::new),
                        updates.stream().map(DeviceIn::model).toArray(String[]::new),
                        updates.stream().map(this::childIdAfterInsert).toArray(Long[]::new),
                        updates.stream().map(d -> dbState(deviceByTag.get(d.tag()), d)).toArray(String[]::new));
            }
            if (!inserts.isEmpty()) {
                dao.insertDevices(inserts.stream().map(DeviceIn::tag).toArray(String[]::new),
                        inserts.stream().map(DeviceIn::serial).toArray(String[]::new),
                        inserts.stream().map(DeviceIn::model).toArray(String[]::new),
                        inserts.stream().map(this::childIdAfterInsert).toArray(Long[]::new),
                        inserts.stream().map(d -> dbState(null, d)).toArray(String[]::new));
            }
            // Every change of state or of child is recorded (the home-use rule records its own after this).
            List<String[]> events = new ArrayList<>();
            for (DeviceIn d : updates) {
                RosterDao.DeviceState before = deviceByTag.get(d.tag());
                String to = dbState(before, d);
                if (!before.state().equals(to) || !Objects.equals(before.childId(), childIdAfterInsert(d))) {
                    events.add(new String[] {d.tag(), before.state(), to});
                }
            }
            for (DeviceIn d : inserts) {
                String to = dbState(null, d);
                if (!to.equals("in_stock")) events.add(new String[] {d.tag(), null, to});
            }
            if (!events.isEmpty()) {
                dao.deviceEvents(events.stream().map(e -> e[0]).toArray(String[]::new),
                        events.stream().map(e -> e[1]).toArray(String[]::new),
                        events.stream().map(e -> e[2]).toArray(String[]::new), actor.auditName());
            }
        }

        private boolean sameAfterInsert(RosterDao.DeviceState s, DeviceIn d) {
            return s.serialNumber().equals(d.serial()) && s.model().equals(d.model())
                    && Objects.equals(s.childId(), childIdAfterInsert(d)) && s.state().equals(dbState(s, d));
        }

        private Long childIdAfterInsert(DeviceIn d) {
            if (d.pupilId() == null) return d.state().equals("in_stock") ? null : existingChildOf(d.tag());
            return childByExt.get(d.pupilId()).id();
        }

        // ---- cells

        private String required(Row row, Kind k, String column, int max) {
            String v = row.get(column);
            if (v.isEmpty()) {
                problems.add(Problem.at(row, k, "roster.problem.missing", label(k, column)));
                return null;
            }
            if (v.length() > max) {
                problems.add(Problem.at(row, k, "roster.problem.toolong", label(k, column), max));
                return null;
            }
            return v;
        }

        private String optional(Row row, Kind k, String column, int max) {
            String v = row.get(column);
            if (v.isEmpty()) return null;
            if (v.length() > max) {
                problems.add(Problem.at(row, k, "roster.problem.toolong", label(k, column), max));
                return null;
            }
            return v;
        }

        private static String label(Kind k, String column) {
            return k.columns.stream().filter(c -> c.name().equals(column)).map(c -> c.aliases().get(0))
                    .findFirst().orElse(column);
        }
    }

    static String language(String value) {
        String v = RosterCsv.normalizeHeader(value);
        return switch (v) {
            case "", "fr", "fra", "fre", "francais", "french" -> "fr";
            case "en", "eng", "anglais", "english" -> "en";
            default -> null;
        };
    }

    /** lent, returned, in_stock or lost_or_broken; null when the cell says something else. */
    static String deviceState(String value, boolean hasPupil) {
        String v = RosterCsv.normalizeHeader(value);
        return switch (v) {
            case "" -> hasPupil ? "lent" : "in_stock";
            case "prete", "pret", "lent", "loaned", "on_loan" -> "lent";
            case "rendu", "restitue", "returned" -> "returned";
            case "stock", "en_stock", "in_stock" -> "in_stock";
            case "perdu", "casse", "perdu_ou_casse", "lost", "broken", "lost_or_broken" -> "lost_or_broken";
            default -> null;
        };
    }

    /** Connected groups of string nodes. */
    static final class UnionFind {
        private final Map<String, String> parent = new LinkedHashMap<>();
        private final Map<String, Integer> size = new HashMap<>();

        void add(String node) {
            if (parent.putIfAbsent(node, node) == null) size.put(node, 1);
        }

        String find(String node) {
            add(node);
            String root = node;
            while (!parent.get(root).equals(root)) root = parent.get(root);
            while (!parent.get(node).equals(root)) {
                String next = parent.get(node);
                parent.put(node, root);
                node = next;
            }
            return root;
        }

        void union(String a, String b) {
            String ra = find(a);
            String rb = find(b);
            if (ra.equals(rb)) return;
            if (size.get(ra) < size.get(rb)) {
                String t = ra;
                ra = rb;
                rb = t;
            }
            parent.put(rb, ra);
            size.put(ra, size.get(ra) + size.get(rb));
        }

        int size(String node) {
            return size.get(find(node));
        }

        Set<String> nodes() {
            return parent.keySet();
        }
    }
}
