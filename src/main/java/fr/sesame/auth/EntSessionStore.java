package fr.sesame.auth;

import io.javalin.http.Context;
import java.util.Optional;
import org.pac4j.core.context.WebContext;
import org.pac4j.core.context.session.SessionStore;
import org.pac4j.core.util.serializer.JavaSerializer;

/**
 * pac4j's session store over our PostgreSQL sessions, for one request: the values pac4j keeps
 * between the redirect to the ENT and the callback (state, nonce, PKCE verifier) become strings in
 * {@link LoginSession}, Java-serialized (pac4j's serializer, restricted to trusted packages) and
 * base64-encoded.
 */
final class EntSessionStore implements SessionStore {
    /** Every key pac4j writes starts with this, so that they can be cleared together. */
    static final String PREFIX = "pac4j:";

    private static final JavaSerializer SERIALIZER = new JavaSerializer();

    private final LoginSessions sessions;
    private final Context ctx;

    EntSessionStore(LoginSessions sessions, Context ctx) {
        this.sessions = sessions;
        this.ctx = ctx;
    }

    @Override
    public Optional<String> getSessionId(WebContext context, boolean createSession) {
        LoginSession session = createSession ? sessions.currentOrNew(ctx) : sessions.current(ctx);
        return Optional.ofNullable(session).map(s -> s.idHash);
    }

    @Override
    public Optional<Object> get(WebContext context, String key) {
        LoginSession session = sessions.current(ctx);
        String value = session == null ? null : session.get(PREFIX + key);
        return Optional.ofNullable(value).map(SERIALIZER::deserializeFromString);
    }

    @Override
    public void set(WebContext context, String key, Object value) {
        if (value == null) {
            LoginSession session = sessions.current(ctx);
            if (session != null) session.remove(PREFIX + key);
            return;
        }
        sessions.currentOrNew(ctx).put(PREFIX + key, SERIALIZER.serializeToString(value));
    }

    @Override
    public boolean destroySession(WebContext context) {
        sessions.signOut(ctx);
        return true;
    }

    @Override
    public Optional<Object> getTrackableSession(WebContext context) {
        return Optional.empty();
    }

    @Override
    public Optional<SessionStore> buildFromTrackableSession(
            WebContext context, Object trackableSession) {
        return Optional.empty();
    }

    @Override
    public boolean renewSession(WebContext context) {
        return false;
    }

    /**
     * Forgets everything pac4j kept: a state, a nonce and a verifier serve for one callback only.
     */
    static void clear(LoginSession session) {
        if (session == null) return;
        session.data.keySet().stream()
                .filter(k -> k.startsWith(PREFIX))
                .toList()
                .forEach(session::remove);
    }
}
