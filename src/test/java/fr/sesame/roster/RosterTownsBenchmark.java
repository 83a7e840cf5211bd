package fr.sesame.roster;

import fr.sesame.audit.Actor;
import fr.sesame.auth.StaffAccounts;
import fr.sesame.db.Towns;
import fr.sesame.support.Http;
import fr.sesame.support.SignIn;
import fr.sesame.support.TestApp;
import org.jdbi.v3.core.Jdbi;

/**
 * The roster benchmark with several towns in one database (issue 17): a town of 400 pupils (320
 * families, 800 guardians, 400 devices, 2 schools) imported and its dashboard read while it is the
 * only town, then the same again for a town added after 48 others of the same size, and the first
 * town's dashboard read again among the 50. Prints the figures side by side with their ratios: a
 * program, not a test (see the README for the command). Arguments: the number of towns (50), the
 * number of requests per page measured (200).
 */
public final class RosterTownsBenchmark {
    private static final int FAMILIES = 320;
    private static final int SCHOOLS = 2;

    public static void main(String[] args) throws Exception {
        int townCount = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int requests = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        // a first town in a database of its own, not timed: the JIT compiles the import and the
        // dashboard, so that the first town timed below is not the only one that pays for it
        try (TestApp warmUp = TestApp.start()) {
            Towns towns = warmUp.app().database().towns();
            importTown(towns, warmUp.jdbi(), towns.first().id());
            towns.in(towns.first().id(), () -> setUpDashboard(warmUp.jdbi()));
            dashboard(
                    SignIn.staff(warmUp, RosterBenchmark.ADMIN, RosterBenchmark.PASSWORD),
                    requests);
        }
        try (TestApp app = TestApp.start()) {
            Jdbi jdbi = app.jdbi();
            Towns towns = app.app().database().towns();
            // towns are made by the owner (the app's role reads them only)
            Jdbi owner = fr.sesame.support.TwoTowns.owner(app.app().database());
            owner.useHandle(h -> h.execute("update town set host = 'localhost' where id = 1"));
            towns.reload();
            long first = towns.first().id();

            double[] alone = importTown(towns, jdbi, first);
            towns.in(first, () -> setUpDashboard(jdbi));
            Http admin = SignIn.staff(app, RosterBenchmark.ADMIN, RosterBenchmark.PASSWORD);
            double[] dashAlone = dashboard(admin, requests);

            double others = 0;
            for (int t = 2; t < townCount; t++) {
                others += importTown(towns, jdbi, newTown(owner, towns, t))[1];
            }
            long last = newTown(owner, towns, townCount);
            double[] among = importTown(towns, jdbi, last);
            jdbi.useHandle(h -> h.execute("analyze"));
            double[] dashAmong = dashboard(admin, requests);

            System.out.printf(
                    "%d towns of %d pupils in one database (%d families in all)%n",
                    townCount,
                    FAMILIES + FAMILIES / 4,
                    owner.withHandle(
                            h -> h.select("select count(*) from family").mapTo(Long.class).one()));
            System.out.printf(
                    "towns 2 to %d: commit %.2f s on average%n",
                    townCount - 1, others / Math.max(1, townCount - 2));
            row("import: preview", alone[0], among[0], "s");
            row("import: commit", alone[1], among[1], "s");
            row("dashboard, town: p50", dashAlone[0], dashAmong[0], "ms");
            row("dashboard, town: p95", dashAlone[1], dashAmong[1], "ms");
            row("dashboard, one school: p95", dashAlone[2], dashAmong[2], "ms");
            row("CSV export, town: p95", dashAlone[3], dashAmong[3], "ms");
        }
    }

    private static void row(String label, double alone, double among, String unit) {
        System.out.printf(
                "%-28s alone %8.2f %s   among the towns %8.2f %s   ratio %.2f%n",
                label, alone, unit, among, unit, among / alone);
    }

    private static long newTown(Jdbi owner, Towns towns, int n) {
        long id =
                owner.withHandle(
                        h ->
                                h.select(
                                                "insert into town (slug, name, host) values (?, ?, ?) returning id",
                                                String.format("t%02d", n),
                                                "Commune " + n,
                                                String.format("t%02d.bench.test", n))
                                        .mapTo(Long.class)
                                        .one());
        towns.reload();
        return id;
    }

    /** Preview and commit of the town's roster, in seconds, in that town. */
    private static double[] importTown(Towns towns, Jdbi jdbi, long town) {
        return towns.in(
                town,
                () -> {
                    jdbi.useHandle(
                            h -> {
                                for (int s = 0; s < SCHOOLS; s++) {
                                    h.execute(
                                            "insert into school (uai, name) values (?, ?)",
                                            RosterBenchmark.uai(s),
                                            "École " + (s + 1));
                                    h.execute(
                                            "insert into room (school_id, name, seats) select id, 'Salle', 14 from school where uai = ?",
                                            RosterBenchmark.uai(s));
                                }
                            });
                    RosterImport.Files files = RosterBenchmark.generate(FAMILIES, SCHOOLS);
                    RosterImport roster = new RosterImport(jdbi);
                    long t0 = System.nanoTime();
                    RosterImport.Outcome preview = roster.preview(files);
                    long t1 = System.nanoTime();
                    if (!preview.ok())
                        throw new IllegalStateException("problems: " + preview.problems());
                    roster.commit(files, Actor.system("benchmark"), null);
                    long t2 = System.nanoTime();
                    return new double[] {(t1 - t0) / 1e9, (t2 - t1) / 1e9};
                });
    }

    private static Void setUpDashboard(Jdbi jdbi) {
        new StaffAccounts(jdbi).createOrResetAdmin(RosterBenchmark.ADMIN, RosterBenchmark.PASSWORD);
        RosterBenchmark.trainSome(jdbi);
        jdbi.useHandle(h -> h.execute("analyze"));
        return null;
    }

    /** p50 and p95 of the town's dashboard, p95 of one school's and of the CSV export, in ms. */
    private static double[] dashboard(Http admin, int requests) {
        double[] town = RosterBenchmark.percentiles(admin, "/roster", requests);
        double[] school =
                RosterBenchmark.percentiles(
                        admin, "/roster?school=" + RosterBenchmark.uai(1), requests);
        double[] csv =
                RosterBenchmark.percentiles(
                        admin, "/roster/families.csv", Math.max(5, requests / 20));
        return new double[] {town[0], town[1], school[1], csv[1]};
    }
}
