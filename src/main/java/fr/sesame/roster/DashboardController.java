package fr.sesame.roster;

import fr.sesame.audit.Actor;
import fr.sesame.web.CsvExport;
import fr.sesame.web.CurrentUser;
import fr.sesame.web.Language;
import fr.sesame.web.Messages;
import fr.sesame.web.Views;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Progress per school and for the town, the trend by week, and the families still to reach (page
 * and CSV). School staff only ever see their own school, whatever the query string says.
 */
public final class DashboardController {
    static final int PAGE_LIMIT = 200;
    static final int EXPORT_LIMIT = 100_000;

    /** The filters of the list of families to reach. */
    public record Filters(String className, String status, String language) {
        String query(DashboardDao.School school) {
            StringBuilder q = new StringBuilder();
            if (school != null) q.append("&school=").append(enc(school.uai()));
            if (!className.isEmpty()) q.append("&class=").append(enc(className));
            if (!status.isEmpty()) q.append("&status=").append(status);
            if (!language.isEmpty()) q.append("&language=").append(language);
            return q.isEmpty() ? "" : "?" + q.substring(1);
        }

        private static String enc(String s) {
            return URLEncoder.encode(s, StandardCharsets.UTF_8);
        }
    }

    /** The model of the dashboard: school null means the whole town (admin only). */
    public record DashboardPage(
            DashboardDao.School school,
            List<DashboardDao.School> choices,
            List<DashboardDao.Figures> rows,
            DashboardDao.Figures town,
            List<DashboardDao.Week> trend,
            List<DashboardDao.FamilyToReach> families,
            boolean more,
            List<String> classes,
            Filters filters,
            boolean admin) {
        public String exportUrl() {
            return "/roster/families.csv" + filters.query(school);
        }

        /** The campaign preview for these families (issue 16). */
        public String campaignUrl() {
            return "/admin/campaigns/new" + filters.query(school);
        }

        public int trendMax() {
            return Math.max(
                    1, trend.stream().mapToInt(DashboardDao.Week::trainedByThen).max().orElse(1));
        }
    }

    private final Dashboard dashboard;
    private final Views views;

    public DashboardController(Dashboard dashboard, Views views) {
        this.dashboard = dashboard;
        this.views = views;
    }

    public void dashboard(Context ctx) {
        CurrentUser user = CurrentUser.of(ctx);
        boolean admin = user.role() == CurrentUser.Role.ADMIN;
        Filters filters = filters(ctx);
        // All the page's queries on one connection, taken once, and given back before the page is
        // rendered.
        Dashboard.Reading r =
                dashboard.read(schools -> scope(ctx, user, schools), filters, PAGE_LIMIT + 1);
        List<DashboardDao.FamilyToReach> families = r.families();
        boolean more = families.size() > PAGE_LIMIT;
        DashboardDao.Figures town =
                r.figures().stream().filter(f -> f.id() == null).findFirst().orElse(null);
        DashboardPage page =
                new DashboardPage(
                        r.school(),
                        admin ? r.schools() : List.of(),
                        r.figures().stream().filter(f -> f.id() != null).toList(),
                        town,
                        r.trend(),
                        more ? families.subList(0, PAGE_LIMIT) : families,
                        more,
                        r.classes(),
                        filters,
                        admin);
        views.render(ctx, "roster/dashboard.jte", page);
    }

    public void exportCsv(Context ctx) {
        CurrentUser user = CurrentUser.of(ctx);
        DashboardDao.School school = scope(ctx, user, dashboard.schools());
        Filters filters = filters(ctx);
        List<DashboardDao.FamilyToReach> families =
                dashboard.toReach(school, filters, EXPORT_LIMIT);
        Messages msg = Language.messages(ctx);
        List<String> header =
                List.of(
                        msg.t("roster.dashboard.reference"),
                        msg.t("roster.dashboard.children"),
                        msg.t("roster.dashboard.school"),
                        msg.t("roster.dashboard.guardians"),
                        msg.t("roster.dashboard.email"),
                        msg.t("roster.dashboard.phone"),
                        msg.t("roster.dashboard.language"),
                        msg.t("roster.dashboard.status"));
        List<List<String>> rows =
                families.stream()
                        .map(
                                f ->
                                        List.of(
                                                f.reference(),
                                                nz(f.children()),
                                                nz(f.schools()),
                                                nz(f.guardians()),
                                                nz(f.emails()),
                                                nz(f.phones()),
                                                f.language(),
                                                msg.t(
                                                        f.booked()
                                                                ? "roster.dashboard.booked"
                                                                : "roster.dashboard.notbooked")))
                        .toList();
        String csv = CsvExport.write(header, rows);
        dashboard.exported(Actor.of(user), school, rows.size());
        CsvExport.send(ctx, "familles-" + (school == null ? "ville" : school.uai()) + ".csv", csv);
    }

    /** School staff: their school. Admin: the school asked for, or the town (null). */
    static DashboardDao.School scope(
            Context ctx, CurrentUser user, List<DashboardDao.School> schools) {
        if (user.role() != CurrentUser.Role.ADMIN) {
            return schools.stream()
                    .filter(s -> user.schoolId() != null && s.id() == user.schoolId())
                    .findFirst()
                    .orElseThrow(NotFoundResponse::new);
        }
        String uai = Optional.ofNullable(ctx.queryParam("school")).orElse("").trim();
        if (uai.isEmpty()) return null;
        return schools.stream()
                .filter(s -> s.uai().equals(uai))
                .findFirst()
                .orElseThrow(NotFoundResponse::new);
    }

    private static Filters filters(Context ctx) {
        String className = Optional.ofNullable(ctx.queryParam("class")).orElse("").trim();
        if (className.length() > 40) className = "";
        String status = Optional.ofNullable(ctx.queryParam("status")).orElse("");
        if (!List.of("booked", "not_booked").contains(status)) status = "";
        String language = Optional.ofNullable(ctx.queryParam("language")).orElse("");
        if (!fr.sesame.web.Messages.LANGUAGES.contains(language)) language = "";
        return new Filters(className, status, language);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
