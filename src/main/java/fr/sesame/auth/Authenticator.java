package fr.sesame.auth;

import fr.sesame.web.Csrf;
import fr.sesame.web.CurrentUser;
import fr.sesame.web.Visitors;
import io.javalin.http.Context;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** Finds who is making a request: from the session cookie (web pages) or a bearer token (API). */
public final class Authenticator implements Visitors {
    public static final String TOKEN_PREFIX = "ses_";
    private static final String ATTRIBUTE = CurrentUser.class.getName();

    private final Jdbi jdbi;
    private final LoginSessions sessions;

    public Authenticator(Jdbi jdbi, LoginSessions sessions) {
        this.jdbi = jdbi;
        this.sessions = sessions;
    }

    /** The signed-in web user, or null. A disabled account or a removed guardian is signed out. */
    @Override
    public CurrentUser webUser(Context ctx) {
        // A null attribute is no attribute in a servlet request: nobody found is looked up again
        // (cheaply: the
        // session lookup is kept), so that a sign-in during this request is seen. attributeMap()
        // would copy them all.
        CurrentUser known = ctx.attribute(ATTRIBUTE);
        if (known != null) return known;
        CurrentUser user = null;
        LoginSession session = sessions.current(ctx);
        if (session != null && session.signedIn()) {
            user = sessions.userOf(session);
            if (user == null) sessions.signOut(ctx);
        }
        ctx.attribute(ATTRIBUTE, user);
        return user;
    }

    /** The API client of an "Authorization: Bearer ses_..." header, or null. */
    @Override
    public CurrentUser apiClient(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) return null;
        String token = header.substring(7).trim();
        if (!token.startsWith(TOKEN_PREFIX) || token.length() > 200) return null;
        Optional<AccountDao.ApiToken> found =
                jdbi.onDemand(AccountDao.class).useToken(Tokens.sha256(token));
        return found.map(t -> CurrentUser.api(t.id(), t.name(), t.scope())).orElse(null);
    }

    @Override
    public String csrfToken(Context ctx) {
        return sessions.csrfToken(ctx);
    }

    @Override
    public boolean csrfMatches(Context ctx, String given) {
        LoginSession session = sessions.current(ctx);
        return Tokens.constantTimeEquals(
                session == null ? null : session.get(Csrf.ATTRIBUTE), given);
    }

    @Override
    public void save(Context ctx) {
        sessions.save(ctx);
    }

    /** A new API token: returned once, stored hashed. */
    public static String newApiToken() {
        return TOKEN_PREFIX + Tokens.random(32);
    }
}
