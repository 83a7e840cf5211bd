package fr.sesame.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SmsPartsTest {
    @Test
    void plain_gsm7_text_fits_160_characters_in_one_part_and_161_takes_two_of_153() {
        assertThat(SmsParts.of("a".repeat(160))).isEqualTo(new SmsParts.Parts("GSM-7", 160, 1));
        assertThat(SmsParts.of("a".repeat(161))).isEqualTo(new SmsParts.Parts("GSM-7", 161, 2));
        assertThat(SmsParts.of("a".repeat(306)).parts()).isEqualTo(2);
        assertThat(SmsParts.of("a".repeat(307)).parts()).isEqualTo(3);
        assertThat(SmsParts.of("a".repeat(161)).perPart()).isEqualTo(153);
    }

    @Test
    void french_accents_of_the_gsm_alphabet_stay_gsm7_but_c_cedilla_and_circumflexes_do_not() {
        assertThat(SmsParts.of("Réunion à l'école, où, Ça").encoding()).isEqualTo("GSM-7");
        assertThat(SmsParts.isGsm7("français")).isFalse();
        assertThat(SmsParts.isGsm7("fenêtre")).isFalse();
        assertThat(SmsParts.isGsm7("Noël")).isFalse();
        assertThat(SmsParts.of("français").encoding()).isEqualTo("UCS-2");
    }

    @Test
    void extension_characters_count_two_septets_and_an_escape_pair_is_never_split() {
        assertThat(SmsParts.of("€").units()).isEqualTo(2);
        assertThat(SmsParts.of("[]{}^~|\\€").units()).isEqualTo(18);
        // 80 euro signs are 160 septets: one part; 81 are 162: two
        assertThat(SmsParts.of("€".repeat(80)).parts()).isEqualTo(1);
        assertThat(SmsParts.of("€".repeat(81)).parts()).isEqualTo(2);
        // 152 septets then a euro sign: the pair does not fit the first part's last septet
        String text = "a".repeat(152) + "€" + "a".repeat(152);
        assertThat(SmsParts.of(text).units()).isEqualTo(306);
        assertThat(SmsParts.of(text).parts()).isEqualTo(3);
        assertThat(SmsParts.of("a".repeat(151) + "€" + "a".repeat(153)).parts()).isEqualTo(2);
    }

    @Test
    void one_character_outside_gsm7_makes_the_whole_text_ucs2_at_70_then_67_per_part() {
        assertThat(SmsParts.of("مرحبا")).isEqualTo(new SmsParts.Parts("UCS-2", 5, 1));
        assertThat(SmsParts.of("Привіт".repeat(11) + "abcd").parts()).isEqualTo(1); // 70
        assertThat(SmsParts.of("ж".repeat(71))).isEqualTo(new SmsParts.Parts("UCS-2", 71, 2));
        assertThat(SmsParts.of("ж".repeat(134)).parts()).isEqualTo(2);
        assertThat(SmsParts.of("ж".repeat(135)).parts()).isEqualTo(3);
        assertThat(SmsParts.of("a".repeat(100) + "ç").encoding()).isEqualTo("UCS-2");
        assertThat(SmsParts.of("a".repeat(100) + "ç").parts()).isEqualTo(2);
    }

    @Test
    void an_emoji_takes_two_units_and_is_never_split_across_parts() {
        assertThat(SmsParts.of("🙂").units()).isEqualTo(2);
        assertThat(SmsParts.of("a".repeat(68) + "🙂"))
                .isEqualTo(new SmsParts.Parts("UCS-2", 70, 1));
        // 66 units then the pair: it does not fit the one unit left of the first part
        String text = "a".repeat(66) + "🙂" + "a".repeat(66);
        assertThat(SmsParts.of(text).parts()).isEqualTo(3);
        assertThat(SmsParts.of("a".repeat(65) + "🙂" + "a".repeat(67)).parts()).isEqualTo(2);
    }

    @Test
    void folding_turns_latin_letters_with_a_close_gsm7_form_into_it_and_keeps_the_rest() {
        assertThat(SmsParts.foldToGsm7("Françoise à l’école, fenêtre « là » – oui…"))
                .isEqualTo("Francoise à l'école, fenetre \" là \" - oui...");
        assertThat(SmsParts.foldToGsm7("Öğretmen, şimdi ılık")).isEqualTo("Ögretmen, simdi ilik");
        assertThat(SmsParts.foldToGsm7("Atenção, sessão às 17h"))
                .isEqualTo("Atencao, sessao às 17h");
        assertThat(SmsParts.foldToGsm7("مرحبا Привіт")).isEqualTo("مرحبا Привіт");
        assertThat(SmsParts.isGsm7(SmsParts.foldToGsm7("Être là, Œuvre, ça"))).isTrue();
    }
}
