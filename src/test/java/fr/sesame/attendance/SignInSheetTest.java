package fr.sesame.attendance;

import static org.assertj.core.api.Assertions.assertThat;

import fr.sesame.support.Http;
import fr.sesame.support.SesameTest;
import fr.sesame.support.SignedIn;
import fr.sesame.support.Sql;
import fr.sesame.support.TestApp;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

/**
 * The paper sign-in sheet: the PDF read back lists every booked guardian and child in the sheet's
 * order; marks entered afterwards on the sheet page go through the tablet's service and unlock home
 * use as a tablet mark does; another trainer or a parent gets 403.
 */
@SesameTest(demo = true)
class SignInSheetTest {
    static TestApp app;

    @SignedIn(SignedIn.Role.TRAINER)
    static Http trainer;

    @SignedIn(SignedIn.Role.ADMIN)
    static Http admin;

    @SignedIn(SignedIn.Role.PARENT)
    static Http parent;

    /** A guardian as the sheet should print them, and their children's names. */
    record Expected(long guardianId, String name, List<String> children) {}

    /**
     * Demo families whose pupil has a lent computer kept at school and who have no mark yet: the
     * first n.
     */
    private static List<Long> untrainedGuardians(int offset, int n) {
        return app.jdbi()
                .withHandle(
                        h ->
                                h.createQuery(
                                                """
                select min(g.id) from guardian g
                where exists (select 1 from device d join child c on c.id = d.child_id
                              where c.family_id = g.family_id and d.state = 'school_only')
                  and not exists (select 1 from device d join child c on c.id = d.child_id
                              where c.family_id = g.family_id and d.state = 'home_use')
                  and not exists (select 1 from attendance a join guardian g2 on g2.id = a.guardian_id
                              where g2.family_id = g.family_id)
                group by g.family_id order by g.family_id offset :o limit :n""")
                                        .bind("o", offset)
                                        .bind("n", n)
                                        .mapTo(Long.class)
                                        .list());
    }

    private static List<Expected> expected(List<Long> guardians) {
        List<Expected> out = new ArrayList<>();
        for (long g :
                app.jdbi()
                        .withHandle(
                                h ->
                                        h.createQuery(
                                                        "select id from guardian where id in (<ids>)"
                                                                + " order by lower(last_name), lower(first_name), id")
                                                .bindList("ids", guardians)
                                                .mapTo(Long.class)
                                                .list())) {
            String name =
                    Sql.text(
                            app.jdbi(),
                            "select upper(last_name) || ' ' || first_name from guardian where id = "
                                    + g);
            List<String> children =
                    app.jdbi()
                            .withHandle(
                                    h ->
                                            h.createQuery(
                                                            """
                    select c.first_name || ' ' || c.last_name || ' (' || c.class_level from child c
                    join guardian g on g.family_id = c.family_id where g.id = :g order by c.first_name""")
                                                    .bind("g", g)
                                                    .mapTo(String.class)
                                                    .list());
            out.add(new Expected(g, name, children));
        }
        return out;
    }

    private static HttpResponse<byte[]> pdf(Http client, long session)
            throws IOException, InterruptedException {
        HttpClient http =
                HttpClient.newBuilder()
                        .cookieHandler(client.cookies())
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .build();
        return http.send(
                HttpRequest.newBuilder(
                                URI.create(
                                        app.baseUrl()
                                                + "/trainer/sessions/"
                                                + session
                                                + "/sign-in-sheet.pdf"))
                        .header("Accept-Language", "fr")
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String text(byte[] pdf) throws IOException {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            return new PDFTextStripper().getText(doc).replaceAll("\\s+", " ");
        }
    }

    private static void pastSession(long session) {
        app.jdbi()
                .useHandle(
                        h ->
                                h.execute(
                                        "update workshop_session set starts_at = now() - interval '3 hours',"
                                                + " ends_at = now() - interval '1 hour' where id = ?",
                                        session));
    }

    @Test
    void the_pdf_read_back_lists_every_booked_guardian_and_child_in_the_sheets_order()
            throws Exception {
        long session = AttendanceFixture.session(app.jdbi(), true, false);
        List<Long> guardians = untrainedGuardians(0, 4);
        assertThat(guardians).hasSize(4);
        for (long g : guardians) AttendanceFixture.book(app.jdbi(), session, g);
        List<Expected> expected = expected(guardians);

        for (Http who : List.of(trainer, admin)) {
            HttpResponse<byte[]> r = pdf(who, session);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type").orElse(""))
                    .startsWith("application/pdf");
            assertThat(r.headers().firstValue("Cache-Control").orElse("")).contains("no-store");
            String text = text(r.body());
            assertThat(text).contains("Feuille d'émargement").contains("Atelier test");
            assertThat(text).contains("Signature").contains("4 personnes inscrites");
            int at = 0;
            for (int i = 0; i < expected.size(); i++) {
                Expected e = expected.get(i);
                int found = text.indexOf(e.name(), at);
                assertThat(found).as("%s after position %d in %s", e.name(), at, text).isPositive();
                int next =
                        i + 1 < expected.size()
                                ? text.indexOf(expected.get(i + 1).name(), found)
                                : text.length();
                assertThat(next).as("the next guardian comes after " + e.name()).isPositive();
                assertThat(e.children()).isNotEmpty();
                for (String child : e.children()) {
                    int c = text.indexOf(child, found);
                    assertThat(c).as(child + " on " + e.name() + "'s line").isBetween(found, next);
                }
                at = found;
            }
        }
        // the sheet page links the PDF
        assertThat(AttendanceFixture.open(trainer, session).body())
                .contains("/trainer/sessions/" + session + "/sign-in-sheet.pdf");
    }

    /**
     * A guardian whose name the roster gives in Arabic script prints with real glyphs, shaped
     * (joined forms, U+FE70..U+FEFC, not bare letters) and reading back as written: PDFBox puts the
     * right-to-left run back in logical order and maps the joined forms back to letters (NFKC).
     */
    @Test
    void a_name_in_arabic_script_prints_shaped_and_reads_back() throws Exception {
        long session = AttendanceFixture.session(app.jdbi(), true, false);
        long g = untrainedGuardians(4, 1).get(0);
        app.jdbi()
                .useHandle(
                        h ->
                                h.execute(
                                        "update guardian set first_name = 'ليلى', last_name = 'بن علي' where id = ?",
                                        g));
        AttendanceFixture.book(app.jdbi(), session, g);
        HttpResponse<byte[]> r = pdf(trainer, session);
        assertThat(r.statusCode()).isEqualTo(200);
        StringBuilder drawn = new StringBuilder();
        try (PDDocument doc = Loader.loadPDF(r.body())) {
            new PDFTextStripper() {
                @Override
                protected void processTextPosition(org.apache.pdfbox.text.TextPosition t) {
                    drawn.append(t.getUnicode());
                }
            }.getText(doc);
        }
        assertThat(drawn.toString()).doesNotContainPattern("[\\x{0621}-\\x{064A}]");
        assertThat(drawn.toString()).containsPattern("[\\x{FE70}-\\x{FEFC}]");
        String text = text(r.body());
        assertThat(java.text.Normalizer.normalize(text, java.text.Normalizer.Form.NFKC))
                .contains("بن علي ليلى");
    }

    @Test
    void marks_entered_afterwards_unlock_home_use_as_the_tablet_would_once_per_submit()
            throws Exception {
        long session = AttendanceFixture.session(app.jdbi(), true, false);
        List<Long> guardians = untrainedGuardians(4, 2);
        assertThat(guardians).hasSize(2);
        for (long g : guardians) AttendanceFixture.book(app.jdbi(), session, g);
        pastSession(session);
        long came = guardians.get(0);
        long missed = guardians.get(1);
        String homeUse =
                "select count(*) from device d join child c on c.id = d.child_id join guardian g"
                        + " on g.family_id = c.family_id where d.state = 'home_use' and g.id = ";
        assertThat(Sql.count(app.jdbi(), homeUse + came)).isZero();

        // the page of the past session: the same lines in the same order as the paper
        String page = AttendanceFixture.open(trainer, session).body();
        List<Expected> expected = expected(guardians);
        assertThat(page.indexOf("id=\"g-" + expected.get(0).guardianId() + "\""))
                .isPositive()
                .isLessThan(page.indexOf("id=\"g-" + expected.get(1).guardianId() + "\""));

        UUID submit = UUID.randomUUID();
        for (int i = 0; i < 2; i++) { // a double submit of the same form
            HttpResponse<String> r =
                    trainer.postForm(
                            "/trainer/sessions/" + session + "/marks",
                            Map.of(
                                    "guardianId",
                                    String.valueOf(came),
                                    "mark",
                                    "present",
                                    "clientMarkId",
                                    submit.toString()));
            assertThat(r.statusCode()).isEqualTo(302);
        }
        HttpResponse<String> r =
                trainer.postForm(
                        "/trainer/sessions/" + session + "/marks",
                        Map.of(
                                "guardianId",
                                String.valueOf(missed),
                                "mark",
                                "absent",
                                "clientMarkId",
                                UUID.randomUUID().toString()));
        assertThat(r.statusCode()).isEqualTo(302);

        assertThat(Sql.count(app.jdbi(), homeUse + came)).isPositive();
        assertThat(Sql.count(app.jdbi(), homeUse + missed)).isZero();
        assertThat(
                        Sql.count(
                                app.jdbi(),
                                "select count(*) from attendance_mark where client_mark_id = '"
                                        + submit
                                        + "'"))
                .isEqualTo(1);
        assertThat(
                        Sql.count(
                                app.jdbi(),
                                "select count(*) from audit_log where details->>'clientMarkId' = '"
                                        + submit
                                        + "'"))
                .isEqualTo(1);
        assertThat(
                        Sql.text(
                                app.jdbi(),
                                "select string_agg(mark, ',' order by guardian_id) from attendance"
                                        + " where session_id = "
                                        + session))
                .isEqualTo(came < missed ? "present,absent" : "absent,present");
    }

    @Test
    void another_trainer_and_a_parent_get_403_and_a_stranger_signs_in_first() throws Exception {
        long session =
                AttendanceFixture.session(app.jdbi(), true, false, "formateur@demo.sesame.test");
        assertThat(pdf(trainer, session).statusCode()).isEqualTo(403);
        assertThat(pdf(parent, session).statusCode()).isEqualTo(403);
        HttpResponse<byte[]> anonymous = pdf(app.client(), session);
        assertThat(anonymous.statusCode()).isEqualTo(302);
        assertThat(anonymous.headers().firstValue("Location").orElse("")).startsWith("/sign-in");
        assertThat(pdf(admin, session).statusCode()).isEqualTo(200);
        assertThat(pdf(admin, 999999999L).statusCode()).isEqualTo(404);
    }
}
