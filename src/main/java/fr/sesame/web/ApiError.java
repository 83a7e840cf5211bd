package fr.sesame.web;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The JSON error body of every API: {"error":{"code":"...","message":"..."}}, with "field" when one
 * is wrong.
 */
public record ApiError(Detail error) {

    /** The error itself; "field" only when one field of the request is wrong. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Detail(String code, String message, String field) {}

    public static ApiError body(String code, String message) {
        return new ApiError(new Detail(code, message, null));
    }

    /** The same, naming the request's field that is wrong. */
    public static ApiError body(String code, String message, String field) {
        return new ApiError(new Detail(code, message, field));
    }
}
