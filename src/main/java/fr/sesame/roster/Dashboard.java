package fr.sesame.roster;

import fr.sesame.audit.Actor;
import fr.sesame.audit.Audit;
import fr.sesame.json.Json;
import java.util.List;
import java.util.function.Function;
import org.jdbi.v3.core.Jdbi;

/**
 * The families still to reach, for school staff (their school) and the education service (any
 * school, the town).
 */
public final class Dashboard {
    /** What the page shows: each query of one reading, on one connection. */
    record Reading(
            List<DashboardDao.School> schools,
            DashboardDao.School school,
            List<DashboardDao.FamilyToReach> families,
            List<DashboardDao.Figures> figures,
            List<DashboardDao.Week> trend,
            List<String> classes) {}

    private final Jdbi jdbi;

    public Dashboard(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * All the page's queries on one connection, taken once, and given back before the page is
     * rendered; {@code scope} picks the school among those there are (null: the town).
     */
    Reading read(
            Function<List<DashboardDao.School>, DashboardDao.School> scope,
            DashboardController.Filters filters,
            int limit) {
        return jdbi.inTransaction(
                h -> {
                    DashboardDao dao = h.attach(DashboardDao.class);
                    dao.planForTheValuesGiven();
                    List<DashboardDao.School> schools = dao.schools();
                    DashboardDao.School school = scope.apply(schools);
                    Long schoolId = school == null ? null : school.id();
                    return new Reading(
                            schools,
                            school,
                            dao.toReach(
                                    schoolId,
                                    filters.className(),
                                    filters.status(),
                                    filters.language(),
                                    limit),
                            dao.figures(schoolId),
                            dao.trend(schoolId),
                            school == null ? List.of() : dao.classes(school.id()));
                });
    }

    List<DashboardDao.School> schools() {
        return jdbi.onDemand(DashboardDao.class).schools();
    }

    /** The families of an export; the export itself is audited ({@link #exported}) once written. */
    List<DashboardDao.FamilyToReach> toReach(
            DashboardDao.School school, DashboardController.Filters filters, int limit) {
        return jdbi.inTransaction(
                h -> {
                    DashboardDao dao = h.attach(DashboardDao.class);
                    dao.planForTheValuesGiven();
                    return dao.toReach(
                            school == null ? null : school.id(),
                            filters.className(),
                            filters.status(),
                            filters.language(),
                            limit);
                });
    }

    void exported(Actor actor, DashboardDao.School school, int rows) {
        jdbi.useHandle(
                h ->
                        Audit.record(
                                h,
                                actor,
                                "roster_export",
                                "school",
                                school == null ? null : school.id(),
                                Json.object(
                                        "rows",
                                        rows,
                                        "scope",
                                        school == null ? "town" : school.uai())));
    }
}
