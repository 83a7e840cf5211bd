package fr.sesame.messaging;

import fr.sesame.audit.Actor;
import fr.sesame.audit.Audit;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * A guardian's opt-out of reminders, follow-ups and campaigns, from the link every SMS and reminder
 * e-mail carries ({@link SmsOutbox#OPT_OUT_PATH} and the guardian's token): the link is the
 * credential, as the letter's code is; or set and cleared by the education service on the family's
 * page ({@link #setByStaff}). Once opted out, the guardian gets no SMS ({@link SmsOutbox} records
 * {@code opted_out} instead) and no reminder e-mail, only the booking's own confirmation by e-mail.
 * Both ways write the flag and its audit entry here ({@link #apply}), in one transaction.
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
                            holder ->
                                    apply(
                                            h,
                                            holder.id(),
                                            true,
                                            "guardian",
                                            Actor.guardian(holder.id())));
                    return g.map(OptOutDao.Holder::language);
                });
    }

    /** A guardian's opt-out as the family's page shows it. */
    public record Choice(long guardianId, String name, boolean optedOut, Instant at, String by) {}

    /** The opt-out of each guardian of the family, in the family's order. */
    public List<Choice> ofFamily(long familyId) {
        return jdbi.withExtension(OptOutDao.class, dao -> dao.ofFamily(familyId)).stream()
                .map(
                        c ->
                                new Choice(
                                        c.guardianId(),
                                        (c.firstName() + " " + c.lastName()).trim(),
                                        c.optOut(),
                                        c.at(),
                                        c.by()))
                .toList();
    }

    /**
     * The education service sets ({@code optOut}) or clears a guardian's opt-out; false when the
     * guardian is not of this family (nothing written). Setting what is already set changes and
     * audits nothing.
     */
    public boolean setByStaff(long familyId, long guardianId, boolean optOut, Actor actor) {
        return jdbi.inTransaction(
                h -> {
                    if (h.attach(OptOutDao.class).guardianOfFamily(guardianId, familyId).isEmpty())
                        return false;
                    apply(h, guardianId, optOut, "staff", actor);
                    return true;
                });
    }

    /** The one place the flag changes: once, audited in the same transaction. */
    private void apply(Handle h, long guardianId, boolean optOut, String by, Actor actor) {
        OptOutDao dao = h.attach(OptOutDao.class);
        int changed = optOut ? dao.optOut(guardianId, clock.instant(), by) : dao.optIn(guardianId);
        if (changed == 1)
            Audit.record(h, actor, optOut ? "opt_out" : "opt_in", "guardian", guardianId);
    }

    private static boolean wellFormed(String token) {
        return token != null && token.matches("[A-Za-z0-9]{10,32}");
    }
}
