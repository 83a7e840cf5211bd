package fr.sesame.roster;

import fr.sesame.audit.Actor;
import fr.sesame.web.CurrentUser;
import fr.sesame.web.Views;
import io.javalin.http.Context;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The education service prints the letters of a school or a class: one page per family. */
public final class LettersController {
    private static final Logger log = LoggerFactory.getLogger(LettersController.class);

    /** The model of the letters form. */
    public record LettersPage(
            List<DashboardDao.School> schools,
            String school,
            String className,
            boolean untrainedOnly,
            String error) {}

    private final Letters letters;
    private final Views views;

    public LettersController(Letters letters, Views views) {
        this.letters = letters;
        this.views = views;
    }

    public void form(Context ctx) {
        String school = Optional.ofNullable(ctx.queryParam("school")).orElse("");
        views.render(
                ctx,
                "roster/letters.jte",
                new LettersPage(letters.schools(), school, "", true, null));
    }

    public void print(Context ctx) {
        String uai = Optional.ofNullable(ctx.formParam("school")).orElse("").trim();
        String className = Optional.ofNullable(ctx.formParam("class")).orElse("").trim();
        boolean untrainedOnly = ctx.formParam("untrained") != null;
        List<DashboardDao.School> schools = letters.schools();
        DashboardDao.School school =
                schools.stream().filter(s -> s.uai().equals(uai)).findFirst().orElse(null);
        if (school == null || className.length() > 40) {
            ctx.status(400);
            views.render(
                    ctx,
                    "roster/letters.jte",
                    new LettersPage(
                            schools, uai, className, untrainedOnly, "roster.letters.error.school"));
            return;
        }
        Optional<byte[]> bytes =
                letters.print(Actor.of(CurrentUser.of(ctx)), school, className, untrainedOnly);
        if (bytes.isEmpty()) {
            views.render(
                    ctx,
                    "roster/letters.jte",
                    new LettersPage(
                            schools, uai, className, untrainedOnly, "roster.letters.error.none"));
            return;
        }
        log.info("event=letter_batch school={}", school.uai());
        String name =
                "lettres-"
                        + school.uai()
                        + (className.isEmpty()
                                ? ""
                                : "-" + className.replaceAll("[^A-Za-z0-9]", ""))
                        + ".pdf";
        ctx.header("Content-Disposition", "attachment; filename=\"" + name + "\"");
        ctx.header("Cache-Control", "no-store");
        ctx.contentType("application/pdf").result(bytes.get());
    }
}
