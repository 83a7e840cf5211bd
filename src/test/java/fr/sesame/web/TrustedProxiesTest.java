package fr.sesame.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.sesame.Config;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * TRUSTED_PROXIES is read strictly: a wrong entry stops start-up with a message saying what to
 * write.
 */
class TrustedProxiesTest {

    @Test
    void addresses_and_ranges_of_both_families_are_accepted_and_nothing_else() {
        assertThat(TrustedProxies.parse("10.0.0.5, 192.168.0.0/24,::1, fd00::/8").isEmpty())
                .isFalse();
        assertThat(TrustedProxies.parse(null).isEmpty()).isTrue();
        assertThat(TrustedProxies.parse(" , ").isEmpty()).isTrue();
        for (String wrong :
                new String[] {
                    "proxy.example", "10.0.0.0/33", "300.1.1.1", "10.0.0.0/x", "::1/129"
                }) {
            assertThatThrownBy(() -> TrustedProxies.parse(wrong))
                    .as(wrong)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void a_wrong_trusted_proxies_setting_is_a_configuration_error_naming_the_variable() {
        assertThatThrownBy(
                        () ->
                                Config.fromEnvironment(
                                        Map.of("TRUSTED_PROXIES", "10.0.0.1,nginx"), false))
                .isInstanceOf(Config.ConfigException.class)
                .hasMessageContaining("TRUSTED_PROXIES")
                .hasMessageContaining("'nginx'");
    }
}
