package fr.sesame.roster;

import static org.assertj.core.api.Assertions.assertThat;

import fr.sesame.audit.Actor;
import fr.sesame.db.Database;
import fr.sesame.demo.DemoSeed;
import fr.sesame.support.Sql;
import fr.sesame.support.TestDatabase;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Import round trips on a real database holding the demo town (its schools). */
class RosterImportTest {
    Database db;
    Jdbi jdbi;
    RosterImport roster;

    @BeforeEach
    void open() {
        db = TestDatabase.openFresh();
        jdbi = db.jdbi();
        new DemoSeed(jdbi).seed();
        roster = new RosterImport(jdbi);
    }

    @AfterEach
    void close() {
        db.close();
    }

    static byte[] sample(String name) {
        try {
            return Files.readAllBytes(Path.of("docs/roster", name));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static RosterImport.Files samples() {
        return new RosterImport.Files(
                sample("eleves.csv"),
                sample("responsables.csv"),
                sample("liens.csv"),
                sample("equipements.csv"));
    }

    /** The sample files rewritten with commas, LF and another encoding (and optionally a BOM). */
    static byte[] recode(byte[] utf8, Charset charset, boolean bom) {
        String text =
                new String(utf8, StandardCharsets.UTF_8).replace(";", ",").replace("\r\n", "\n");
        byte[] body = text.getBytes(charset);
        if (!bom) return body;
        byte[] withBom = new byte[body.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(body, 0, withBom, 3, body.length);
        return withBom;
    }

    static RosterImport.Files recoded(Charset charset, boolean bom) {
        RosterImport.Files s = samples();
        return new RosterImport.Files(
                recode(s.pupils(), charset, bom),
                recode(s.guardians(), charset, bom),
                recode(s.links(), charset, bom),
                recode(s.devices(), charset, bom));
    }

    String snapshot() {
        return Sql.text(
                jdbi,
                """
                select string_agg(line, E'\\n' order by line) from (
                  select 'child ' || c.external_id || ' ' || c.first_name || ' ' || c.last_name || ' ' || s.uai || ' '
                         || c.class_level || ' ' || c.class_name || ' ' || coalesce(c.ent_id, '-') || ' fam '
                         || (select min(c2.external_id) from child c2 where c2.family_id = c.family_id) as line
                  from child c join school s on s.id = c.school_id where c.external_id is not null
                  union all
                  select 'guardian ' || g.external_id || ' ' || g.first_name || ' ' || g.last_name || ' '
                         || coalesce(g.email, '-') || ' ' || coalesce(g.phone, '-') || ' ' || g.language || ' fam '
                         || (select min(c2.external_id) from child c2 where c2.family_id = g.family_id)
                  from guardian g where g.external_id is not null
                  union all
                  select 'device ' || d.asset_tag || ' ' || d.serial_number || ' ' || d.state || ' '
                         || coalesce(c.external_id, '-')
                  from device d left join child c on c.id = d.child_id where d.asset_tag like 'CHN-9%') t""");
    }

    @Test
    void
            the_sample_files_import_with_semicolons_utf8_and_crlf_and_build_one_family_per_group_of_siblings() {
        RosterImport.Outcome preview = roster.preview(samples());
        assertThat(preview.problems()).isEmpty();
        assertThat(preview.pupils()).isEqualTo(new RosterImport.Counts(5, 0, 0));
        assertThat(preview.guardians()).isEqualTo(new RosterImport.Counts(5, 0, 0));
        assertThat(preview.devices()).isEqualTo(new RosterImport.Counts(6, 0, 0));
        assertThat(preview.familiesCreated()).isEqualTo(4);
        assertThat(Sql.count(jdbi, "select count(*) from child where external_id is not null"))
                .isZero();

        RosterImport.Outcome done = roster.commit(samples(), Actor.staff(1), null);
        assertThat(done.ok()).isTrue();
        assertThat(Sql.count(jdbi, "select count(*) from family where imported_at is not null"))
                .isEqualTo(4);
        // Lina and Adam are siblings (same two parents), in two schools: one family, four people.
        assertThat(
                        Sql.count(
                                jdbi,
                                """
                select count(distinct family_id) from (select family_id from child where external_id in ('E1001', 'E1002')
                union all select family_id from guardian where external_id in ('R2001', 'R2002')) t"""))
                .isEqualTo(1);
        assertThat(Sql.text(jdbi, "select first_name from guardian where external_id = 'R2005'"))
                .isEqualTo("Hélène");
        assertThat(Sql.text(jdbi, "select language from guardian where external_id = 'R2003'"))
                .isEqualTo("en");
        assertThat(Sql.text(jdbi, "select state from device where asset_tag = 'CHN-9001'"))
                .isEqualTo("school_only");
        assertThat(Sql.text(jdbi, "select state from device where asset_tag = 'CHN-9006'"))
                .isEqualTo("in_stock");
        assertThat(
                        Sql.count(
                                jdbi,
                                "select count(*) from family where imported_at is not null and letter_code is null"))
                .isZero();
        assertThat(Sql.count(jdbi, "select count(*) from audit_log where action = 'roster_import'"))
                .isEqualTo(1);
    }

    @Test
    void the_same_roster_in_windows_1252_with_commas_gives_the_same_data() {
        roster.commit(samples(), Actor.staff(1), null);
        String fromUtf8 = snapshot();
        RosterImport.Outcome again = roster.preview(recoded(RosterText.WINDOWS_1252, false));
        assertThat(again.problems()).isEmpty();
        assertThat(again.encodings()).containsEntry("pupils", "windows-1252 ,");
        assertThat(again.changesSomething()).isFalse();

        Database other = TestDatabase.openFresh();
        try {
            new DemoSeed(other.jdbi()).seed();
            assertThat(
                            new RosterImport(other.jdbi())
                                    .commit(
                                            recoded(RosterText.WINDOWS_1252, false),
                                            Actor.staff(1),
                                            null)
                                    .ok())
                    .isTrue();
            Jdbi mine = jdbi;
            jdbi = other.jdbi();
            assertThat(snapshot()).isEqualTo(fromUtf8).contains("Hélène", "Lefèvre", "Inès");
            jdbi = mine;
        } finally {
            other.close();
        }
    }

    @Test
    void utf8_with_a_bom_and_commas_reads_like_the_original() {
        roster.commit(samples(), Actor.staff(1), null);
        RosterImport.Outcome again = roster.preview(recoded(StandardCharsets.UTF_8, true));
        assertThat(again.problems()).isEmpty();
        assertThat(again.encodings()).containsEntry("guardians", "UTF-8 ,");
        assertThat(again.pupils()).isEqualTo(new RosterImport.Counts(0, 0, 5));
    }

    @Test
    void re_importing_the_same_files_changes_nothing() {
        roster.commit(samples(), Actor.staff(1), null);
        String before = snapshot();
        int families = Sql.count(jdbi, "select count(*) from family");
        String codes =
                Sql.text(jdbi, "select string_agg(letter_code, ',' order by id) from family");

        RosterImport.Outcome again = roster.commit(samples(), Actor.staff(1), null);
        assertThat(again.ok()).isTrue();
        assertThat(again.changesSomething()).isFalse();
        assertThat(again.pupils()).isEqualTo(new RosterImport.Counts(0, 0, 5));
        assertThat(again.guardians()).isEqualTo(new RosterImport.Counts(0, 0, 5));
        assertThat(again.devices()).isEqualTo(new RosterImport.Counts(0, 0, 6));
        assertThat(snapshot()).isEqualTo(before);
        assertThat(Sql.count(jdbi, "select count(*) from family")).isEqualTo(families);
        assertThat(Sql.text(jdbi, "select string_agg(letter_code, ',' order by id) from family"))
                .isEqualTo(codes);
    }

    @Test
    void an_updated_file_updates_in_place_and_never_duplicates_a_family() {
        roster.commit(samples(), Actor.staff(1), null);
        long linaId = Sql.count(jdbi, "select id from child where external_id = 'E1001'");
        long family = Sql.count(jdbi, "select family_id from child where external_id = 'E1001'");
        String pupils =
                new String(sample("eleves.csv"), StandardCharsets.UTF_8)
                                .replace(
                                        "E1001;Martin;Lina;0211234A;CM1;CM1 A",
                                        "E1001;Martin;Lina;0211234A;CM2;CM2 A")
                        + "E1006;Martin;Sacha;0211234A;CP;CP;\r\n";
        String guardians =
                new String(sample("responsables.csv"), StandardCharsets.UTF_8)
                        .replace("sophie.martin@example.fr", "sophie.m@example.fr");
        String links = new String(sample("liens.csv"), StandardCharsets.UTF_8) + "E1006;R2002\r\n";
        String devices =
                new String(sample("equipements.csv"), StandardCharsets.UTF_8)
                        .replace(
                                "CHN-9006;SN90010006;Lenovo 300e;;stock",
                                "CHN-9006;SN90010006;Lenovo 300e;E1006;prêté")
                        .replace(
                                "CHN-9004;SN90010004;Lenovo 300e;E1004;prêté",
                                "CHN-9004;SN90010004;Lenovo 300e;E1004;rendu");
        RosterImport.Files files =
                new RosterImport.Files(
                        pupils.getBytes(StandardCharsets.UTF_8),
                        guardians.getBytes(StandardCharsets.UTF_8),
                        links.getBytes(StandardCharsets.UTF_8),
                        devices.getBytes(StandardCharsets.UTF_8));

        RosterImport.Outcome preview = roster.preview(files);
        assertThat(preview.problems()).isEmpty();
        assertThat(preview.pupils()).isEqualTo(new RosterImport.Counts(1, 1, 4));
        assertThat(preview.guardians()).isEqualTo(new RosterImport.Counts(0, 1, 4));
        assertThat(preview.devices()).isEqualTo(new RosterImport.Counts(0, 2, 4));
        assertThat(preview.familiesCreated()).isZero();
        assertThat(roster.commit(files, Actor.staff(1), null))
                .as("the commit does what the preview said")
                .isEqualTo(preview);

        assertThat(Sql.count(jdbi, "select id from child where external_id = 'E1001'"))
                .isEqualTo(linaId);
        assertThat(Sql.text(jdbi, "select class_level from child where external_id = 'E1001'"))
                .isEqualTo("CM2");
        assertThat(Sql.count(jdbi, "select family_id from child where external_id = 'E1006'"))
                .isEqualTo(family);
        assertThat(Sql.text(jdbi, "select email from guardian where external_id = 'R2001'"))
                .isEqualTo("sophie.m@example.fr");
        assertThat(Sql.text(jdbi, "select state from device where asset_tag = 'CHN-9004'"))
                .isEqualTo("returned");
        assertThat(
                        Sql.text(
                                jdbi,
                                "select c.external_id from device d join child c on c.id = d.child_id "
                                        + "where d.asset_tag = 'CHN-9006'"))
                .isEqualTo("E1006");
        assertThat(Sql.count(jdbi, "select count(*) from family where imported_at is not null"))
                .isEqualTo(4);
        assertThat(roster.preview(files).changesSomething()).isFalse();
    }

    @Test
    void a_link_that_joins_two_known_families_merges_them_into_one() {
        roster.commit(samples(), Actor.staff(1), null);
        // Fatou Diallo (R2003) is also the guardian of Noah (E1004), who had a family of his own.
        RosterImport.Files link =
                new RosterImport.Files(
                        null,
                        null,
                        "id_eleve;id_responsable\nE1004;R2003\n".getBytes(StandardCharsets.UTF_8),
                        null);
        RosterImport.Outcome preview = roster.preview(link);
        assertThat(preview.problems()).isEmpty();
        assertThat(preview.familiesMerged()).isEqualTo(1);
        assertThat(roster.commit(link, Actor.staff(1), null))
                .as("the commit does what the preview said")
                .isEqualTo(preview);
        assertThat(
                        Sql.count(
                                jdbi,
                                "select count(distinct family_id) from child where external_id in ('E1003', 'E1004')"))
                .isEqualTo(1);
        assertThat(Sql.count(jdbi, "select count(*) from family where imported_at is not null"))
                .isEqualTo(3);
    }

    @Test
    void a_device_lent_to_a_child_of_a_trained_family_may_go_home_at_once() {
        roster.commit(samples(), Actor.staff(1), null);
        jdbi.useHandle(
                h ->
                        h.execute(
                                """
                insert into attendance (session_id, guardian_id, mark, marked_at)
                select (select s.id from workshop_session s join workshop_type w on w.id = s.workshop_type_id
                        where w.qualifies_for_home_use order by s.id limit 1), g.id, 'present', now()
                from guardian g where g.external_id = 'R2005'"""));
        // that workshop asks for the charter: the guardian signed it, so the family is trained by
        // the one rule (V10)
        jdbi.useHandle(
                h ->
                        h.execute(
                                """
                insert into charter_signature (guardian_id, charter_version_id, image_png, signed_at, client_id)
                select g.id, (select id from charter_version where version = 1), decode(repeat('89', 100), 'hex'), now(),
                       gen_random_uuid()
                from guardian g where g.external_id = 'R2005'"""));
        String devices = new String(sample("equipements.csv"), StandardCharsets.UTF_8);
        assertThat(
                        roster.commit(
                                        new RosterImport.Files(
                                                null,
                                                null,
                                                null,
                                                devices.replace(
                                                                "CHN-9005;SN90010005;Lenovo 300e;E1005;",
                                                                "CHN-9005;SN90010005;Lenovo 300e;;stock")
                                                        .getBytes(StandardCharsets.UTF_8)),
                                        Actor.staff(1),
                                        null)
                                .ok())
                .isTrue();
        assertThat(
                        roster.commit(
                                        new RosterImport.Files(
                                                null,
                                                null,
                                                null,
                                                devices.getBytes(StandardCharsets.UTF_8)),
                                        Actor.staff(1),
                                        null)
                                .ok())
                .isTrue();
        assertThat(Sql.text(jdbi, "select state from device where asset_tag = 'CHN-9005'"))
                .isEqualTo("home_use");
        assertThat(Sql.text(jdbi, "select state from device where asset_tag = 'CHN-9003'"))
                .isEqualTo("school_only");
    }
}
