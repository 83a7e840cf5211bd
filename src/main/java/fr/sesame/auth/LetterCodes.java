package fr.sesame.auth;

import fr.sesame.audit.Actor;
import fr.sesame.audit.Audit;
import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * The code printed on each family's letter: 8 characters without look-alikes (no 0, 1, I, O), shown
 * as K7M4-9PQX. It signs a parent in only together with a child's first name, which the letter does
 * not carry.
 */
public final class LetterCodes {
    public static final String ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    private final Jdbi jdbi;

    public LetterCodes(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Upper case, without spaces or dashes; null when it cannot be a code. */
    public static String normalize(String typed) {
        if (typed == null) return null;
        String code = typed.toUpperCase(Locale.ROOT).replaceAll("[\\s\\-–.]", "");
        if (code.length() != 8) return null;
        for (char c : code.toCharArray()) {
            if (ALPHABET.indexOf(c) < 0) return null;
        }
        return code;
    }

    public static String display(String code) {
        return code == null || code.length() != 8
                ? code
                : code.substring(0, 4) + "-" + code.substring(4);
    }

    /** The guardian this code and child's first name sign in, if they match. */
    public Optional<Long> check(String code, String childFirstName) {
        return family(code, childFirstName)
                .flatMap(f -> jdbi.withExtension(LetterCodeDao.class, d -> d.firstGuardian(f)));
    }

    /** The family this code and child's first name open, if they match. */
    public Optional<Long> family(String code, String childFirstName) {
        if (code == null || childFirstName == null) return Optional.empty();
        String wanted = simplify(childFirstName);
        if (wanted.isEmpty()) return Optional.empty();
        return jdbi.withHandle(
                h -> {
                    LetterCodeDao dao = h.attach(LetterCodeDao.class);
                    return dao.familyByCode(code)
                            .filter(
                                    family ->
                                            dao.childFirstNames(family).stream()
                                                    .map(LetterCodes::simplify)
                                                    .anyMatch(wanted::equals));
                });
    }

    /** A guardian as the choice page shows them: the first name only. */
    public record Guardian(long id, String firstName) {}

    /** The family's guardians, in the roster's order. */
    public List<Guardian> guardians(long familyId) {
        return jdbi.withExtension(LetterCodeDao.class, dao -> dao.guardians(familyId));
    }

    public boolean isGuardianOf(long familyId, long guardianId) {
        return jdbi.withExtension(
                LetterCodeDao.class, dao -> dao.isGuardianOf(familyId, guardianId));
    }

    /** Records a parent's sign-in with a letter code. */
    public void signedIn(long guardianId) {
        jdbi.useHandle(
                h ->
                        Audit.record(
                                h,
                                Actor.guardian(guardianId),
                                "sign_in_code",
                                "guardian",
                                guardianId));
    }

    /**
     * What a new code ended: the sessions opened with the old one, and the ENT links made without
     * evidence.
     */
    public record Renewal(String code, int sessionsEnded, int linksUndone) {}

    /** Gives the family a new code (see {@link #regenerate(long, Actor)}); the caller audits. */
    public String regenerate(long familyId) {
        return jdbi.inTransaction(h -> renew(h, familyId)).code();
    }

    /**
     * Gives the family a new code; the old one stops working at once, every session opened with it
     * ends, and so do the ENT links made without evidence (with the sessions opened through them)
     * and the pending link requests: a new code is what the education service does when the old one
     * got into the wrong hands. Audited.
     */
    public Renewal regenerate(long familyId, Actor actor) {
        return jdbi.inTransaction(
                h -> {
                    Renewal renewal = renew(h, familyId);
                    Audit.record(
                            h,
                            actor,
                            "regenerate_letter_code",
                            "family",
                            familyId,
                            (java.util.Map.of(
                                    "sessionsEnded",
                                    renewal.sessionsEnded(),
                                    "entLinksUndone",
                                    renewal.linksUndone())));
                    return renewal;
                });
    }

    private static Renewal renew(org.jdbi.v3.core.Handle h, long familyId) {
        LetterCodeDao dao = h.attach(LetterCodeDao.class);
        String code;
        do {
            code = randomCode();
        } while (dao.codeTaken(code));
        dao.setCode(familyId, code);
        int sessions = dao.endSessionsWithoutEvidence(familyId);
        int links = dao.undoLinksWithoutEvidence(familyId);
        dao.forgetLinkRequests(familyId);
        return new Renewal(code, sessions, links);
    }

    public static String randomCode() {
        StringBuilder sb = new StringBuilder(8);
        for (int i = 0; i < 8; i++)
            sb.append(ALPHABET.charAt(Tokens.secureRandom().nextInt(ALPHABET.length())));
        return sb.toString();
    }

    /** " Maëlys " and "maelys" are the same first name. */
    static String simplify(String name) {
        String noAccents =
                Normalizer.normalize(name.trim(), Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        return noAccents.toLowerCase(Locale.ROOT).replaceAll("[\\s\\-']", "");
    }
}
