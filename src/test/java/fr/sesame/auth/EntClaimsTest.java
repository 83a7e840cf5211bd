package fr.sesame.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.sesame.Config;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ENT's answers are read leniently, whatever their format. */
class EntClaimsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Config.Ent ENT =
            new Config.Ent(
                    "https://ent.example/d",
                    "c",
                    "s",
                    "openid userinfo",
                    null,
                    "type",
                    List.of("Relative", "PERSRELELEVE"),
                    "childrenIds",
                    "uai",
                    null);

    private static EntClaims read(Map<String, Object> idToken, String userinfo) throws Exception {
        return EntClaims.read(idToken, userinfo == null ? null : JSON.readTree(userinfo), ENT);
    }

    @Test
    void the_ent_v1_userinfo_without_sub_gives_type_children_schools_and_names() throws Exception {
        EntClaims c =
                read(
                        Map.of("sub", "x"),
                        """
                {"type":"Relative","childrenIds":["c1","c2"],"uai":["0211234A"],"firstName":"Nadia",
                 "lastName":"HADDAD","externalId":"AAF-1","login":"nadia.haddad"}""");
        assertThat(c.isParent(ENT.parentTypes())).isTrue();
        assertThat(c.childrenIds()).containsExactly("c1", "c2");
        assertThat(c.schools()).containsExactly("0211234A");
        assertThat(c)
                .extracting(EntClaims::firstName, EntClaims::lastName, EntClaims::externalId)
                .containsExactly("Nadia", "HADDAD", "AAF-1");
    }

    @Test
    void claims_may_be_lists_comma_separated_strings_objects_or_numbers() throws Exception {
        EntClaims c =
                read(
                        Map.of(),
                        """
                {"type":["PERSRELELEVE"],"childrenIds":"c1, c2,,c1","uai":"0211234A,0215678B",
                 "children":{"c3":{"firstName":"Lou"}}}""");
        assertThat(c.isParent(ENT.parentTypes())).isTrue();
        assertThat(c.childrenIds()).containsExactly("c1", "c2", "c3");
        assertThat(c.schools()).containsExactly("0211234A", "0215678B");

        EntClaims objects =
                read(
                        Map.of(),
                        """
                {"type":"relative","childrenIds":[{"id":"c4","displayName":"Zoé"},{"externalId":"c5"},42,null,{}]}""");
        assertThat(objects.isParent(ENT.parentTypes())).as("case-insensitive").isTrue();
        assertThat(objects.childrenIds()).containsExactly("c4", "c5", "42");
    }

    @Test
    void userinfo_overrides_the_id_token_and_the_id_token_fills_the_gaps() throws Exception {
        EntClaims c =
                read(
                        Map.of("type", "Student", "given_name", "Ana", "family_name", "Garcia"),
                        "{\"type\":\"Relative\"}");
        assertThat(c.types()).containsExactly("Relative");
        assertThat(c.firstName()).isEqualTo("Ana");
        assertThat(c.lastName()).isEqualTo("Garcia");
    }

    @Test
    void pupils_teachers_and_accounts_without_a_type_are_not_parents() throws Exception {
        for (String type :
                new String[] {
                    "\"Student\"",
                    "\"ELEVE\"",
                    "\"Teacher\"",
                    "\"ENSEIGNANT\"",
                    "\"Personnel\"",
                    "null",
                    "{}",
                    "[]"
                }) {
            JsonNode userinfo = JSON.readTree("{\"type\":" + type + "}");
            assertThat(EntClaims.read(Map.of(), userinfo, ENT).isParent(ENT.parentTypes()))
                    .as(type)
                    .isFalse();
        }
        assertThat(read(Map.of(), "{}").isParent(ENT.parentTypes())).isFalse();
    }

    @Test
    void names_match_whatever_their_accents_case_and_punctuation() {
        assertThat(EntService.normalizedName("Aïcha", "Da Silva"))
                .isEqualTo(EntService.normalizedName("AICHA", "da-silva"));
        assertThat(EntService.normalizedName("Hélène", "Lefèvre")).isEqualTo("helene lefevre");
        assertThat(EntService.normalizedName(null, "Martin")).isNull();
    }
}
