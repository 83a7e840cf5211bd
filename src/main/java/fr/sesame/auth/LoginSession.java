package fr.sesame.auth;

import fr.sesame.web.CurrentUser;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** One visitor's session: a few string values, and who is signed in (if anyone). */
public final class LoginSession {
    final String idHash;
    final Instant createdAt;
    Instant lastSeenAt = Instant.now();
    final Map<String, String> data;
    String principalKind;
    Long principalId;
    String entIssuer;
    String entSubject;
    boolean dirty;

    /**
     * Who is signed in, as read with the session; null when nobody is or when the account is gone.
     */
    CurrentUser user;

    /** False for a session signed in during this request: its user has not been read yet. */
    boolean userLoaded;

    LoginSession(String idHash, Instant createdAt, Map<String, String> data) {
        this.idHash = idHash;
        this.createdAt = createdAt;
        this.data = new LinkedHashMap<>(data);
    }

    public String get(String key) {
        return data.get(key);
    }

    public void put(String key, String value) {
        if (value == null) {
            remove(key);
        } else if (!value.equals(data.put(key, value))) {
            dirty = true;
        }
    }

    public void remove(String key) {
        if (data.remove(key) != null) dirty = true;
    }

    /** Reads and forgets a value (a one-time message, a pending redirect). */
    public String take(String key) {
        String value = data.get(key);
        remove(key);
        return value;
    }

    public String principalKind() {
        return principalKind;
    }

    public Long principalId() {
        return principalId;
    }

    public String entIssuer() {
        return entIssuer;
    }

    public String entSubject() {
        return entSubject;
    }

    public boolean signedIn() {
        return principalKind != null;
    }
}
