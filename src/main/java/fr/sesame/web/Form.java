package fr.sesame.web;

import java.util.Map;

/** What a form shows back: the values typed, and an error message key per field. */
public record Form(Map<String, String> values, Map<String, String> errors) {
    public static final Form EMPTY = new Form(Map.of(), Map.of());

    public String value(String field) {
        return values.getOrDefault(field, "");
    }

    public String error(String field) {
        return errors.get(field);
    }

    public boolean hasErrors() {
        return !errors.isEmpty();
    }

    /** Only a path of this site, never another host (no open redirect); empty when it is not one. */
    public static String localPath(String next) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.contains("\\")
                || next.chars().anyMatch(c -> c < 0x20) || next.length() > 300) {
            return "";
        }
        return next;
    }
}
