package fr.sesame.roster;

import fr.sesame.audit.Actor;
import fr.sesame.auth.EntLinks;
import fr.sesame.auth.LetterCodes;
import fr.sesame.messaging.OptOut;
import fr.sesame.web.CurrentUser;
import fr.sesame.web.Views;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.util.List;
import java.util.Optional;

/**
 * A family's data for the education service: what is held, its export (JSON) and its erasure on
 * request.
 */
public final class FamilyDataController {
    /** The model of the family data page. */
    public record FamilyPage(
            long id,
            String reference,
            String code,
            List<String> guardians,
            List<String> children,
            List<EntLinks.Link> entLinks,
            List<EntLinks.Request> entRequests,
            String entNotice,
            String error,
            boolean erased,
            List<OptOut.Choice> optOuts,
            String optOutNotice) {}

    private final Views views;
    private final FamilyData data;
    private final EntLinks entLinks;
    private final OptOut optOut;

    public FamilyDataController(Views views, FamilyData data, EntLinks entLinks, OptOut optOut) {
        this.views = views;
        this.data = data;
        this.entLinks = entLinks;
        this.optOut = optOut;
    }

    public void show(Context ctx) {
        FamilyPage page = page(familyId(ctx), null);
        String optOutDone = ctx.queryParam("optout");
        String optOutNotice =
                "set".equals(optOutDone) || "cleared".equals(optOutDone)
                        ? "roster.family.optout.done." + optOutDone
                        : null;
        String done = ctx.queryParam("ent");
        if (done != null && List.of("removed", "linked", "already", "dismissed").contains(done)) {
            page =
                    new FamilyPage(
                            page.id(),
                            page.reference(),
                            page.code(),
                            page.guardians(),
                            page.children(),
                            page.entLinks(),
                            page.entRequests(),
                            "ent.links.done." + done,
                            null,
                            false,
                            page.optOuts(),
                            null);
        }
        if (optOutNotice != null)
            page =
                    new FamilyPage(
                            page.id(),
                            page.reference(),
                            page.code(),
                            page.guardians(),
                            page.children(),
                            page.entLinks(),
                            page.entRequests(),
                            page.entNotice(),
                            null,
                            false,
                            page.optOuts(),
                            optOutNotice);
        views.render(ctx, "roster/family.jte", page);
    }

    public void export(Context ctx) {
        long id = familyId(ctx);
        String json = data.export(id, actor(ctx)).orElseThrow(NotFoundResponse::new);
        String reference = data.reference(id).orElse("famille");
        ctx.header(
                "Content-Disposition",
                "attachment; filename=\"" + reference.replaceAll("[^A-Za-z0-9-]", "") + ".json\"");
        ctx.header("Cache-Control", "no-store");
        ctx.contentType("application/json; charset=utf-8").result(json);
    }

    public void erase(Context ctx) {
        long id = familyId(ctx);
        FamilyPage page = page(id, null);
        String confirm = Optional.ofNullable(ctx.formParam("confirm")).orElse("").trim();
        if (!confirm.equalsIgnoreCase(page.reference())) {
            ctx.status(400);
            views.render(ctx, "roster/family.jte", page(id, "roster.family.erase.confirm.error"));
            return;
        }
        if (!data.erase(id, actor(ctx), "request")) throw new NotFoundResponse();
        views.render(
                ctx,
                "roster/family.jte",
                new FamilyPage(
                        id,
                        page.reference(),
                        null,
                        List.of(),
                        List.of(),
                        List.of(),
                        List.of(),
                        null,
                        null,
                        true,
                        List.of(),
                        null));
    }

    private FamilyPage page(long id, String error) {
        String reference = data.reference(id).orElseThrow(NotFoundResponse::new);
        return new FamilyPage(
                id,
                reference,
                LetterCodes.display(data.letterCode(id).orElse(null)),
                data.guardianLines(id),
                data.childLines(id),
                entLinks.links(id),
                entLinks.requests(id),
                null,
                error,
                false,
                optOut.ofFamily(id),
                null);
    }

    private static long familyId(Context ctx) {
        try {
            return Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw new NotFoundResponse();
        }
    }

    private static Actor actor(Context ctx) {
        return Actor.of(CurrentUser.of(ctx));
    }
}
