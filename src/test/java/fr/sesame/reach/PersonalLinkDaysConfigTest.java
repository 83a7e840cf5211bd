package fr.sesame.reach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.sesame.Config;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** PERSONAL_LINK_DAYS: 14 by default, 1 to 90, a clear message otherwise. */
class PersonalLinkDaysConfigTest {
    @Test
    void the_validity_of_personal_links_defaults_to_14_days_and_refuses_nonsense() {
        assertThat(Config.fromEnvironment(Map.of(), false).personalLinkDays()).isEqualTo(14);
        assertThat(
                        Config.fromEnvironment(Map.of("PERSONAL_LINK_DAYS", " 30 "), false)
                                .personalLinkDays())
                .isEqualTo(30);
        for (String wrong : new String[] {"0", "91", "two weeks", ""}) {
            assertThatThrownBy(
                            () ->
                                    Config.fromEnvironment(
                                            Map.of("PERSONAL_LINK_DAYS", wrong), false))
                    .isInstanceOf(Config.ConfigException.class)
                    .hasMessageContaining("PERSONAL_LINK_DAYS must be a number of days");
        }
    }
}
