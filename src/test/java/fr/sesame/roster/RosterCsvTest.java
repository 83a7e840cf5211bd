package fr.sesame.roster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Reading one file, without a database. */
class RosterCsvTest {
    static RosterCsv.Table read(RosterCsv.Kind kind, String text) {
        return RosterCsv.read(kind, text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void french_and_english_headers_with_accents_case_and_spaces_name_the_same_columns() {
        assertThat(RosterCsv.normalizeHeader(" Prénom ")).isEqualTo("prenom");
        assertThat(RosterCsv.normalizeHeader("E-mail")).isEqualTo("e_mail");
        assertThat(RosterCsv.normalizeHeader("N° inventaire")).isEqualTo("n_inventaire");
        RosterCsv.Table t = read(RosterCsv.Kind.LINKS, "Pupil ID,Guardian-ID\nE1,R1\n");
        assertThat(t.problems()).isEmpty();
        assertThat(t.rows().get(0).values())
                .containsEntry("pupil_id", "E1")
                .containsEntry("guardian_id", "R1");
    }

    @Test
    void a_trailing_separator_in_the_header_is_harmless_while_its_cells_stay_empty() {
        RosterCsv.Table t =
                read(RosterCsv.Kind.LINKS, "id_eleve;id_responsable;\r\nE1;R1;\r\nE2;R2;oops\r\n");
        assertThat(t.rows()).hasSize(1);
        assertThat(t.problems())
                .extracting(Problem::line, Problem::key)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(3, "roster.problem.unnamed"));
    }

    @Test
    void line_numbers_count_the_header_and_quoted_line_breaks_and_old_mac_line_ends() {
        RosterCsv.Table t =
                read(RosterCsv.Kind.LINKS, "id_eleve;id_responsable\r\"E\n1\";R1\r\rE2;R2;R3\r");
        assertThat(t.rows()).hasSize(1);
        assertThat(t.rows().get(0).line()).isEqualTo(2);
        assertThat(t.problems()).extracting(Problem::line).containsExactly(5);
    }

    @Test
    void phone_numbers_are_not_formulas_but_formulas_are() {
        assertThat(RosterCsv.looksLikeFormula("+33 6 12 34 56 78")).isFalse();
        assertThat(RosterCsv.looksLikeFormula("-")).isFalse();
        assertThat(RosterCsv.looksLikeFormula("=1+1")).isTrue();
        assertThat(RosterCsv.looksLikeFormula("@SUM(A1)")).isTrue();
        assertThat(RosterCsv.looksLikeFormula("+cmd|' /C calc'!A0")).isTrue();
        assertThat(RosterCsv.looksLikeFormula("-2+3+cmd|' /C calc'!A0")).isTrue();
    }

    @Test
    void the_separator_is_the_one_the_header_uses_more() {
        assertThat(RosterCsv.separatorOf("a;b;c\n1,5;2;3")).isEqualTo(';');
        assertThat(RosterCsv.separatorOf("a,b,c\n1;2;3")).isEqualTo(',');
    }
}
