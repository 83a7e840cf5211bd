package fr.sesame.roster;

import fr.sesame.audit.Actor;
import fr.sesame.auth.StaffAccounts;
import fr.sesame.support.Http;
import fr.sesame.support.SignIn;
import fr.sesame.support.Sql;
import fr.sesame.support.TestApp;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Imports a generated town of 20 000 pupils, 40 000 guardians and 20 000 devices in 40 schools,
 * then measures the dashboard. Prints the figures; it is a program, not a test (see the README for
 * the command).
 */
public final class RosterBenchmark {
    static final int SCHOOLS = 40;
    static final String ADMIN = "bench@sesame.test";
    static final String PASSWORD = "bench-password-2026";

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 && args[0].matches("\\d+") ? Integer.parseInt(args[0]) : 200;
        try (TestApp app = TestApp.start()) {
            var jdbi = app.jdbi();
            jdbi.useHandle(
                    h -> {
                        for (int s = 0; s < SCHOOLS; s++) {
                            h.execute(
                                    "insert into school (uai, name) values (?, ?)",
                                    uai(s),
                                    "École " + (s + 1));
                            h.execute(
                                    "insert into room (school_id, name, seats) select id, 'Salle', 14 from school where uai = ?",
                                    uai(s));
                        }
                    });
            new StaffAccounts(jdbi).createOrResetAdmin(ADMIN, PASSWORD);
            RosterImport.Files files = generate();
            System.out.printf(
                    "files: pupils %.1f MB, guardians %.1f MB, links %.1f MB, devices %.1f MB%n",
                    mb(files.pupils()),
                    mb(files.guardians()),
                    mb(files.links()),
                    mb(files.devices()));

            RosterImport roster = new RosterImport(jdbi);
            long t0 = System.nanoTime();
            RosterImport.Outcome preview = roster.preview(files);
            long t1 = System.nanoTime();
            if (!preview.ok())
                throw new IllegalStateException("problems: " + preview.problems().subList(0, 5));
            RosterImport.Outcome commit = roster.commit(files, Actor.system("benchmark"), null);
            long t2 = System.nanoTime();
            System.out.printf(
                    "first import:  preview %.2f s, commit %.2f s (pupils %s, guardians %s, devices %s, families %d)%n",
                    sec(t1 - t0),
                    sec(t2 - t1),
                    commit.pupils(),
                    commit.guardians(),
                    commit.devices(),
                    commit.familiesCreated());
            long t3 = System.nanoTime();
            RosterImport.Outcome again = roster.commit(files, Actor.system("benchmark"), null);
            long t4 = System.nanoTime();
            System.out.printf(
                    "re-import:     commit %.2f s, changes something: %s%n",
                    sec(t4 - t3), again.changesSomething());

            trainSome(jdbi);
            System.out.printf(
                    "data: %d families, %d guardians, %d children, %d devices, %d attendances, %d bookings%n",
                    Sql.count(jdbi, "select count(*) from family"),
                    Sql.count(jdbi, "select count(*) from guardian"),
                    Sql.count(jdbi, "select count(*) from child"),
                    Sql.count(jdbi, "select count(*) from device"),
                    Sql.count(jdbi, "select count(*) from attendance"),
                    Sql.count(jdbi, "select count(*) from booking"));
            jdbi.useHandle(h -> h.execute("analyze"));

            if (Arrays.asList(args).contains("--explain")) explain(jdbi);
            Http admin = SignIn.staff(app, ADMIN, PASSWORD);
            measure(admin, "/roster", requests, "dashboard, town (admin)");
            measure(admin, "/roster?school=" + uai(7), requests, "dashboard, one school");
            measure(
                    admin,
                    "/roster?school=" + uai(7) + "&status=not_booked&language=en",
                    requests,
                    "dashboard, filtered");
            measure(admin, "/roster/families.csv", Math.max(5, requests / 20), "CSV export, town");
        }
    }

    /**
     * Each dashboard query once, timed by PostgreSQL (EXPLAIN ANALYZE), to see where the time goes.
     */
    static void explain(org.jdbi.v3.core.Jdbi jdbi) {
        long school = Sql.count(jdbi, "select id from school where uai = '" + uai(7) + "'");
        String[] labels = {
            "figures(town)", "figures(school)", "trend", "toReach(town)", "toReach(school)"
        };
        java.util.function.Function<DashboardDao, Object>[] calls =
                new java.util.function.Function[] {
                    d -> ((DashboardDao) d).figures(null),
                    d -> ((DashboardDao) d).figures(school),
                    d -> ((DashboardDao) d).trend(null),
                    d -> ((DashboardDao) d).toReach(null, "", "", "", 201),
                    d -> ((DashboardDao) d).toReach(school, "", "", "", 201)
                };
        for (int i = 0; i < labels.length; i++) {
            DashboardDao dao = jdbi.onDemand(DashboardDao.class);
            for (int k = 0; k < 3; k++) calls[i].apply(dao);
            long t = System.nanoTime();
            calls[i].apply(dao);
            System.out.printf("query %-18s %.1f ms%n", labels[i], (System.nanoTime() - t) / 1e6);
        }
    }

    static void measure(Http client, String path, int n, String label) {
        double[] p = percentiles(client, path, n);
        System.out.printf(
                "%-32s n=%d  p50 %.1f ms  p95 %.1f ms  max %.1f ms%n", label, n, p[0], p[1], p[2]);
    }

    /** p50, p95 and the slowest of n requests of this page (after ten not counted), in ms. */
    static double[] percentiles(Http client, String path, int n) {
        for (int i = 0; i < 10; i++) client.get(path);
        long[] ms = new long[n];
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            HttpResponse<String> r = client.get(path);
            ms[i] = (System.nanoTime() - t) / 1_000;
            if (r.statusCode() != 200)
                throw new IllegalStateException(path + " -> " + r.statusCode());
        }
        Arrays.sort(ms);
        return new double[] {
            ms[n / 2] / 1000.0, ms[(int) Math.ceil(n * 0.95) - 1] / 1000.0, ms[n - 1] / 1000.0
        };
    }

    /** Sessions at each school; a third of the families trained, a fifth booked. */
    static void trainSome(org.jdbi.v3.core.Jdbi jdbi) {
        jdbi.useTransaction(
                h -> {
                    h.execute(
                            "insert into workshop_type (code, title_fr, title_en, duration_minutes) values ('q', 'Premiers pas', 'First steps', 120)");
                    h.execute(
                            """
                    insert into workshop_session (workshop_type_id, school_id, room_id, starts_at, ends_at, capacity)
                    select (select id from workshop_type where code = 'q'), r.school_id, r.id,
                           now() + make_interval(days => d), now() + make_interval(days => d, hours => 2), 500
                    from room r cross join generate_series(-60, 30, 15) as d""");
                    h.execute(
                            """
                    insert into attendance (session_id, guardian_id, mark, marked_at)
                    select (select s.id from workshop_session s join child c on c.school_id = s.school_id
                            where c.family_id = g.family_id and s.starts_at < now() order by s.starts_at limit 1 offset (g.id % 4)),
                           g.id, 'present', now()
                    from guardian g where g.id in (select min(id) from guardian group by family_id) and g.family_id % 3 = 0""");
                    h.execute(
                            """
                    insert into booking (session_id, family_id, guardian_id)
                    select (select s.id from workshop_session s join child c on c.school_id = s.school_id
                            where c.family_id = g.family_id and s.starts_at > now() order by s.starts_at limit 1),
                           g.family_id, g.id
                    from guardian g where g.id in (select min(id) from guardian group by family_id) and g.family_id % 5 = 1""");
                    h.execute(
                            """
                    update device d set state = 'home_use' from child c
                    where c.id = d.child_id and c.family_id % 3 = 0 and d.state = 'school_only'""");
                });
    }

    /**
     * 16 000 families: 4 000 with two pupils (siblings, sometimes in two schools), 12 000 with one;
     * two guardians each, a third one for half of them: 20 000 pupils, 40 000 guardians, one device
     * per pupil.
     */
    static RosterImport.Files generate() {
        return generate(16_000, SCHOOLS);
    }

    /**
     * {@code families} families over {@code schools} schools, as above: a quarter with two pupils,
     * two guardians each and a third for half of them.
     */
    static RosterImport.Files generate(int families, int schools) {
        Random random = new Random(7);
        String[] last = {
            "Martin", "Bernard", "Diallo", "Petit", "Nguyen", "Haddad", "Moreau", "Lefèvre",
            "Traoré", "Garcia"
        };
        String[] first = {
            "Lina", "Adam", "Inès", "Noah", "Jade", "Ilyes", "Léa", "Rayan", "Emma", "Sacha", "Zoé",
            "Hugo"
        };
        StringBuilder pupils =
                new StringBuilder("id_eleve;nom;prénom;uai;niveau;classe;id_ent\r\n");
        StringBuilder guardians =
                new StringBuilder("id_responsable;nom;prénom;courriel;téléphone;langue;id_ent\r\n");
        StringBuilder links = new StringBuilder("id_eleve;id_responsable\r\n");
        StringBuilder devices =
                new StringBuilder("numero_inventaire;numero_serie;modele;id_eleve;etat\r\n");
        int pupil = 0;
        int guardian = 0;
        for (int f = 0; f < families; f++) {
            String name = last[f % last.length];
            int school = random.nextInt(schools);
            List<String> kids = new ArrayList<>();
            for (int k = 0; k < (f < families / 4 ? 2 : 1); k++) {
                String id = "E" + (100_000 + pupil);
                String level = random.nextBoolean() ? "CM1" : "CM2";
                int s = k == 1 && f % 4 == 0 ? (school + 1) % schools : school;
                pupils.append(id)
                        .append(';')
                        .append(name)
                        .append(';')
                        .append(first[random.nextInt(first.length)])
                        .append(';')
                        .append(uai(s))
                        .append(';')
                        .append(level)
                        .append(';')
                        .append(level)
                        .append(' ')
                        .append((char) ('A' + random.nextInt(3)))
                        .append(";ent-")
                        .append(id)
                        .append("\r\n");
                devices.append("CHN-")
                        .append(100_000 + pupil)
                        .append(";SN")
                        .append(900_000_000 + pupil)
                        .append(";Lenovo 300e;")
                        .append(id)
                        .append(";prêté\r\n");
                kids.add(id);
                pupil++;
            }
            for (int g = 0; g < (f % 2 == 0 ? 3 : 2); g++) {
                String id = "R" + (200_000 + guardian);
                guardians
                        .append(id)
                        .append(';')
                        .append(name)
                        .append(';')
                        .append(first[random.nextInt(first.length)])
                        .append(';')
                        .append(g == 2 ? "" : id.toLowerCase() + "@example.fr")
                        .append(';')
                        .append(
                                String.format(
                                        "06 %02d %02d %02d %02d",
                                        guardian % 100, (guardian / 100) % 100, f % 100, g))
                        .append(';')
                        .append(f % 7 == 0 ? "en" : "fr")
                        .append(";\r\n");
                for (String kid : kids) links.append(kid).append(';').append(id).append("\r\n");
                guardian++;
            }
        }
        if (pupil != families + families / 4 || guardian != 2 * families + families / 2)
            throw new IllegalStateException(pupil + " pupils, " + guardian + " guardians");
        return new RosterImport.Files(
                bytes(pupils), bytes(guardians), bytes(links), bytes(devices));
    }

    static String uai(int school) {
        return String.format("02%05d%c", 10_000 + school, 'A' + (school % 26));
    }

    private static byte[] bytes(StringBuilder sb) {
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static double mb(byte[] b) {
        return b.length / 1024.0 / 1024.0;
    }

    private static double sec(long nanos) {
        return nanos / 1e9;
    }
}
