package fr.sesame.roster;

import static org.assertj.core.api.Assertions.assertThat;

import fr.sesame.support.ExportCsv;
import fr.sesame.support.Http;
import fr.sesame.support.SesameTest;
import fr.sesame.support.SignIn;
import fr.sesame.support.Sql;
import fr.sesame.support.TestApp;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dashboard's figures against the hand-built town of {@link TownFixture}. */
@SesameTest
class DashboardTest {
    static TestApp app;
    static TownFixture town;

    @BeforeAll
    static void start() {
        town = TownFixture.build(app.jdbi());
    }

    /**
     * families / trained / booked-not-trained / not booked / devices home / devices lent of one
     * row.
     */
    static String figures(String html, String row) {
        Matcher m =
                Pattern.compile("<tr data-school=\"" + row + "\">(.*?)</tr>", Pattern.DOTALL)
                        .matcher(html);
        assertThat(m.find()).as("row " + row).isTrue();
        String cells = m.group(1);
        return cell(cells, "families")
                + " / "
                + cell(cells, "trained").replaceAll(" \\(.*", "")
                + " / "
                + cell(cells, "booked")
                + " / "
                + cell(cells, "notbooked")
                + " / "
                + cell(cells, "home").replace(" / ", " of ");
    }

    private static String cell(String cells, String name) {
        Matcher m = Pattern.compile("<td class=\"" + name + "\">([^<]*)</td>").matcher(cells);
        assertThat(m.find()).as(name).isTrue();
        return m.group(1).trim();
    }

    @Test
    void
            the_admin_sees_each_school_and_the_town_counting_a_family_with_children_in_two_schools_once() {
        Http admin = SignIn.staff(app, TownFixture.ADMIN, TownFixture.PASSWORD);
        HttpResponse<String> r = admin.get("/roster");
        assertThat(r.statusCode()).isEqualTo(200);
        String html = r.body();
        assertThat(figures(html, TownFixture.A)).isEqualTo("3 / 1 / 1 / 1 / 1 of 3");
        assertThat(figures(html, TownFixture.B)).isEqualTo("3 / 1 / 1 / 1 / 1 of 2");
        assertThat(figures(html, "town")).isEqualTo("5 / 2 / 1 / 2 / 2 of 5");
    }

    @Test
    void the_trend_counts_families_in_the_week_of_their_first_qualifying_session() {
        var trend = app.jdbi().onDemand(DashboardDao.class).trend(null);
        assertThat(trend).hasSize(12);
        assertThat(trend.stream().mapToInt(DashboardDao.Week::trainedThatWeek).sum()).isEqualTo(2);
        assertThat(trend.get(11).trainedByThen()).isEqualTo(2);
        assertThat(trend.get(0).trainedByThen()).isZero();
        assertThat(
                        app.jdbi()
                                .onDemand(DashboardDao.class)
                                .trend(town.schoolB)
                                .get(11)
                                .trainedByThen())
                .isEqualTo(1);
    }

    @Test
    void
            the_families_to_reach_are_the_untrained_ones_with_their_contacts_and_filters_narrow_them() {
        Http admin = SignIn.staff(app, TownFixture.ADMIN, TownFixture.PASSWORD);
        String all = admin.get("/roster").body();
        assertThat(all)
                .contains("Karim Deux", "karim@deux.test", "Mei Quatre", "+33 6 03 03 03 03")
                .doesNotContain("Sophie Un", "Fatou Cinq");
        String english = admin.get("/roster?language=en").body();
        assertThat(english).contains("Mei Quatre").doesNotContain("Karim Deux");
        String booked = admin.get("/roster?school=" + TownFixture.A + "&status=booked").body();
        assertThat(booked).contains("Karim Deux").doesNotContain("Trois", "Mei Quatre");
        String notBooked =
                admin.get("/roster?school=" + TownFixture.A + "&status=not_booked").body();
        assertThat(notBooked).contains("Trois").doesNotContain("Karim Deux");
    }

    @Test
    void school_staff_only_ever_see_their_own_school_whatever_the_query_says() {
        Http staff = SignIn.staff(app, TownFixture.STAFF_A, TownFixture.PASSWORD);
        String html = staff.get("/roster?school=" + TownFixture.B).body();
        assertThat(html)
                .contains("École A", "data-school=\"" + TownFixture.A + "\"")
                .doesNotContain(
                        "data-school=\"" + TownFixture.B + "\"",
                        "data-school=\"town\"",
                        "Mei Quatre",
                        "Jade",
                        "École B (");
        assertThat(figures(html, TownFixture.A)).isEqualTo("3 / 1 / 1 / 1 / 1 of 3");
        HttpResponse<String> csv = staff.get("/roster/families.csv?school=" + TownFixture.B);
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.body()).contains("Adam Enfant").doesNotContain("Inès", "Mei", "Jade");
    }

    @Test
    void the_csv_export_neutralises_formulas_and_is_audited() {
        Http admin = SignIn.staff(app, TownFixture.ADMIN, TownFixture.PASSWORD);
        int audits =
                Sql.count(
                        app.jdbi(),
                        "select count(*) from audit_log where action = 'roster_export'");
        HttpResponse<String> csv = admin.get("/roster/families.csv");
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        assertThat(csv.headers().firstValue("Content-Disposition").orElse(""))
                .contains("attachment");
        String body = csv.body();
        assertThat(body).startsWith("\uFEFF\"Référence\";\"Enfants\"");
        assertThat(body)
                .contains("\"'=HYPERLINK(\"\"http://evil\"\") Trois\"")
                .doesNotContain(";\"=")
                .contains("\"'+33 6 03 03 03 03\"");
        List<List<String>> records = ExportCsv.read(body);
        assertThat(records).hasSize(1 + 3);
        assertThat(records.get(0)).startsWith("Référence", "Enfants");
        assertThat(records).anySatisfy(r -> assertThat(r).contains("'+33 6 03 03 03 03"));
        assertThat(
                        Sql.count(
                                app.jdbi(),
                                "select count(*) from audit_log where action = 'roster_export' "
                                        + "and (details->>'rows')::int = 3"))
                .isEqualTo(audits + 1);
    }
}
