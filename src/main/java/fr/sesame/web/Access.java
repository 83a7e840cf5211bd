package fr.sesame.web;

import fr.sesame.web.CurrentUser.Role;
import io.javalin.security.RouteRole;

/** Who may use a route. Every route of the route table names one. */
public enum Access implements RouteRole {
    /** Anyone, signed in or not. */
    PUBLIC,
    /** A parent, for their own family only. */
    PARENT,
    /** Anyone signed in to the web pages (parent or staff). */
    SIGNED_IN,
    /** A trainer (their own sessions) or an admin. */
    TRAINER,
    /** School staff (read-only, their own school) or an admin. */
    SCHOOL_STAFF,
    /** The education service. */
    ADMIN,
    /** Any API client with a valid token, whatever its scope. */
    API_ANY,
    /** An API client whose token has the read scope (or admin). */
    API_READ,
    /** An API client whose token has the IT scope (or admin). */
    API_IT,
    /** An API client whose token has the admin scope. */
    API_ADMIN,
    /** Called by the ENT's server, authenticated by its signed token (back-channel logout). */
    ENT_SERVER,
    /**
     * The metrics scraper, with the METRICS_TOKEN bearer (checked by the handler: no user or API
     * role has it).
     */
    METRICS,
    /**
     * The SMS provider's call back with delivery reports, authenticated by the secret in its
     * address (checked by the handler: no user or API role has it; no CSRF, it is a server, not a
     * page).
     */
    SMS_PROVIDER;

    public boolean isApi() {
        return this == API_ANY || this == API_READ || this == API_IT || this == API_ADMIN;
    }

    /**
     * Whether this user may use a route with this access (PUBLIC and ENT_SERVER are decided
     * elsewhere).
     */
    public boolean allows(CurrentUser user) {
        if (user == null) return false;
        Role role = user.role();
        return switch (this) {
            case PUBLIC, ENT_SERVER -> true;
            case PARENT -> role == Role.PARENT;
            case SIGNED_IN -> role != Role.API;
            case TRAINER -> role == Role.TRAINER || role == Role.ADMIN;
            case SCHOOL_STAFF -> role == Role.SCHOOL_STAFF || role == Role.ADMIN;
            case ADMIN -> role == Role.ADMIN;
            case API_ANY -> role == Role.API;
            case API_READ ->
                    role == Role.API
                            && (user.apiScope().equals("read") || user.apiScope().equals("admin"));
            case API_IT ->
                    role == Role.API
                            && (user.apiScope().equals("it") || user.apiScope().equals("admin"));
            case API_ADMIN -> role == Role.API && user.apiScope().equals("admin");
            case METRICS, SMS_PROVIDER -> false;
        };
    }
}
