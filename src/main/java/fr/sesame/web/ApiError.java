package fr.sesame.web;

import java.util.Map;

/**
 * The JSON error body of every API: {"error":{"code":"...","message":"..."}}, with "field" when one
 * is wrong.
 */
public final class ApiError {
    private ApiError() {}

    public static Map<String, Object> body(String code, String message) {
        return Map.of("error", Map.of("code", code, "message", message));
    }

    /** The same, naming the request's field that is wrong. */
    public static Map<String, Object> body(String code, String message, String field) {
        return Map.of("error", Map.of("code", code, "message", message, "field", field));
    }
}
