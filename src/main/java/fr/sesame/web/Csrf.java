package fr.sesame.web;

/** Names shared by the CSRF check and the forms that carry the token. */
public final class Csrf {
    public static final String ATTRIBUTE = "csrfToken";
    public static final String FIELD = "_csrf";
    public static final String HEADER = "X-CSRF-Token";

    private Csrf() {}
}
