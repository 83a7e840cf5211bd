package fr.sesame.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Slows down guessing. Each key (a letter code, a staff account, an address) has its own limit of
 * attempts; from the limit on, a wait of 30 seconds that doubles with each new attempt (at most an
 * hour). An attempt is counted and checked in the same statement, before the credentials are: 30
 * parallel guesses get exactly the limit checked. A right code or password gives its attempts back,
 * so a busy shared address is slowed only by wrong ones.
 */
public final class Throttle {
    /** A key and its limit. */
    public record Key(String key, int limit) {
        public static Key code(String code) {
            return new Key("code:" + code, CODE_LIMIT);
        }

        public static Key account(String email) {
            return new Key("account:" + email.toLowerCase(java.util.Locale.ROOT), ACCOUNT_LIMIT);
        }

        /**
         * The address of a sign-in form ({@code code} or {@code staff}): parents' typos never slow
         * the staff's form.
         */
        public static Key address(String form, String address) {
            return new Key("address:" + form + ":" + address, ADDRESS_LIMIT);
        }
    }

    static final int CODE_LIMIT = 5;
    static final int ACCOUNT_LIMIT = 10;
    // A school's Wi-Fi or the town's proxy is one address for many parents: far more than one
    // family's worth.
    static final int ADDRESS_LIMIT = 30;

    private final Jdbi jdbi;

    public Throttle(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Thrown inside the transaction to undo the counts already made when one key is blocked. */
    private static final class Blocked extends RuntimeException {
        Blocked() {
            super(null, null, false, false);
        }
    }

    /**
     * Counts an attempt on every key, unless one of them is blocked: then nothing is counted and
     * the caller must wait the returned time. Keys are locked in their alphabetical order, so two
     * attempts never deadlock.
     */
    public Optional<Duration> attempt(List<Key> keys) {
        List<Key> ordered = keys.stream().sorted(Comparator.comparing(Key::key)).toList();
        try {
            jdbi.useTransaction(
                    h -> {
                        ThrottleDao dao = h.attach(ThrottleDao.class);
                        for (Key k : ordered) {
                            if (dao.attempt(k.key(), k.limit()).isEmpty()) throw new Blocked();
                        }
                    });
            return Optional.empty();
        } catch (Blocked blocked) {
            ThrottleDao dao = jdbi.onDemand(ThrottleDao.class);
            Instant now = Instant.now();
            Duration wait =
                    ordered.stream()
                            .map(k -> dao.blockedUntil(k.key()))
                            .flatMap(Optional::stream)
                            .max(Instant::compareTo)
                            .map(until -> Duration.between(now, until))
                            .orElse(Duration.ofSeconds(1));
            return Optional.of(wait.isNegative() || wait.isZero() ? Duration.ofSeconds(1) : wait);
        }
    }

    /**
     * A right code or password: its own key starts again from zero, and the address gets this
     * attempt back.
     */
    public void succeeded(Key credential, Key address) {
        jdbi.useTransaction(
                h -> {
                    ThrottleDao dao = h.attach(ThrottleDao.class);
                    dao.reset(credential.key());
                    dao.refund(address.key(), address.limit());
                });
    }
}
