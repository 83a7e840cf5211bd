package fr.sesame.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.sesame.Config;
import fr.sesame.json.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What Sésame reads from an ENT account, whatever the ENT's format: the ID token's claims, overlaid
 * with the userinfo answer. Lenient: a claim may be a string, a list, a comma-separated string or
 * (for children, ENT v2) an object keyed by id; anything unexpected is ignored.
 */
record EntClaims(
        List<String> types,
        List<String> childrenIds,
        List<ChildName> childrenNames,
        List<String> schools,
        String firstName,
        String lastName,
        String externalId) {
    private static final ObjectMapper JSON = Json.mapper();
    private static final int MAX_VALUES = 50;
    private static final int MAX_LENGTH = 200;

    /** The ENT v2 format's children: {"id": {"firstName": ..., "lastName": ...}}. */
    static final String V2_CHILDREN = "children";

    /**
     * A child as the ENT v2 format names it: the evidence for a family whose roster has no ENT ids.
     */
    record ChildName(String firstName, String lastName) {}

    static EntClaims read(Map<String, Object> idToken, JsonNode userinfo, Config.Ent ent) {
        ObjectNode all = JSON.valueToTree(idToken);
        if (userinfo != null && userinfo.isObject()) all.setAll((ObjectNode) userinfo);
        Set<String> children = new LinkedHashSet<>(ids(all.get(ent.claimChildren())));
        if (!V2_CHILDREN.equals(ent.claimChildren())) children.addAll(ids(all.get(V2_CHILDREN)));
        return new EntClaims(
                values(all.get(ent.claimType())),
                cap(new ArrayList<>(children)),
                names(all.get(V2_CHILDREN)),
                values(all.get(ent.claimSchools())),
                first(all, "firstName", "given_name"),
                first(all, "lastName", "family_name"),
                first(all, "externalId"));
    }

    /** Whether the account's type is one of the parent types (compared without regard to case). */
    boolean isParent(List<String> parentTypes) {
        return types.stream()
                .anyMatch(t -> parentTypes.stream().anyMatch(p -> p.equalsIgnoreCase(t)));
    }

    /** Strings of a claim: "a", ["a", "b"], "a,b"; numbers are read as strings. */
    private static List<String> values(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node == null || node.isNull()) return out;
        if (node.isArray()) {
            for (JsonNode item : node) {
                if (item.isValueNode() && !item.isNull()) addSplit(out, item.asText());
            }
        } else if (node.isValueNode()) {
            addSplit(out, node.asText());
        }
        return cap(out);
    }

    /**
     * Ids of children: a list of strings, a list of objects with an id, or an object keyed by id
     * (ENT v2).
     */
    private static List<String> ids(JsonNode node) {
        if (node == null || node.isNull()) return List.of();
        if (node.isObject()) {
            List<String> out = new ArrayList<>();
            for (Iterator<String> names = node.fieldNames(); names.hasNext(); )
                add(out, names.next());
            return cap(out);
        }
        if (node.isArray()) {
            List<String> out = new ArrayList<>();
            for (JsonNode item : node) {
                if (item.isValueNode() && !item.isNull()) add(out, item.asText());
                else if (item.isObject()) add(out, firstText(item, "id", "externalId"));
            }
            return cap(out);
        }
        return values(node);
    }

    /**
     * The first and last names of the v2 children object {"id": {"firstName", "lastName"}}, or of a
     * list of such.
     */
    private static List<ChildName> names(JsonNode node) {
        List<ChildName> out = new ArrayList<>();
        if (node == null || !(node.isObject() || node.isArray())) return out;
        for (JsonNode child : node) {
            if (!child.isObject() || out.size() >= MAX_VALUES) continue;
            String firstName = first(child, "firstName", "given_name");
            String lastName = first(child, "lastName", "family_name");
            if (firstName != null && lastName != null) out.add(new ChildName(firstName, lastName));
        }
        return List.copyOf(out);
    }

    private static String first(JsonNode all, String... names) {
        String value = firstText(all, names);
        return value == null || value.isBlank() || value.length() > MAX_LENGTH
                ? null
                : value.trim();
    }

    private static String firstText(JsonNode node, String... names) {
        for (String name : names) {
            JsonNode value = node.get(name);
            if (value != null
                    && value.isValueNode()
                    && !value.isNull()
                    && !value.asText().isBlank()) {
                return value.asText();
            }
        }
        return null;
    }

    private static void addSplit(List<String> out, String text) {
        for (String part : text.split(",")) add(out, part);
    }

    private static void add(List<String> out, String value) {
        if (value == null) return;
        String v = value.trim();
        if (!v.isEmpty() && v.length() <= MAX_LENGTH && !out.contains(v)) out.add(v);
    }

    private static List<String> cap(List<String> values) {
        return List.copyOf(values.size() > MAX_VALUES ? values.subList(0, MAX_VALUES) : values);
    }

    /** For logs: the type without personal data. */
    String typeForLog() {
        return types.isEmpty()
                ? "none"
                : String.join("|", types).toLowerCase(Locale.ROOT).replaceAll("[^a-z|]", "");
    }
}
