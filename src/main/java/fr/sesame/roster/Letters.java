package fr.sesame.roster;

import fr.sesame.audit.Actor;
import fr.sesame.audit.Audit;
import fr.sesame.auth.LetterCodes;
import fr.sesame.json.Json;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * The letters of a school's families (their letter code and the next sessions), printed as one PDF;
 * audited.
 */
public final class Letters {
    private final Jdbi jdbi;
    private final LetterPdf pdf;
    private final LetterCodes codes;

    public Letters(Jdbi jdbi, LetterPdf pdf, LetterCodes codes) {
        this.jdbi = jdbi;
        this.pdf = pdf;
        this.codes = codes;
    }

    List<DashboardDao.School> schools() {
        return jdbi.onDemand(DashboardDao.class).schools();
    }

    /** The PDF of the school's letters; empty when no family matches. */
    Optional<byte[]> print(
            Actor admin, DashboardDao.School school, String className, boolean untrainedOnly) {
        LetterDao dao = jdbi.onDemand(LetterDao.class);
        List<LetterDao.Recipient> recipients =
                dao.recipients(school.id(), className, untrainedOnly);
        if (recipients.isEmpty()) return Optional.empty();
        // Families imported long ago or by hand may have no code yet: they get one now.
        List<Long> missing =
                dao.withoutCode(recipients.stream().mapToLong(LetterDao.Recipient::id).toArray());
        if (!missing.isEmpty()) {
            missing.forEach(codes::regenerate);
            recipients = dao.recipients(school.id(), className, untrainedOnly);
        }
        List<LetterDao.NextSession> sessions = dao.nextSessions(school.id());
        List<LetterPdf.Letter> letters =
                recipients.stream()
                        .map(
                                r ->
                                        new LetterPdf.Letter(
                                                r.language(),
                                                r.children(),
                                                r.letterCode(),
                                                school.name(),
                                                sessions))
                        .toList();
        byte[] bytes = pdf.render(letters);
        jdbi.useHandle(
                h ->
                        Audit.record(
                                h,
                                admin,
                                "letter_batch",
                                "school",
                                school.id(),
                                Json.object(
                                        "letters",
                                        letters.size(),
                                        "school",
                                        school.uai(),
                                        "class",
                                        className,
                                        "untrainedOnly",
                                        untrainedOnly,
                                        "codesCreated",
                                        missing.size())));
        return Optional.of(bytes);
    }
}
