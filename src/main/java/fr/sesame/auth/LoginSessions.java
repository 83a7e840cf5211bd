package fr.sesame.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.sesame.json.Json;
import fr.sesame.web.Csrf;
import fr.sesame.web.CurrentUser;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * Sessions in PostgreSQL behind an HttpOnly, SameSite=Lax cookie holding a random id (only its hash
 * is stored). A session ends after {@link #IDLE} without a request, or {@link #ABSOLUTE} after
 * sign-in.
 */
public final class LoginSessions {
    public static final String COOKIE = "sesame_session";
    public static final Duration IDLE = Duration.ofHours(2);
    public static final Duration ABSOLUTE = Duration.ofHours(12);
    private static final String ATTRIBUTE = LoginSession.class.getName();

    /**
     * Set once the session was looked up, found or not (a null attribute is no attribute in a
     * servlet request).
     */
    private static final String LOOKED_UP = ATTRIBUTE + ".lookedUp";

    private static final TypeReference<Map<String, String>> MAP = new TypeReference<>() {};
    private static final ObjectMapper JSON = Json.mapper();

    /** Every request reads its session's data: a reader made once for that type. */
    private static final com.fasterxml.jackson.databind.ObjectReader DATA_READER =
            JSON.readerFor(MAP);

    private final Jdbi jdbi;
    private final LoginSessionLookupDao lookup;
    private final boolean secureCookie;

    public LoginSessions(Jdbi jdbi, boolean secureCookie) {
        this.jdbi = jdbi;
        this.lookup = new LoginSessionLookupDao(jdbi);
        this.secureCookie = secureCookie;
    }

    /** The visitor's session, if the cookie names a live one. */
    public LoginSession current(Context ctx) {
        LoginSession known = ctx.attribute(ATTRIBUTE);
        if (known != null || ctx.attribute(LOOKED_UP) != null) return known;
        LoginSession session = null;
        String id = ctx.cookie(COOKIE);
        if (id != null && id.length() <= 100) {
            session =
                    lookup.find(Tokens.sha256(id))
                            .filter(row -> alive(row.createdAt(), row.lastSeenAt()))
                            .map(LoginSessions::fromRow)
                            .orElse(null);
            if (session != null && session.lastSeenAt.isBefore(Instant.now().minusSeconds(60))) {
                session.dirty = true; // refresh last_seen_at, at most once a minute
            }
        }
        ctx.attribute(ATTRIBUTE, session);
        ctx.attribute(LOOKED_UP, Boolean.TRUE);
        return session;
    }

    /**
     * Who is signed in on the session: read with it, or, for a session signed in during this
     * request (already saved), read again now. Null when nobody is, or when the guardian or the
     * active staff account is gone.
     */
    CurrentUser userOf(LoginSession session) {
        if (session.userLoaded) return session.user;
        return lookup.find(session.idHash)
                .map(LoginSessions::fromRow)
                .map(s -> s.user)
                .orElse(null);
    }

    /** The visitor's session, created (with a new cookie) when there is none. */
    public LoginSession currentOrNew(Context ctx) {
        LoginSession session = current(ctx);
        if (session == null) session = startNew(ctx, Map.of(), true);
        return session;
    }

    /** The CSRF token of the visitor's session (created when missing). */
    public String csrfToken(Context ctx) {
        LoginSession session = currentOrNew(ctx);
        String token = session.get(Csrf.ATTRIBUTE);
        if (token == null) {
            token = Tokens.random(24);
            session.put(Csrf.ATTRIBUTE, token);
        }
        return token;
    }

    /**
     * Signs a principal in on a brand-new session id (the old one is dropped: no session fixation).
     */
    public LoginSession signIn(
            Context ctx, String kind, long principalId, String entIssuer, String entSubject) {
        LoginSession old = current(ctx);
        if (old != null) jdbi.onDemand(LoginSessionDao.class).delete(old.idHash);
        LoginSession fresh = startNew(ctx, Map.of(), !"staff".equals(kind));
        fresh.principalKind = kind;
        fresh.principalId = principalId;
        fresh.entIssuer = entIssuer;
        fresh.entSubject = entSubject;
        fresh.put(Csrf.ATTRIBUTE, Tokens.random(24));
        save(ctx);
        // a parent reads the pages in the guardian's language (the roster's, or the one chosen
        // since), whatever the browser says
        if ("parent".equals(kind))
            fr.sesame.web.Language.remember(
                    ctx, new GuardianLanguages(jdbi).of(principalId), secureCookie);
        return fresh;
    }

    /** Ends the visitor's session and clears its cookie. */
    public void signOut(Context ctx) {
        LoginSession session = current(ctx);
        if (session != null) jdbi.onDemand(LoginSessionDao.class).delete(session.idHash);
        ctx.attribute(ATTRIBUTE, null);
        ctx.attribute(LOOKED_UP, Boolean.TRUE);
        ctx.cookie(new Cookie(COOKIE, "", "/", 0, secureCookie, true, null, SameSite.LAX));
    }

    /** Ends every session opened through this ENT account (back-channel logout). */
    public int endEntSessions(String issuer, String subject) {
        return jdbi.onDemand(LoginSessionDao.class).deleteEntSessions(issuer, subject);
    }

    /** Ends every session of a principal (an account disabled). */
    public int endSessionsOf(String kind, long id) {
        return jdbi.onDemand(LoginSessionDao.class).deleteFor(kind, id);
    }

    public int purgeExpired() {
        Instant now = Instant.now();
        LoginSessionDao dao = jdbi.onDemand(LoginSessionDao.class);
        dao.purgeOldFailures();
        return dao.purgeExpired(now.minus(IDLE), now.minus(ABSOLUTE));
    }

    /** Writes the session back when it changed; called once at the end of each request. */
    public void save(Context ctx) {
        LoginSession session = ctx.attribute(ATTRIBUTE);
        if (session == null || !session.dirty) return;
        String data;
        try {
            data = JSON.writeValueAsString(session.data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        jdbi.onDemand(LoginSessionDao.class)
                .save(
                        session.idHash,
                        data,
                        session.principalKind,
                        session.principalId,
                        session.entIssuer,
                        session.entSubject,
                        session.createdAt);
        session.dirty = false;
    }

    /**
     * A new session and its cookie. Staff sign in on shared tablets and desktops: their cookie has
     * no Max-Age and ends when the browser closes. A parent's phone is theirs: their cookie lasts
     * the session's 12 hours, so that closing the browser between the letter and the booking does
     * not sign them out.
     */
    private LoginSession startNew(Context ctx, Map<String, String> data, boolean persistent) {
        String id = Tokens.random(32);
        LoginSession session = new LoginSession(Tokens.sha256(id), Instant.now(), data);
        session.dirty = true;
        ctx.attribute(ATTRIBUTE, session);
        int maxAge = persistent ? (int) ABSOLUTE.toSeconds() : -1;
        ctx.cookie(new Cookie(COOKIE, id, "/", maxAge, secureCookie, true, null, SameSite.LAX));
        return session;
    }

    private static boolean alive(Instant createdAt, Instant lastSeenAt) {
        Instant now = Instant.now();
        return lastSeenAt.isAfter(now.minus(IDLE)) && createdAt.isAfter(now.minus(ABSOLUTE));
    }

    private static LoginSession fromRow(LoginSessionLookupDao.Row row) {
        Map<String, String> data;
        try {
            data = DATA_READER.readValue(row.data());
        } catch (JsonProcessingException e) {
            data = Map.of();
        }
        LoginSession s = new LoginSession(row.idHash(), row.createdAt(), data);
        s.principalKind = row.principalKind();
        s.principalId = row.principalId();
        s.entIssuer = row.entIssuer();
        s.entSubject = row.entSubject();
        s.lastSeenAt = row.lastSeenAt();
        s.userLoaded = true;
        if ("parent".equals(row.principalKind()) && row.guardianFamilyId() != null) {
            s.user =
                    CurrentUser.parent(
                            row.principalId(), row.guardianFamilyId(), row.guardianName());
        } else if ("staff".equals(row.principalKind()) && row.staffRole() != null) {
            s.user =
                    CurrentUser.staff(
                            row.principalId(),
                            CurrentUser.Role.valueOf(row.staffRole().toUpperCase()),
                            row.staffName(),
                            row.staffSchoolId());
        }
        return s;
    }
}
