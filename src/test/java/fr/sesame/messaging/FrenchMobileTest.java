package fr.sesame.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import fr.sesame.messaging.FrenchMobile.Problem;
import org.junit.jupiter.api.Test;

class FrenchMobileTest {
    @Test
    void the_ways_people_write_a_french_mobile_all_become_e164() {
        for (String written :
                new String[] {
                    "06 12 34 56 78",
                    "0612345678",
                    "06.12.34.56.78",
                    "06-12-34-56-78",
                    "+33 6 12 34 56 78",
                    "+33612345678",
                    "+33 (0)6 12 34 56 78",
                    "0033 6 12 34 56 78",
                    "0033612345678",
                    " 06 12 34 56 78 ",
                    "33612345678"
                }) {
            assertThat(FrenchMobile.normalize(written)).as(written).contains("+33612345678");
        }
        assertThat(FrenchMobile.normalize("07 11 22 33 44")).contains("+33711223344");
    }

    @Test
    void landlines_special_numbers_foreign_numbers_and_garbage_are_refused_each_with_its_reason() {
        assertThat(FrenchMobile.check("03 80 12 34 56").problem()).isEqualTo(Problem.FIXED_LINE);
        assertThat(FrenchMobile.check("+33 1 40 00 00 00").problem()).isEqualTo(Problem.FIXED_LINE);
        assertThat(FrenchMobile.check("09 70 00 00 00").problem()).isEqualTo(Problem.FIXED_LINE);
        assertThat(FrenchMobile.check("08 00 00 00 00").problem()).isEqualTo(Problem.SPECIAL);
        assertThat(FrenchMobile.check("+44 7700 900123").problem()).isEqualTo(Problem.FOREIGN);
        assertThat(FrenchMobile.check("0044 7700 900123").problem()).isEqualTo(Problem.FOREIGN);
        assertThat(FrenchMobile.check("+590 690 12 34 56").problem()).isEqualTo(Problem.FOREIGN);
        for (String garbage :
                new String[] {
                    "",
                    "  ",
                    "abc",
                    "06 12 34 56",
                    "06 12 34 56 78 90",
                    "6 12 34 56 78",
                    "06 12 34 56 7a",
                    "+33 6 12 34 56 78 +33",
                    "=06 12 34 56 78",
                    null
                }) {
            assertThat(FrenchMobile.check(garbage).problem())
                    .as(garbage)
                    .isEqualTo(Problem.GARBAGE);
        }
    }

    @Test
    void an_e164_mobile_reads_back_the_french_way() {
        assertThat(FrenchMobile.display("+33612345678")).isEqualTo("06 12 34 56 78");
        assertThat(FrenchMobile.isE164Mobile("+33612345678")).isTrue();
        assertThat(FrenchMobile.isE164Mobile("+33312345678")).isFalse();
    }
}
