package fr.sesame.roster;

import fr.sesame.messaging.FrenchMobile;
import fr.sesame.roster.RosterCsv.Kind;
import fr.sesame.roster.RosterCsv.Row;
import fr.sesame.roster.RosterCsv.Table;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rows of an upload, each checked on its own and against the database (schools, ENT ids, serial
 * numbers, one lent device per pupil). A row with a problem is left out, and lines that name its id
 * say nothing more.
 */
final class RosterRows {
    static final List<String> LEVELS = List.of("CP", "CE1", "CE2", "CM1", "CM2");
    private static final Pattern EMAIL =
            Pattern.compile("^[^@\\s,;]{1,64}@[^@\\s,;]{1,185}\\.[^@\\s,;.]{2,}$");
    private static final Pattern UAI = Pattern.compile("^[0-9]{7}[A-Z]$");

    record PupilIn(
            int line,
            String id,
            String lastName,
            String firstName,
            long schoolId,
            String level,
            String className,
            String entId) {}

    record GuardianIn(
            int line,
            String id,
            String lastName,
            String firstName,
            String email,
            String phone,
            String language,
            String entId) {}

    /** A device row; state is lent, returned, in_stock or lost_or_broken. */
    record DeviceIn(
            int line, String tag, String serial, String model, String pupilId, String state) {}

    record Link(String pupilId, String guardianId) {}

    final Map<String, PupilIn> pupils = new LinkedHashMap<>();
    final Map<String, GuardianIn> guardians = new LinkedHashMap<>();
    final Map<String, DeviceIn> devices = new LinkedHashMap<>();

    /** The links read, each once, in the order of the file. */
    final Set<Link> links = new java.util.LinkedHashSet<>();

    private final RosterState db;
    private final List<Problem> problems;
    private final Set<String> pupilEntIds = new HashSet<>();
    private final Set<String> guardianEntIds = new HashSet<>();
    private final Map<String, DeviceIn> deviceBySerialInFile = new HashMap<>();
    private final Set<String> badPupils = new HashSet<>();
    private final Set<String> badGuardians = new HashSet<>();

    private RosterRows(RosterState db, List<Problem> problems) {
        this.db = db;
        this.problems = problems;
    }

    /** Checks the rows of the files read (null: not sent), adding what is wrong to problems. */
    static RosterRows check(
            RosterState db,
            Table pupils,
            Table guardians,
            Table links,
            Table devices,
            List<Problem> problems) {
        RosterRows rows = new RosterRows(db, problems);
        if (pupils != null) pupils.rows().forEach(rows::pupil);
        if (guardians != null) guardians.rows().forEach(rows::guardian);
        if (links != null) links.rows().forEach(rows::link);
        if (devices != null) devices.rows().forEach(rows::device);
        rows.checkDevicesPerPupil();
        return rows;
    }

    private void pupil(Row row) {
        Kind k = Kind.PUPILS;
        int before = problems.size();
        String id = required(row, k, "pupil_id", 64);
        String last = required(row, k, "last_name", 100);
        String first = required(row, k, "first_name", 100);
        String uai = row.get("school_uai").toUpperCase(Locale.ROOT).replace(" ", "");
        RosterDao.School school = db.schoolsByUai().get(uai);
        if (uai.isEmpty())
            problems.add(Problem.at(row, k, "roster.problem.missing", label(k, "school_uai")));
        else if (!UAI.matcher(uai).matches())
            problems.add(Problem.at(row, k, "roster.problem.uai", uai));
        else if (school == null) problems.add(Problem.at(row, k, "roster.problem.school", uai));
        String level = row.get("class_level").toUpperCase(Locale.ROOT).replace(" ", "");
        if (!LEVELS.contains(level))
            problems.add(Problem.at(row, k, "roster.problem.level", row.get("class_level")));
        String className = optional(row, k, "class_name", 40);
        String ent = optional(row, k, "ent_id", 100);
        if (id != null && pupils.containsKey(id)) {
            problems.add(
                    Problem.at(
                            row, k, "roster.problem.duplicate.pupil", id, pupils.get(id).line()));
            return;
        }
        if (ent != null) {
            RosterDao.ChildState owner = db.childByEnt().get(ent);
            if (pupilEntIds.contains(ent)
                    || (owner != null && !Objects.equals(owner.externalId(), id))) {
                problems.add(Problem.at(row, k, "roster.problem.entid.taken", ent));
            }
        }
        if (problems.size() > before || id == null) {
            if (id != null) badPupils.add(id);
            return;
        }
        if (ent != null) pupilEntIds.add(ent);
        pupils.put(
                id,
                new PupilIn(
                        row.line(),
                        id,
                        last,
                        first,
                        school.id(),
                        level,
                        className == null ? "" : className,
                        ent));
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
        // A French mobile, kept in E.164 (+336..., +337...): the number SMS reminders go to.
        String phone = optional(row, k, "phone", 30);
        if (phone != null) {
            FrenchMobile.Check mobile = FrenchMobile.check(phone);
            if (mobile.ok()) phone = mobile.e164();
            else problems.add(Problem.at(row, k, mobile.problem().messageKey, phone));
        }
        String language = language(row.get("language"));
        if (language == null)
            problems.add(Problem.at(row, k, "roster.problem.language", row.get("language")));
        String ent = optional(row, k, "ent_id", 100);
        if (id != null && guardians.containsKey(id)) {
            problems.add(
                    Problem.at(
                            row,
                            k,
                            "roster.problem.duplicate.guardian",
                            id,
                            guardians.get(id).line()));
            return;
        }
        if (ent != null) {
            RosterDao.GuardianState owner = db.guardianByEnt().get(ent);
            if (guardianEntIds.contains(ent)
                    || (owner != null && !Objects.equals(owner.externalId(), id))) {
                problems.add(Problem.at(row, k, "roster.problem.entid.taken", ent));
            }
        }
        if (problems.size() > before || id == null) {
            if (id != null) badGuardians.add(id);
            return;
        }
        if (ent != null) guardianEntIds.add(ent);
        guardians.put(
                id,
                new GuardianIn(
                        row.line(),
                        id,
                        last,
                        first,
                        email == null ? null : email.toLowerCase(Locale.ROOT),
                        phone,
                        language,
                        ent));
    }

    private void link(Row row) {
        Kind k = Kind.LINKS;
        String pupil = required(row, k, "pupil_id", 64);
        String guardian = required(row, k, "guardian_id", 64);
        if (pupil == null
                || guardian == null
                || badPupils.contains(pupil)
                || badGuardians.contains(guardian)) return;
        boolean ok = true;
        if (!pupils.containsKey(pupil) && !db.childByExt().containsKey(pupil)) {
            problems.add(Problem.at(row, k, "roster.problem.unknown.pupil", pupil));
            ok = false;
        }
        if (!guardians.containsKey(guardian) && !db.guardianByExt().containsKey(guardian)) {
            problems.add(Problem.at(row, k, "roster.problem.unknown.guardian", guardian));
            ok = false;
        }
        if (ok) links.add(new Link(pupil, guardian));
    }

    private void device(Row row) {
        Kind k = Kind.DEVICES;
        int before = problems.size();
        String tag = required(row, k, "asset_tag", 64);
        String serial = required(row, k, "serial_number", 64);
        String model = required(row, k, "model", 100);
        String pupil = optional(row, k, "pupil_id", 64);
        if (pupil != null && badPupils.contains(pupil)) return;
        if (pupil != null && !pupils.containsKey(pupil) && !db.childByExt().containsKey(pupil)) {
            problems.add(Problem.at(row, k, "roster.problem.unknown.pupil", pupil));
        }
        String state = deviceState(row.get("state"), pupil != null);
        if (state == null)
            problems.add(Problem.at(row, k, "roster.problem.state", row.get("state")));
        else if (state.equals("lent") && pupil == null)
            problems.add(Problem.at(row, k, "roster.problem.lent.nopupil"));
        if (tag != null && devices.containsKey(tag)) {
            problems.add(
                    Problem.at(
                            row, k, "roster.problem.duplicate.tag", tag, devices.get(tag).line()));
            return;
        }
        if (serial != null) {
            DeviceIn sameSerial = deviceBySerialInFile.get(serial);
            RosterDao.DeviceState owner = db.deviceBySerial().get(serial);
            if (sameSerial != null) {
                problems.add(
                        Problem.at(
                                row,
                                k,
                                "roster.problem.duplicate.serial",
                                serial,
                                sameSerial.line()));
            } else if (owner != null && !owner.assetTag().equals(tag)) {
                problems.add(
                        Problem.at(
                                row, k, "roster.problem.serial.taken", serial, owner.assetTag()));
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
                problems.add(
                        new Problem(
                                Kind.DEVICES.key,
                                d.line(),
                                "roster.problem.twodevices",
                                List.of(d.pupilId(), other.tag())));
                continue;
            }
            RosterDao.ChildState child = db.childByExt().get(d.pupilId());
            RosterDao.DeviceState held =
                    child == null ? null : db.lentDeviceByChild().get(child.id());
            if (held != null && !held.assetTag().equals(d.tag())) {
                DeviceIn heldInFile = devices.get(held.assetTag());
                boolean stillLent =
                        heldInFile == null
                                || (heldInFile.state().equals("lent")
                                        && d.pupilId().equals(heldInFile.pupilId()));
                if (stillLent) {
                    problems.add(
                            new Problem(
                                    Kind.DEVICES.key,
                                    d.line(),
                                    "roster.problem.twodevices",
                                    List.of(d.pupilId(), held.assetTag())));
                }
            }
        }
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
        return k.columns.stream()
                .filter(c -> c.name().equals(column))
                .map(c -> c.aliases().get(0))
                .findFirst()
                .orElse(column);
    }

    static String language(String value) {
        String v = RosterCsv.normalizeHeader(value);
        return switch (v) {
            case "", "fr", "fra", "fre", "francais", "french" -> "fr";
            case "en", "eng", "anglais", "english" -> "en";
            case "ar", "ara", "arabe", "arabic" -> "ar";
            case "tr", "tur", "turc", "turkish" -> "tr";
            case "pt", "por", "portugais", "portuguese" -> "pt";
            case "uk", "ukr", "ukrainien", "ukrainian" -> "uk";
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
            case "perdu", "casse", "perdu_ou_casse", "lost", "broken", "lost_or_broken" ->
                    "lost_or_broken";
            default -> null;
        };
    }
}
