package fr.sesame.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** Slows down guessing: after 5 failures for a key, a wait that doubles with each new failure. */
public final class Throttle {
    private final Jdbi jdbi;

    public Throttle(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** How long the caller must still wait because one of these keys is blocked, if at all. */
    public Optional<Duration> waitFor(List<String> keys) {
        ThrottleDao dao = jdbi.onDemand(ThrottleDao.class);
        Instant now = Instant.now();
        return keys.stream().map(dao::blockedUntil).flatMap(Optional::stream)
                .max(Instant::compareTo).map(until -> Duration.between(now, until));
    }

    public void failed(List<String> keys) {
        jdbi.useTransaction(h -> keys.forEach(h.attach(ThrottleDao.class)::fail));
    }

    public void succeeded(List<String> keys) {
        jdbi.useTransaction(h -> keys.forEach(h.attach(ThrottleDao.class)::reset));
    }
}
