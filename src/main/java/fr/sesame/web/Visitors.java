package fr.sesame.web;

import io.javalin.http.Context;

/**
 * Who is asking, as the web layer needs to know it: implemented by the sign-in feature, so that
 * {@code web} knows no feature (the composition root hands the implementation to {@link
 * WebApp#create}).
 */
public interface Visitors {

    /** The signed-in web user, or null. */
    CurrentUser webUser(Context ctx);

    /** The API client of the request's bearer token, or null. */
    CurrentUser apiClient(Context ctx);

    /**
     * The CSRF token of the visitor's sign-in (created, with its cookie, when missing): what forms
     * carry.
     */
    String csrfToken(Context ctx);

    /**
     * Whether the given token is the CSRF token of the visitor's sign-in (false when there is
     * none).
     */
    boolean csrfMatches(Context ctx, String given);

    /** Stores what the request changed in the visitor's sign-in (after every request). */
    void save(Context ctx);
}
