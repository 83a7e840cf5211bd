package fr.sesame.auth;

import fr.sesame.audit.Actor;
import fr.sesame.web.CurrentUser;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.util.Optional;

/**
 * The education service removes a family's ENT link, or confirms or dismisses a link request, from
 * the family's page.
 */
public final class EntLinksController {
    private final EntLinks links;

    public EntLinksController(EntLinks links) {
        this.links = links;
    }

    /** POST /admin/roster/families/{id}/ent-links/remove with the link's issuer and subject. */
    public void remove(Context ctx) {
        long family = number(ctx.pathParam("id"));
        String issuer = Optional.ofNullable(ctx.formParam("issuer")).orElse("");
        String subject = Optional.ofNullable(ctx.formParam("subject")).orElse("");
        if (issuer.isEmpty()
                || subject.isEmpty()
                || !links.remove(family, issuer, subject, admin(ctx))) {
            throw new NotFoundResponse();
        }
        back(ctx, family, "removed");
    }

    /** POST /admin/roster/families/{id}/ent-requests/{request}/confirm. */
    public void confirm(Context ctx) {
        long family = number(ctx.pathParam("id"));
        switch (links.confirm(family, number(ctx.pathParam("request")), admin(ctx))) {
            case LINKED -> back(ctx, family, "linked");
            case ALREADY_LINKED -> back(ctx, family, "already");
            case NOT_FOUND -> throw new NotFoundResponse();
        }
    }

    /** POST /admin/roster/families/{id}/ent-requests/{request}/dismiss. */
    public void dismiss(Context ctx) {
        long family = number(ctx.pathParam("id"));
        if (!links.dismiss(family, number(ctx.pathParam("request")), admin(ctx)))
            throw new NotFoundResponse();
        back(ctx, family, "dismissed");
    }

    private static void back(Context ctx, long family, String done) {
        ctx.redirect("/admin/roster/families/" + family + "?ent=" + done + "#ent-links");
    }

    private static Actor admin(Context ctx) {
        return Actor.of(CurrentUser.of(ctx));
    }

    private static long number(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new NotFoundResponse();
        }
    }
}
