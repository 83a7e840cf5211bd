package fr.sesame.roster;

import fr.sesame.auth.Passwords;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * A small town built by hand, whose figures are known:
 *
 * <pre>
 * school A (0211111A): F1 trained, F2 booked (siblings in A and B), F3 booked on a cancelled session only
 * school B (0222222B): F2, F4 (English, nothing), F5 trained at a session of school A
 * </pre>
 */
final class TownFixture {
    static final String A = "0211111A";
    static final String B = "0222222B";
    static final String ADMIN = "admin@town.test";
    static final String STAFF_A = "direction@a.town.test";
    static final String PASSWORD = "town-password-2026";

    long schoolA;
    long schoolB;
    long qualifyingPast;
    long f1;
    long f2;
    long f3;
    long f4;
    long f5;

    static TownFixture build(Jdbi jdbi) {
        TownFixture t = new TownFixture();
        jdbi.useTransaction(h -> t.insert(h));
        return t;
    }

    private void insert(Handle h) {
        schoolA =
                id(
                        h,
                        "insert into school (uai, name) values ('"
                                + A
                                + "', 'École A') returning id");
        schoolB =
                id(
                        h,
                        "insert into school (uai, name) values ('"
                                + B
                                + "', 'École B') returning id");
        String hash = Passwords.hash(PASSWORD);
        h.createUpdate(
                        "insert into staff_account (email, display_name, role, password_hash) values (:e, 'Admin', 'admin', :h)")
                .bind("e", ADMIN)
                .bind("h", hash)
                .execute();
        h.createUpdate(
                        "insert into staff_account (email, display_name, role, school_id, password_hash) "
                                + "values (:e, 'Direction A', 'school_staff', :s, :h)")
                .bind("e", STAFF_A)
                .bind("s", schoolA)
                .bind("h", hash)
                .execute();
        long roomA =
                id(
                        h,
                        "insert into room (school_id, name, seats) values ("
                                + schoolA
                                + ", 'Salle', 12) returning id");
        long roomB =
                id(
                        h,
                        "insert into room (school_id, name, seats) values ("
                                + schoolB
                                + ", 'Salle', 12) returning id");
        long q =
                id(
                        h,
                        "insert into workshop_type (code, title_fr, title_en, duration_minutes, qualifies_for_home_use) "
                                + "values ('q', 'Premiers pas', 'First steps', 120, true) returning id");
        long n =
                id(
                        h,
                        "insert into workshop_type (code, title_fr, title_en, duration_minutes, qualifies_for_home_use) "
                                + "values ('n', 'ENT', 'ENT', 90, false) returning id");
        Instant twoWeeksAgo = Instant.now().minus(14, ChronoUnit.DAYS);
        Instant nextWeek = Instant.now().plus(7, ChronoUnit.DAYS);
        qualifyingPast = session(h, q, schoolA, roomA, twoWeeksAgo, "scheduled");
        long qualifyingB = session(h, q, schoolB, roomB, nextWeek, "scheduled");
        long notQualifying = session(h, n, schoolA, roomA, twoWeeksAgo, "scheduled");
        long cancelled =
                session(h, q, schoolA, roomA, nextWeek.plus(1, ChronoUnit.DAYS), "cancelled");

        f1 = family(h, "F1", "FAMA2345");
        long g1 = guardian(h, f1, "Sophie", "Un", "fr", "sophie@un.test", "06 01 01 01 01");
        device(h, "T-1", child(h, f1, schoolA, "Lina", "CM1 A"), "home_use");
        attend(h, qualifyingPast, g1, "present");

        f2 = family(h, "F2", "FAMB2345");
        long g2 = guardian(h, f2, "Karim", "Deux", "fr", "karim@deux.test", null);
        device(h, "T-2", child(h, f2, schoolA, "Adam", "CM1 A"), "school_only");
        device(h, "T-3", child(h, f2, schoolB, "Inès", "CM2 B"), "school_only");
        attend(h, notQualifying, g2, "present");
        book(h, qualifyingB, f2, g2);

        f3 = family(h, "F3", "FAMC2345");
        long g3 =
                guardian(
                        h,
                        f3,
                        "=HYPERLINK(\"http://evil\")",
                        "Trois",
                        "fr",
                        null,
                        "+33 6 03 03 03 03");
        device(h, "T-4", child(h, f3, schoolA, "Noah", "CM2 A"), "school_only");
        attend(h, qualifyingPast, g3, "absent");
        book(h, cancelled, f3, g3);

        f4 = family(h, "F4", "FAMD2345");
        guardian(h, f4, "Mei", "Quatre", "en", "mei@quatre.test", null);
        child(h, f4, schoolB, "Jade", "CM1 B");

        f5 = family(h, "F5", "FAME2345");
        long g5 = guardian(h, f5, "Fatou", "Cinq", "fr", null, null);
        device(h, "T-5", child(h, f5, schoolB, "Rayan", "CM1 B"), "home_use");
        attend(h, qualifyingPast, g5, "present");
    }

    private static long id(Handle h, String sql) {
        return h.createQuery(sql).mapTo(Long.class).one();
    }

    private static long session(
            Handle h, long type, long school, long room, Instant start, String status) {
        return h.createQuery(
                        "insert into workshop_session (workshop_type_id, school_id, room_id, starts_at, ends_at, capacity, status) "
                                + "values (:t, :s, :r, :start, :end, 10, :status) returning id")
                .bind("t", type)
                .bind("s", school)
                .bind("r", room)
                .bind("start", start)
                .bind("end", start.plus(2, ChronoUnit.HOURS))
                .bind("status", status)
                .mapTo(Long.class)
                .one();
    }

    static long family(Handle h, String ref, String code) {
        return h.createQuery(
                        "insert into family (reference, letter_code) values (:r, :c) returning id")
                .bind("r", ref)
                .bind("c", code)
                .mapTo(Long.class)
                .one();
    }

    static long guardian(
            Handle h,
            long family,
            String first,
            String last,
            String lang,
            String email,
            String phone) {
        return h.createQuery(
                        "insert into guardian (family_id, first_name, last_name, language, email, phone) "
                                + "values (:f, :first, :last, :lang, :email, :phone) returning id")
                .bind("f", family)
                .bind("first", first)
                .bind("last", last)
                .bind("lang", lang)
                .bind("email", email)
                .bind("phone", phone)
                .mapTo(Long.class)
                .one();
    }

    static long child(Handle h, long family, long school, String first, String className) {
        return h.createQuery(
                        "insert into child (family_id, school_id, first_name, last_name, class_level, class_name) "
                                + "values (:f, :s, :first, 'Enfant', :level, :cls) returning id")
                .bind("f", family)
                .bind("s", school)
                .bind("first", first)
                .bind("level", className.substring(0, 3))
                .bind("cls", className)
                .mapTo(Long.class)
                .one();
    }

    static void device(Handle h, String tag, long child, String state) {
        h.createUpdate(
                        "insert into device (asset_tag, serial_number, model, child_id, state) values (:t, :t, 'Lenovo', :c, :s)")
                .bind("t", tag)
                .bind("c", child)
                .bind("s", state)
                .execute();
    }

    private static void attend(Handle h, long session, long guardian, String mark) {
        h.createUpdate(
                        "insert into attendance (session_id, guardian_id, mark, marked_at) values (:s, :g, :m, now())")
                .bind("s", session)
                .bind("g", guardian)
                .bind("m", mark)
                .execute();
    }

    private static void book(Handle h, long session, long family, long guardian) {
        h.createUpdate(
                        "insert into booking (session_id, family_id, guardian_id) values (:s, :f, :g)")
                .bind("s", session)
                .bind("f", family)
                .bind("g", guardian)
                .execute();
    }
}
