package fr.sesame.auth;

import fr.sesame.audit.Actor;
import fr.sesame.audit.Audit;
import fr.sesame.web.Messages;
import io.javalin.http.Context;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * The family's language after sign-in: the guardian's language (the roster's, or the one the parent
 * chose since) becomes the page language at every parent sign-in, ENT or letter code; a parent's
 * choice on the language switch is stored on the guardian, so it holds on another phone and for the
 * e-mails and invitations sent to them.
 */
public final class GuardianLanguages {
    private final Jdbi jdbi;

    public GuardianLanguages(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The guardian's language, French when the guardian is unknown. */
    public String of(long guardianId) {
        return jdbi.withExtension(GuardianLanguageDao.class, dao -> dao.language(guardianId))
                .filter(Messages.FAMILY_LANGUAGES::contains)
                .orElse("fr");
    }

    /** The switch was used: a signed-in parent's choice is stored on the guardian (audited). */
    public void chosen(Context ctx, LoginSessions sessions, String lang) {
        LoginSession session = sessions.current(ctx);
        if (session == null || !"parent".equals(session.principalKind())) return;
        if (!Messages.FAMILY_LANGUAGES.contains(lang)) return;
        choose(session.principalId(), lang);
    }

    /** Stores a guardian's language; audited when it changed. */
    public boolean choose(long guardianId, String lang) {
        if (!Messages.FAMILY_LANGUAGES.contains(lang))
            throw new IllegalArgumentException("not a family language: " + lang);
        return jdbi.inTransaction(
                h -> {
                    int changed = h.attach(GuardianLanguageDao.class).setLanguage(guardianId, lang);
                    if (changed == 0) return false;
                    Audit.record(
                            h,
                            Actor.guardian(guardianId),
                            "choose_language",
                            "guardian",
                            guardianId,
                            Map.of("language", lang));
                    return true;
                });
    }

    Optional<String> stored(long guardianId) {
        return jdbi.withExtension(GuardianLanguageDao.class, dao -> dao.language(guardianId));
    }
}
