package fr.sesame.demo;

import fr.sesame.Config;
import fr.sesame.auth.Passwords;
import java.io.PrintStream;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;

/**
 * A demo town: 3 schools with rooms, 2 workshop types, 14 sessions (the demo trainer's today and
 * tomorrow, the others over the next weeks), 40 families (some with children in two schools), a
 * device per child, 2 trainers, a school director and an admin. Dates are relative to the day it is
 * seeded. Seeding twice changes nothing.
 */
public final class DemoSeed {
    public static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    public static final String ADMIN_EMAIL = "admin@demo.sesame.test";
    public static final String ADMIN_PASSWORD = "demo-admin-2026";
    public static final String TRAINER_EMAIL = "formatrice@demo.sesame.test";
    public static final String TRAINER_PASSWORD = "demo-trainer-2026";
    public static final String SCHOOL_EMAIL = "direction.ferry@demo.sesame.test";
    public static final String SCHOOL_PASSWORD = "demo-school-2026";
    public static final String FIRST_FAMILY_CODE = "K7M49PQX";

    private static final String[] SCHOOL_UAIS = {"0211234A", "0215678B", "0219012C"};
    private static final Pattern DEMO_LOGIN = Pattern.compile("demo-(parent|eleve)-(\\d{2})(b?)");
    private static final String CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    private static final String[] LAST_NAMES = {
        "Martin",
        "Bernard",
        "Diallo",
        "Petit",
        "Nguyen",
        "Haddad",
        "Moreau",
        "Laurent",
        "Traoré",
        "Garcia",
        "Rousseau",
        "Benali",
        "Fournier",
        "Da Silva",
        "Mercier",
        "Kaya",
        "Lefèvre",
        "Bonnet",
        "Mendy",
        "Chevalier"
    };
    private static final String[] ADULT_NAMES = {
        "Sophie", "Karim", "Aïcha", "Julien", "Fatou", "Nadia", "Thomas", "Mei", "Samir", "Céline",
        "Olivier", "Leïla", "Ana", "Moussa", "Hélène", "Emre", "Chloé", "Yacine"
    };
    private static final String[] CHILD_NAMES = {
        "Lina", "Adam", "Inès", "Noah", "Jade", "Ilyes", "Léa", "Rayan", "Emma", "Sacha", "Maëlys",
        "Ibrahim", "Zoé", "Nolan", "Aya", "Hugo", "Lou", "Sami", "Alice", "Yanis"
    };

    private final Jdbi jdbi;
    private final Clock clock;

    public DemoSeed(Jdbi jdbi) {
        this(jdbi, Clock.system(PARIS));
    }

    /** Seeds as if it were the clock's day (tests try several). */
    public DemoSeed(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** Seeds the demo town unless it is already there; returns true when it seeded. */
    public boolean seed() {
        return jdbi.inTransaction(
                handle -> {
                    DemoDao dao = handle.attach(DemoDao.class);
                    dao.lockSeed();
                    if (dao.alreadySeeded()) return false;
                    insertTown(dao);
                    return true;
                });
    }

    private void insertTown(DemoDao dao) {
        Random random = new Random(42);
        long[] schools = {
            dao.insertSchool(
                    SCHOOL_UAIS[0],
                    "École élémentaire Jules Ferry",
                    "12 rue des Écoles",
                    "21300",
                    "Chenôve"),
            dao.insertSchool(
                    SCHOOL_UAIS[1],
                    "École élémentaire Jean Moulin",
                    "3 avenue du Stade",
                    "21300",
                    "Chenôve"),
            dao.insertSchool(
                    SCHOOL_UAIS[2],
                    "École élémentaire Gambetta",
                    "45 place Gambetta",
                    "21300",
                    "Chenôve"),
        };
        List<long[]> rooms = new ArrayList<>();
        for (long school : schools) {
            rooms.add(new long[] {school, dao.insertRoom(school, "Salle informatique", 14)});
            dao.insertRoom(school, "Bibliothèque", 10);
        }
        long firstSteps =
                dao.insertWorkshopType(
                        "premiers-pas",
                        "Premiers pas avec l'ordinateur",
                        "First steps with the computer",
                        "Allumer l'ordinateur, utiliser la souris et le clavier, se connecter à l'ENT de l'école.",
                        "Turning the computer on, using the mouse and keyboard, signing in to the school's ENT.",
                        120,
                        "fr,en",
                        true,
                        true);
        long ent =
                dao.insertWorkshopType(
                        "suivre-ent",
                        "Suivre la scolarité sur l'ENT",
                        "Following school life on the ENT",
                        "Lire le cahier de textes, écrire à l'enseignant, trouver les devoirs.",
                        "Reading the homework book, writing to the teacher, finding the homework.",
                        90,
                        "fr",
                        false,
                        false);

        dao.insertStaff(
                ADMIN_EMAIL,
                "Service éducation (démo)",
                "admin",
                null,
                Passwords.hash(ADMIN_PASSWORD));
        dao.insertStaff(
                TRAINER_EMAIL,
                "Camille Formatrice",
                "trainer",
                null,
                Passwords.hash(TRAINER_PASSWORD));
        dao.insertStaff(
                "formateur@demo.sesame.test",
                "Bruno Formateur",
                "trainer",
                null,
                Passwords.hash(TRAINER_PASSWORD));
        dao.insertStaff(
                SCHOOL_EMAIL,
                "Direction Jules Ferry",
                "school_staff",
                schools[0],
                Passwords.hash(SCHOOL_PASSWORD));
        long[] trainers = {dao.staffId(TRAINER_EMAIL), dao.staffId("formateur@demo.sesame.test")};

        // 12 sessions: each school, on Tuesdays and Thursdays at 17:30, over the next four weeks.
        LocalDate tuesday =
                LocalDate.now(clock.withZone(PARIS))
                        .with(TemporalAdjusters.next(DayOfWeek.TUESDAY));
        int n = 0;
        for (int week = 0; week < 2; week++) {
            for (int s = 0; s < schools.length; s++) {
                for (int slot = 0; slot < 2; slot++) {
                    LocalDate day = tuesday.plusWeeks(week).plusDays(slot * 2L);
                    long type = (n % 4 == 3) ? ent : firstSteps;
                    int minutes = type == firstSteps ? 120 : 90;
                    ZonedDateTime start = ZonedDateTime.of(day, LocalTime.of(17, 30), PARIS);
                    long session =
                            dao.insertSession(
                                    type,
                                    rooms.get(s)[0],
                                    rooms.get(s)[1],
                                    start.toInstant(),
                                    start.plusMinutes(minutes).toInstant(),
                                    n % 5 == 0 ? 4 : 12,
                                    n % 6 == 5 ? "en" : "fr");
                    dao.assignTrainer(session, trainers[n % 2]);
                    n++;
                }
            }
        }
        // The demo trainer's day, whatever day it is: a session today that can be marked at once,
        // and one tomorrow
        // afternoon (the ones above start next Tuesday at 17:30, so neither meets them in the
        // room).
        long moulin = rooms.get(1)[0];
        long moulinRoom = rooms.get(1)[1];
        ZonedDateTime today = todaysStart(ZonedDateTime.now(clock.withZone(PARIS)));
        long todays =
                dao.insertSession(
                        firstSteps,
                        moulin,
                        moulinRoom,
                        today.toInstant(),
                        today.plusMinutes(120).toInstant(),
                        12,
                        "fr");
        dao.assignTrainer(todays, trainers[0]);
        ZonedDateTime tomorrow =
                ZonedDateTime.of(today.toLocalDate().plusDays(1), LocalTime.of(14, 0), PARIS);
        long tomorrows =
                dao.insertSession(
                        firstSteps,
                        moulin,
                        moulinRoom,
                        tomorrow.toInstant(),
                        tomorrow.plusMinutes(120).toInstant(),
                        12,
                        "fr");
        dao.assignTrainer(tomorrows, trainers[0]);

        LocalDate seededOn = LocalDate.now(clock.withZone(PARIS));
        LocalDate lentOn =
                LocalDate.of(seededOn.getYear() - (seededOn.getMonthValue() < 9 ? 1 : 0), 9, 15);
        int device = 1;
        for (int f = 1; f <= 40; f++) {
            String lastName = LAST_NAMES[(f - 1) % LAST_NAMES.length];
            String code = f == 1 ? FIRST_FAMILY_CODE : randomCode(random);
            long family = dao.insertFamily(String.format("DEMO-%03d", f), code);
            String first = ADULT_NAMES[(f * 7) % ADULT_NAMES.length];
            dao.insertGuardian(
                    family,
                    first,
                    lastName,
                    "parent" + f + "@demo.sesame.test",
                    String.format("demo-parent-%02d", f),
                    f % 9 == 0 ? "en" : "fr");
            if (f % 4 == 0) {
                dao.insertGuardian(
                        family,
                        ADULT_NAMES[(f * 5 + 3) % ADULT_NAMES.length],
                        lastName,
                        null,
                        null,
                        "fr");
            }
            int school = (f - 1) % schools.length;
            String level = f % 2 == 0 ? "CM2" : "CM1";
            long child =
                    dao.insertChild(
                            family,
                            schools[school],
                            CHILD_NAMES[(f - 1) % CHILD_NAMES.length],
                            lastName,
                            level,
                            level + (f % 3 == 0 ? " B" : " A"),
                            String.format("demo-child-%02d", f));
            dao.insertDevice(
                    String.format("CHN-%04d", device),
                    String.format("SN%08d", 10_000_000 + device * 37),
                    "Lenovo 300e",
                    child,
                    lentOn);
            device++;
            if (f % 8 == 0) {
                // a sibling in another school
                String otherLevel = level.equals("CM1") ? "CM2" : "CM1";
                long sibling =
                        dao.insertChild(
                                family,
                                schools[(school + 1) % schools.length],
                                CHILD_NAMES[(f + 9) % CHILD_NAMES.length],
                                lastName,
                                otherLevel,
                                otherLevel + " A",
                                String.format("demo-child-%02db", f));
                dao.insertDevice(
                        String.format("CHN-%04d", device),
                        String.format("SN%08d", 10_000_000 + device * 37),
                        "Lenovo 300e",
                        sibling,
                        lentOn);
                device++;
            }
        }
    }

    /**
     * The next quarter hour, so that marking (open from MARKING_OPENS_MINUTES before the start, 30
     * by default) is open at once; late in the evening, 23:45 today, already begun, rather than a
     * session tomorrow.
     */
    static ZonedDateTime todaysStart(ZonedDateTime now) {
        ZonedDateTime next =
                now.truncatedTo(ChronoUnit.HOURS).plusMinutes(15L * (now.getMinute() / 15 + 1));
        return next.toLocalDate().equals(now.toLocalDate())
                ? next
                : ZonedDateTime.of(now.toLocalDate(), LocalTime.of(23, 45), PARIS);
    }

    private static String randomCode(Random random) {
        StringBuilder sb = new StringBuilder(8);
        for (int i = 0; i < 8; i++)
            sb.append(CODE_ALPHABET.charAt(random.nextInt(CODE_ALPHABET.length())));
        return sb.toString();
    }

    public static void printSignInHelp(PrintStream out, Config config) {
        out.println(
                "  Demo town loaded (3 schools, 14 sessions, 40 families). Sign in at "
                        + config.baseUrl()
                        + "/:");
        out.println("    education service (admin): " + ADMIN_EMAIL + " / " + ADMIN_PASSWORD);
        out.println(
                "    trainer:                   "
                        + TRAINER_EMAIL
                        + " / "
                        + TRAINER_PASSWORD
                        + " (a session today, one tomorrow)");
        out.println("    school director:           " + SCHOOL_EMAIL + " / " + SCHOOL_PASSWORD);
        out.println("    parent with a letter code: K7M4-9PQX, child's first name Lina");
        if (config.ent() != null && config.ent().clientId().equals(DemoEnt.CLIENT_ID)) {
            out.println(
                    "    parent through the demo ENT: \"Se connecter avec l'ENT\", then the ENT login demo-parent-01");
            out.println(
                    "      (... demo-parent-40; demo-parent-04b: a second parent; demo-eleve-01: a pupil, refused)");
        } else if (config.ent() == null && !DemoEntAvailability.inThisJar()) {
            out.println(
                    "    parent through the demo ENT: not in this jar; for it, build and start the demo jar:");
            out.println(
                    "      mvn -q -DskipTests -Pdemo package && java -jar target/sesame-demo.jar --demo");
        }
    }

    /**
     * What the demo ENT says of one of its accounts, in the ENT's format (userinfo v1.0): the demo
     * families' parents (demo-parent-NN, the second parent demo-parent-NNb), their children
     * (demo-eleve-NN), and for any other login a parent the roster does not know.
     */
    static Map<String, Object> entClaims(String login) {
        Map<String, Object> claims = new LinkedHashMap<>();
        Matcher m = DEMO_LOGIN.matcher(login);
        int f = m.matches() ? Integer.parseInt(m.group(2)) : 0;
        boolean pupil = f > 0 && m.group(1).equals("eleve");
        boolean second = f > 0 && !m.group(3).isEmpty();
        if (f < 1 || f > 40 || (second && (pupil || f % 4 != 0))) {
            claims.put("type", "Relative");
            claims.put("childrenIds", List.of());
            return claims;
        }
        String lastName = LAST_NAMES[(f - 1) % LAST_NAMES.length];
        int school = (f - 1) % SCHOOL_UAIS.length;
        List<String> children = new ArrayList<>(List.of(String.format("demo-child-%02d", f)));
        List<String> schools = new ArrayList<>(List.of(SCHOOL_UAIS[school]));
        if (f % 8 == 0) {
            children.add(String.format("demo-child-%02db", f));
            schools.add(SCHOOL_UAIS[(school + 1) % SCHOOL_UAIS.length]);
        }
        if (pupil) {
            claims.put("type", "Student");
            claims.put("firstName", CHILD_NAMES[(f - 1) % CHILD_NAMES.length]);
            claims.put("lastName", lastName);
            claims.put("uai", List.of(SCHOOL_UAIS[school]));
            return claims;
        }
        claims.put("type", "Relative");
        claims.put(
                "firstName",
                ADULT_NAMES[
                        second ? (f * 5 + 3) % ADULT_NAMES.length : (f * 7) % ADULT_NAMES.length]);
        claims.put("lastName", lastName);
        claims.put("childrenIds", children);
        claims.put("uai", schools);
        return claims;
    }
}
