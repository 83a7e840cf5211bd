package fr.sesame.auth;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;

/** Argon2id password hashes for staff accounts. */
public final class Passwords {
    // OWASP's second Argon2id profile: 19 MiB, 2 iterations, 1 lane.
    private static final Argon2Function ARGON2ID =
            Argon2Function.getInstance(19_456, 2, 1, 32, Argon2.ID);

    private Passwords() {}

    public static String hash(String password) {
        return Password.hash(password).addRandomSalt(16).with(ARGON2ID).getResult();
    }

    public static boolean matches(String password, String hash) {
        if (password == null || hash == null) return false;
        try {
            return Password.check(password, hash).with(Argon2Function.getInstanceFromHash(hash));
        } catch (RuntimeException e) {
            return false;
        }
    }
}
