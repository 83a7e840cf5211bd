package fr.sesame.messaging;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * No SMS between 21:00 and 08:00, Paris time: a message due then waits until 08:00 (the same
 * morning, or the next one after 21:00), summer and winter time alike.
 */
public final class QuietHours {
    public static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    public static final LocalTime STARTS = LocalTime.of(21, 0);
    public static final LocalTime ENDS = LocalTime.of(8, 0);

    private QuietHours() {}

    public static boolean quiet(Instant at) {
        LocalTime t = at.atZone(PARIS).toLocalTime();
        return !t.isBefore(STARTS) || t.isBefore(ENDS);
    }

    /** {@code at} itself outside quiet hours, else the 08:00 that ends them. */
    public static Instant nextAllowed(Instant at) {
        if (!quiet(at)) return at;
        ZonedDateTime z = at.atZone(PARIS);
        ZonedDateTime morning = z.toLocalDate().atTime(ENDS).atZone(PARIS);
        if (!z.toLocalTime().isBefore(STARTS)) morning = morning.plusDays(1);
        return morning.toInstant();
    }
}
