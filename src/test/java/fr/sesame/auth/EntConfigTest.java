package fr.sesame.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.sesame.Config;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every ENT-specific point is configuration, with the defaults of the most common ENT. */
class EntConfigTest {
    private static final Map<String, String> BASE =
            Map.of(
                    "ENT_DISCOVERY_URL",
                    "https://ent.example/auth/openid/.well-known/openid-configuration",
                    "ENT_CLIENT_ID",
                    "sesame",
                    "ENT_CLIENT_SECRET",
                    "s3cret");

    private static Config config(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(BASE);
        env.putAll(extra);
        return Config.fromEnvironment(env, false);
    }

    @Test
    void without_a_discovery_url_the_ent_is_off() {
        assertThat(Config.fromEnvironment(Map.of(), false).ent()).isNull();
    }

    @Test
    void the_defaults_are_those_of_the_most_common_ent() {
        Config.Ent ent = config(Map.of()).ent();
        assertThat(ent.scopes()).isEqualTo("openid userinfo");
        assertThat(ent.claimType()).isEqualTo("type");
        assertThat(ent.parentTypes()).containsExactly("Relative", "PERSRELELEVE");
        assertThat(ent.claimChildren()).isEqualTo("childrenIds");
        assertThat(ent.claimSchools()).isEqualTo("uai");
        assertThat(ent.userinfoUrl()).isNull();
        assertThat(ent.logoutUrl()).isNull();
        assertThat(ent.toString()).doesNotContain("s3cret");
    }

    @Test
    void another_vendor_is_described_by_configuration_alone() {
        Config.Ent ent =
                config(
                                Map.of(
                                        "ENT_SCOPES",
                                        "openid profile",
                                        "ENT_CLAIM_TYPE",
                                        "profile",
                                        "ENT_PARENT_TYPES",
                                        " parent , tuteur ",
                                        "ENT_CLAIM_CHILDREN",
                                        "enfants",
                                        "ENT_CLAIM_SCHOOLS",
                                        "rne",
                                        "ENT_USERINFO_URL",
                                        "https://ent.example/userinfo?version=v2.1",
                                        "ENT_LOGOUT_URL",
                                        "https://ent.example/logout?callback={callback}"))
                        .ent();
        assertThat(ent.parentTypes()).isEqualTo(List.of("parent", "tuteur"));
        assertThat(ent)
                .extracting(
                        Config.Ent::scopes,
                        Config.Ent::claimType,
                        Config.Ent::claimChildren,
                        Config.Ent::claimSchools)
                .containsExactly("openid profile", "profile", "enfants", "rne");
        assertThat(ent.userinfoUrl()).endsWith("?version=v2.1");
        assertThat(ent.logoutUrl()).contains("{callback}");
    }

    @Test
    void an_incomplete_ent_configuration_is_refused_with_a_clear_message() {
        assertThatThrownBy(
                        () ->
                                Config.fromEnvironment(
                                        Map.of("ENT_DISCOVERY_URL", "https://ent.example/x"),
                                        false))
                .hasMessageContaining("ENT_CLIENT_ID and ENT_CLIENT_SECRET must be set");
        assertThatThrownBy(() -> Config.fromEnvironment(Map.of("ENT_CLIENT_ID", "sesame"), false))
                .hasMessageContaining("ENT_DISCOVERY_URL is not");
        assertThatThrownBy(() -> config(Map.of("ENT_DISCOVERY_URL", "ent.example")))
                .hasMessageContaining("ENT_DISCOVERY_URL must be an absolute http(s) URL");
        assertThatThrownBy(() -> config(Map.of("ENT_PARENT_TYPES", " , ")))
                .hasMessageContaining("ENT_PARENT_TYPES must list at least one");
    }
}
