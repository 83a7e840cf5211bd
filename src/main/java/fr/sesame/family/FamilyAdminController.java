package fr.sesame.family;

import fr.sesame.audit.Actor;
import fr.sesame.auth.LetterCodes;
import fr.sesame.web.CurrentUser;
import fr.sesame.web.Views;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.util.List;
import java.util.Optional;

/** The education service finds a family and gives it a new letter code. */
public final class FamilyAdminController {
    /** The model of the families page. */
    public record FamiliesPage(
            String query, List<FamilyDao.FamilySummary> families, String newCodeFor) {}

    private final FamilyDao familyDao;
    private final Views views;
    private final LetterCodes codes;

    public FamilyAdminController(FamilyDao familyDao, Views views, LetterCodes codes) {
        this.familyDao = familyDao;
        this.views = views;
        this.codes = codes;
    }

    public void search(Context ctx) {
        String q = Optional.ofNullable(ctx.queryParam("q")).orElse("").trim();
        if (q.length() > 100) q = q.substring(0, 100);
        views.render(
                ctx,
                "admin/families.jte",
                new FamiliesPage(q, familyDao.search(q), ctx.queryParam("renewed")));
    }

    public void regenerateCode(Context ctx) {
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw new NotFoundResponse();
        }
        if (!familyDao.exists(id)) throw new NotFoundResponse();
        CurrentUser admin = CurrentUser.of(ctx);
        codes.regenerate(id, Actor.of(admin));
        String reference =
                familyDao.search("").stream()
                        .filter(f -> f.id() == id)
                        .map(FamilyDao.FamilySummary::reference)
                        .findFirst()
                        .orElse("");
        ctx.redirect(
                "/admin/families?q="
                        + java.net.URLEncoder.encode(
                                reference, java.nio.charset.StandardCharsets.UTF_8)
                        + "&renewed="
                        + id);
    }
}
