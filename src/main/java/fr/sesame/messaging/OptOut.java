package fr.sesame.messaging;

import fr.sesame.audit.Actor;
import fr.sesame.audit.Audit;
import java.time.Clock;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * A guardian's opt-out of reminders, follow-ups and campaigns, from the link every SMS carries
 * ({@link SmsOutbox#OPT_OUT_PATH} and the guardian's token): the link is the credential, as the
 * letter's code is. Once opted out, the guardian gets no SMS ({@link SmsOutbox} records {@code
 * opted_out} instead), only the booking's own confirmation by e-mail.
 */
public final class OptOut {
    private final Jdbi jdbi;
    private final Clock clock;

    public OptOut(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** Who the link is for: its language and whether they already opted out. */
    public record Holder(String language, boolean optedOut) {}

    public Optional<Holder> find(String token) {
        if (!wellFormed(token)) return Optional.empty();
        return jdbi.withExtension(OptOutDao.class, dao -> dao.byToken(token))
                .map(g -> new Holder(g.language(), g.optOut()));
    }

    /**
     * Opts the link's guardian out and audits it (once); their language, or empty when the link
     * names nobody.
     */
    public Optional<String> optOut(String token) {
        if (!wellFormed(token)) return Optional.empty();
        return jdbi.inTransaction(
                h -> {
                    OptOutDao dao = h.attach(OptOutDao.class);
                    Optional<OptOutDao.Holder> g = dao.byToken(token);
                    g.ifPresent(
                            holder -> {
                                if (dao.optOut(holder.id(), clock.instant(), "guardian") == 1)
                                    Audit.record(
                                            h,
                                            Actor.guardian(holder.id()),
                                            "opt_out",
                                            "guardian",
                                            holder.id());
                            });
                    return g.map(OptOutDao.Holder::language);
                });
    }

    private static boolean wellFormed(String token) {
        return token != null && token.matches("[A-Za-z0-9]{10,32}");
    }
}
