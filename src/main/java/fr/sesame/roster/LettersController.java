package fr.sesame.roster;

import fr.sesame.audit.Audit;
import fr.sesame.audit.Actor;
import fr.sesame.json.Json;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.sesame.web.CurrentUser;
import fr.sesame.auth.LetterCodes;
import fr.sesame.web.Views;
import io.javalin.http.Context;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The education service prints the letters of a school or a class: one page per family. */
public final class LettersController {
    private static final Logger log = LoggerFactory.getLogger(LettersController.class);
    private static final ObjectMapper JSON = Json.mapper();

    /** The model of the letters form. */
    public record LettersPage(List<DashboardDao.School> schools, String school, String className, boolean untrainedOnly,
                              String error) {
    }

    private final Jdbi jdbi;
    private final Views views;
    private final LetterPdf pdf;
    private final LetterCodes codes;

    public LettersController(Jdbi jdbi, Views views, LetterPdf pdf, LetterCodes codes) {
        this.jdbi = jdbi;
        this.views = views;
        this.pdf = pdf;
        this.codes = codes;
    }

    public void form(Context ctx) {
        String school = Optional.ofNullable(ctx.queryParam("school")).orElse("");
        views.render(ctx, "roster/letters.jte", new LettersPage(jdbi.onDemand(DashboardDao.class).schools(), school, "",
                true, null));
    }

    public void print(Context ctx) {
        String uai = Optional.ofNullable(ctx.formParam("school")).orElse("").trim();
        String className = Optional.ofNullable(ctx.formParam("class")).orElse("").trim();
        boolean untrainedOnly = ctx.formParam("untrained") != null;
        List<DashboardDao.School> schools = jdbi.onDemand(DashboardDao.class).schools();
        DashboardDao.School school = schools.stream().filter(s -> s.uai().equals(uai)).findFirst().orElse(null);
        if (school == null || className.length() > 40) {
            ctx.status(400);
            views.render(ctx, "roster/letters.jte", new LettersPage(schools, uai, className, untrainedOnly,
                    "roster.letters.error.school"));
            return;
        }
        LetterDao dao = jdbi.onDemand(LetterDao.class);
        List<LetterDao.Recipient> recipients = dao.recipients(school.id(), className, untrainedOnly);
        if (recipients.isEmpty()) {
            views.render(ctx, "roster/letters.jte", new LettersPage(schools, uai, className, untrainedOnly,
                    "roster.letters.error.none"));
            return;
        }
        // Families imported long ago or by hand may have no code yet: they get one now.
        List<Long> missing = dao.withoutCode(recipients.stream().mapToLong(LetterDao.Recipient::id).toArray());
        if (!missing.isEmpty()) {
            missing.forEach(codes::regenerate);
            recipients = dao.recipients(school.id(), className, untrainedOnly);
        }
        List<LetterDao.NextSession> sessions = dao.nextSessions(school.id());
        List<LetterPdf.Letter> letters = recipients.stream()
                .map(r -> new LetterPdf.Letter(r.language(), r.children(), r.letterCode(), school.name(), sessions))
                .toList();
        byte[] bytes = pdf.render(letters);
        CurrentUser admin = ctx.attribute(CurrentUser.class.getName());
        ObjectNode details = JSON.createObjectNode().put("letters", letters.size()).put("school", school.uai())
                .put("class", className).put("untrainedOnly", untrainedOnly).put("codesCreated", missing.size());
        jdbi.useHandle(h -> Audit.record(h, Actor.of(admin), "letter_batch", "school", school.id(), details.toString()));
        log.info("event=letter_batch school={} letters={}", school.uai(), letters.size());
        String name = "lettres-" + school.uai() + (className.isEmpty() ? "" : "-" + className.replaceAll("[^A-Za-z0-9]", "")) + ".pdf";
        ctx.header("Content-Disposition", "attachment; filename=\"" + name + "\"");
        ctx.header("Cache-Control", "no-store");
        ctx.contentType("application/pdf").result(bytes);
    }
}
