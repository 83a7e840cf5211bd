package fr.sesame.webhooks;

import fr.sesame.audit.Actor;
import fr.sesame.web.CurrentUser;
import fr.sesame.web.Dates;
import fr.sesame.web.Form;
import fr.sesame.web.Views;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The education service's page for webhooks: endpoints, the secret shown once, recent deliveries
 * and failures.
 */
public final class WebhookController {
    /** The page's model; newSecret is shown once, just after the endpoint was registered. */
    public record WebhooksPage(
            List<WebhookDao.Endpoint> endpoints,
            List<WebhookDao.Delivery> recent,
            List<WebhookDao.Delivery> failing,
            Form form,
            String newSecret) {
        public String when(Instant at, String lang) {
            return at == null ? "" : Dates.dayAndTime(at, lang);
        }
    }

    private final Views views;
    private final Webhooks webhooks;

    public WebhookController(Views views, Webhooks webhooks) {
        this.views = views;
        this.webhooks = webhooks;
    }

    public void page(Context ctx) {
        render(ctx, Form.EMPTY, null);
    }

    public void create(Context ctx) {
        String url = Optional.ofNullable(ctx.formParam("url")).orElse("").trim();
        String problem = Webhooks.urlProblem(url);
        if (problem != null) {
            ctx.status(400);
            render(ctx, new Form(Map.of("url", url), Map.of("url", problem)), null);
            return;
        }
        Webhooks.Created created = webhooks.register(url, Actor.of(admin(ctx)));
        render(ctx, Form.EMPTY, created.secret());
    }

    public void delete(Context ctx) {
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            ctx.status(404);
            render(ctx, Form.EMPTY, null);
            return;
        }
        if (!webhooks.delete(id, Actor.of(admin(ctx)))) {
            ctx.status(404);
            render(ctx, Form.EMPTY, null);
            return;
        }
        ctx.redirect("/admin/webhooks");
    }

    private void render(Context ctx, Form form, String newSecret) {
        WebhooksPage page = webhooks.page(form, newSecret);
        ctx.header("Cache-Control", "no-store");
        views.render(ctx, "webhooks/webhooks.jte", page);
    }

    private static CurrentUser admin(Context ctx) {
        return CurrentUser.of(ctx);
    }
}
