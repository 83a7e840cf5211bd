package fr.sesame.web;

import java.util.Map;

/** The JSON error body of every API: {"error":{"code":"...","message":"..."}}. */
public final class ApiError {
    private ApiError() {
    }

    public static Map<String, Object> body(String code, String message) {
        return Map.of("error", Map.of("code", code, "message", message));
    }
}
