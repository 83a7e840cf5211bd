package fr.sesame.roster;

import static org.assertj.core.api.Assertions.assertThat;

import fr.sesame.support.Http;
import fr.sesame.support.SesameTest;
import fr.sesame.support.SignIn;
import fr.sesame.support.Sql;
import fr.sesame.support.TestApp;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The import pages over HTTP: every bad file of the issue gives a clear report and writes nothing.
 */
@SesameTest(demo = true)
class ImportPagesTest {
    static TestApp app;

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    String rosterState() {
        return Sql.text(
                app.jdbi(),
                "select (select count(*) from child) || '/' || (select count(*) from guardian) || '/' "
                        + "|| (select count(*) from device) || '/' || (select count(*) from family) || '/' "
                        + "|| (select count(*) from audit_log where action = 'roster_import')");
    }

    /**
     * Uploads, follows to the preview; returns the preview (or the upload's own answer when it has
     * no redirect).
     */
    HttpResponse<String> check(Http admin, Map<String, byte[]> files, String language) {
        admin.get("/admin/roster/import");
        HttpResponse<String> r =
                Multipart.post(admin, app.url("/admin/roster/import"), files, language);
        if (r.statusCode() != 302) return r;
        return admin.language(language).follow(r);
    }

    /**
     * A bad file: the report says the message, there is no import button, committing anyway writes
     * nothing.
     */
    void refused(String field, String content, String expectedMessage) {
        refused(Map.of(field, utf8(content)), expectedMessage);
    }

    void refused(Map<String, byte[]> files, String expectedMessage) {
        Http admin = SignIn.admin(app);
        String before = rosterState();
        HttpResponse<String> preview = check(admin, files, "fr");
        assertThat(preview.statusCode()).as(preview.body()).isIn(400, 413, 422);
        assertThat(preview.body()).contains(expectedMessage).doesNotContain("/commit\"");
        String id = preview.uri().getPath().replaceAll(".*/", "");
        if (id.matches("\\d+")) {
            admin.get("/admin/roster/import/" + id);
            HttpResponse<String> commit =
                    admin.postForm("/admin/roster/import/" + id + "/commit", Map.of());
            assertThat(commit.statusCode()).isEqualTo(422);
        }
        assertThat(rosterState()).isEqualTo(before);
    }

    @Test
    void the_sample_files_are_previewed_then_committed_once_and_audited() {
        Http admin = SignIn.admin(app);
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("pupils", RosterImportTest.sample("eleves.csv"));
        files.put("guardians", RosterImportTest.sample("responsables.csv"));
        files.put("links", RosterImportTest.sample("liens.csv"));
        files.put("devices", RosterImportTest.sample("equipements.csv"));
        HttpResponse<String> preview = check(admin, files, "fr");
        assertThat(preview.statusCode()).isEqualTo(200);
        assertThat(preview.body()).contains("Ce que l'import va faire", "Familles nouvelles : 4");
        String id = preview.uri().getPath().replaceAll(".*/", "");
        assertThat(Sql.count(app.jdbi(), "select count(*) from child where external_id = 'E1001'"))
                .isZero();

        HttpResponse<String> done =
                admin.postForm("/admin/roster/import/" + id + "/commit", Map.of());
        assertThat(done.statusCode()).isEqualTo(200);
        assertThat(done.body()).contains("Import terminé");
        assertThat(
                        Sql.count(
                                app.jdbi(),
                                "select count(*) from child where external_id like 'E100%'"))
                .isEqualTo(5);
        HttpResponse<String> again =
                admin.postForm("/admin/roster/import/" + id + "/commit", Map.of());
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(
                        Sql.count(
                                app.jdbi(),
                                "select count(*) from audit_log where action = 'roster_import' "
                                        + "and details->'pupils'->>'created' = '5' and actor like 'staff:%'"))
                .isEqualTo(1);
    }

    @Test
    void a_file_of_the_wrong_kind_is_named_for_what_it_is() {
        refused(
                "pupils",
                new String(RosterImportTest.sample("responsables.csv"), StandardCharsets.UTF_8),
                "Ce fichier ressemble à un fichier des parents");
    }

    @Test
    void a_spreadsheet_instead_of_a_csv_file_is_refused_with_how_to_save_it_as_csv() {
        refused(
                Map.of("pupils", new byte[] {'P', 'K', 3, 4, 20, 0, 6, 0, 8, 0, 0, 0}),
                "C'est un classeur Excel");
    }

    @Test
    void an_empty_file_is_refused() {
        refused(Map.of("pupils", new byte[0]), "Le fichier est vide");
    }

    @Test
    void a_file_with_broken_quoting_names_the_line() {
        refused(
                "guardians",
                "id_responsable;nom;prénom\nR1;\"Martin;Sophie\nR2;Diallo;Fatou\n",
                "Fichier des parents (guardians.csv), ligne 2");
    }

    @Test
    void unknown_columns_are_named_and_refused() {
        refused(
                "pupils",
                "id_eleve;nom;prénom;uai;niveau;date_naissance\nE1;Martin;Lina;0211234A;CM1;2015-03-02\n",
                "Colonnes inconnues : date_naissance");
    }

    @Test
    void a_line_with_too_many_fields_is_reported_with_its_number() {
        refused(
                "links",
                "id_eleve;id_responsable\r\nE1;R1\r\nE2;R2;R3\r\n",
                "Fichier des liens élève–parent (links.csv), ligne 3");
    }

    @Test
    void a_formula_in_a_cell_is_refused() {
        refused(
                "guardians",
                "id_responsable;nom;prénom;téléphone\nR1;=cmd|' /C calc'!A0;Sophie;+33 6 12 34 56 78\n",
                "commence par =, +, - ou @");
    }

    @Test
    void
            an_unknown_school_a_missing_name_a_bad_email_and_a_duplicate_asset_tag_are_all_reported_at_once() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(
                "pupils",
                utf8(
                        "id_eleve;nom;prénom;uai;niveau\nX1;Martin;Lina;0999999Z;CM1\nX2;;Adam;0211234A;CM1\n"));
        files.put(
                "guardians",
                utf8(
                        "id_responsable;nom;prénom;courriel\nY1;Martin;Sophie;sophie-at-example.fr\n"));
        files.put("links", utf8("id_eleve;id_responsable\nX1;Y1\n"));
        files.put(
                "devices",
                utf8("numero_inventaire;numero_serie;modele\nT1;S1;Lenovo\nT1;S2;Lenovo\n"));
        Http admin = SignIn.admin(app);
        String before = rosterState();
        HttpResponse<String> preview = check(admin, files, "fr");
        assertThat(preview.statusCode()).isEqualTo(422);
        assertThat(preview.body())
                .contains(
                        "Fichier des élèves (pupils.csv), ligne 2</strong> – École inconnue : 0999999Z",
                        "Fichier des élèves (pupils.csv), ligne 3</strong> – La colonne « nom » est vide.",
                        "Fichier des parents (guardians.csv), ligne 2</strong> – « sophie-at-example.fr » n'est pas une adresse e-mail.",
                        "Fichier des équipements (devices.csv), ligne 3</strong> – Le numéro d'inventaire T1 est déjà à la ligne 2.");
        assertThat(rosterState()).isEqualTo(before);
    }

    @Test
    void a_50_mb_file_is_refused_before_it_is_read_with_a_page_in_the_reader_language() {
        byte[] big = new byte[50 * 1024 * 1024];
        java.util.Arrays.fill(big, (byte) 'a');
        String before = rosterState();
        for (String lang : new String[] {"fr", "en"}) {
            Http admin = SignIn.admin(app);
            HttpResponse<String> r = check(admin, Map.of("pupils", big), lang);
            assertThat(r.statusCode()).isEqualTo(413);
            assertThat(r.body())
                    .contains(lang.equals("fr") ? "Fichiers trop gros" : "Files too large");
        }
        assertThat(rosterState()).isEqualTo(before);
    }

    @Test
    void a_12_mb_file_gets_the_report_that_it_is_too_large() {
        byte[] big = new byte[12 * 1024 * 1024];
        java.util.Arrays.fill(big, (byte) 'a');
        refused(Map.of("devices", big), "Le fichier est trop gros : 10 Mo au plus");
    }

    @Test
    void without_any_file_the_form_asks_for_one() {
        refused(Map.of(), "Choisissez au moins un fichier");
    }

    // ---- reading: encodings and control characters, anywhere in the file

    static byte[] bytes(String s, Charset charset) {
        return s.getBytes(charset);
    }

    static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    /** A pupils file of plain lines, long enough that line 250 lies well beyond its first 8 KB. */
    static String longPupilsFile(int lines) {
        StringBuilder sb = new StringBuilder("id_eleve;nom;prénom;uai;niveau\n");
        for (int i = 2; i <= lines; i++)
            sb.append("L")
                    .append(i)
                    .append(";Nomdefamille")
                    .append(i)
                    .append(";Prenom;0211234A;CM1\n");
        return sb.toString();
    }

    @Test
    void
            a_nul_byte_after_the_first_8_kb_is_refused_at_its_line_and_column_by_the_preview_and_the_commit() {
        String file = longPupilsFile(400).replace("Nomdefamille250", "Nomde\u0000famille250");
        assertThat(file.indexOf('\u0000')).isGreaterThan(8192);
        refused(
                "pupils",
                file,
                "Fichier des élèves (pupils.csv), ligne 250, colonne « nom »</strong> – "
                        + "Cette ligne contient un caractère invisible interdit (code 0)");
    }

    @Test
    void every_line_with_a_control_character_is_named_in_the_reader_language() {
        Http admin = SignIn.admin(app);
        String before = rosterState();
        String file =
                "id_responsable;nom;prénom\nR1;Martin;\"So\u001Bphie\"\nR2;Diallo;Fatou\nR3;Ba\u0007;Awa\n";
        HttpResponse<String> preview = check(admin, Map.of("guardians", utf8(file)), "en");
        assertThat(preview.statusCode()).isEqualTo(422);
        assertThat(preview.body())
                .contains(
                        "Parents file (guardians.csv), line 2, column",
                        "Parents file (guardians.csv), line 4, column",
                        "forbidden invisible character (code 27)",
                        "(code 7)")
                .doesNotContain("line 3,")
                .doesNotContain("/commit\"");
        assertThat(rosterState()).isEqualTo(before);
    }

    @Test
    void
            a_file_mixing_utf8_and_windows_1252_lines_is_refused_at_its_first_windows_line_with_what_to_do() {
        byte[] file =
                concat(
                        utf8("id_eleve;nom;prénom;uai;niveau\nM1;Martin;Zoé;0211234A;CM1\n"),
                        utf8("M2;Diallo;Awa;0211234A;CM1\n"),
                        bytes("M3;Lefèvre;Noé;0211234A;CM1\n", RosterText.WINDOWS_1252));
        refused(
                Map.of("pupils", file),
                "Fichier des élèves (pupils.csv), ligne 4</strong> – Ce fichier mélange deux "
                        + "encodages : cette ligne n'est pas enregistrée comme la ligne 1");
        refused(Map.of("pupils", file), "enregistrez-le de nouveau au format « CSV UTF-8 »");
    }

    @Test
    void a_windows_1252_file_with_one_utf8_line_is_refused_at_that_line() {
        byte[] file =
                concat(
                        bytes(
                                "id_eleve;nom;prénom;uai;niveau\nM1;Lefèvre;Noé;0211234A;CM1\n",
                                RosterText.WINDOWS_1252),
                        utf8("M2;Martin;Zoé;0211234A;CM1\n"));
        refused(
                Map.of("pupils", file),
                "Fichier des élèves (pupils.csv), ligne 3</strong> – Ce fichier mélange deux "
                        + "encodages : cette ligne n'est pas enregistrée comme la ligne 1");
    }

    @Test
    void a_file_with_a_utf8_bom_that_breaks_utf8_further_down_is_refused_at_that_line() {
        byte[] file =
                concat(
                        new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
                        utf8("id_eleve;nom;prénom;uai;niveau\nM1;Martin;Zoé;0211234A;CM1\n"),
                        bytes("M3;Lefèvre;Noé;0211234A;CM1\n", RosterText.WINDOWS_1252));
        refused(
                Map.of("pupils", file),
                "Fichier des élèves (pupils.csv), ligne 3</strong> – Cette ligne n'est pas "
                        + "lisible en UTF-8");
    }

    @Test
    void an_image_is_refused_as_not_a_csv_file() {
        byte[] png = new byte[600];
        byte[] magic = {
            (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'
        };
        System.arraycopy(magic, 0, png, 0, magic.length);
        refused(Map.of("pupils", png), "Ce n'est pas un fichier CSV");
    }

    @Test
    void utf16_exports_with_and_without_a_bom_are_read_and_keep_their_accents() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(
                "pupils",
                concat(
                        new byte[] {(byte) 0xFF, (byte) 0xFE},
                        bytes(
                                "id_eleve\tnom\tprénom\tuai\tniveau\r\n".replace('\t', ';')
                                        + "U16A;Lefèvre;Zoé;0211234A;CM1\r\n",
                                StandardCharsets.UTF_16LE)));
        files.put(
                "guardians",
                concat(
                        new byte[] {(byte) 0xFE, (byte) 0xFF},
                        bytes(
                                "id_responsable;nom;prénom\r\nU16R;Lefèvre;Hélène\r\n",
                                StandardCharsets.UTF_16BE)));
        files.put(
                "links",
                bytes("id_eleve;id_responsable\r\nU16A;U16R\r\n", StandardCharsets.UTF_16LE));
        Http admin = SignIn.admin(app);
        HttpResponse<String> preview = check(admin, files, "fr");
        assertThat(preview.statusCode()).as(preview.body()).isEqualTo(200);
        assertThat(preview.body()).contains("Aucun problème");
        String id = preview.uri().getPath().replaceAll(".*/", "");
        HttpResponse<String> done =
                admin.postForm("/admin/roster/import/" + id + "/commit", Map.of());
        assertThat(done.statusCode()).isEqualTo(200);
        assertThat(
                        Sql.text(
                                app.jdbi(),
                                "select c.first_name || ' ' || c.last_name || ' / ' || g.first_name "
                                        + "from child c join guardian g on g.family_id = c.family_id where c.external_id = 'U16A'"))
                .isEqualTo("Zoé Lefèvre / Hélène");
    }
}
