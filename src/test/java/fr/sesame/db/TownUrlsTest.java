package fr.sesame.db;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The rule that makes a town's address from BASE_URL and the town's host name. */
class TownUrlsTest {
    @Test
    void the_town_s_host_replaces_base_url_s_keeping_scheme_port_and_path() {
        assertThat(TownUrls.of("https://sesame.syndicat.example", "chenove.sesame.example"))
                .isEqualTo("https://chenove.sesame.example");
        assertThat(TownUrls.of("http://localhost:7070", "127.0.0.1"))
                .isEqualTo("http://127.0.0.1:7070");
        assertThat(TownUrls.of("https://syndicat.example:8443/sesame", "talant.example"))
                .isEqualTo("https://talant.example:8443/sesame");
    }

    @Test
    void a_town_without_a_host_and_code_without_towns_use_base_url() {
        assertThat(TownUrls.of("https://sesame.example", null)).isEqualTo("https://sesame.example");
        assertThat(TownUrls.of("https://sesame.example", " ")).isEqualTo("https://sesame.example");
        assertThat(TownUrls.fixed("https://sesame.example").current())
                .isEqualTo("https://sesame.example");
    }
}
