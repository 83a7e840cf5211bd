package fr.sesame.messaging;

import fr.sesame.web.Language;
import fr.sesame.web.Views;
import io.javalin.http.Context;
import java.util.Optional;

/**
 * The page the opt-out link of every SMS opens: it asks before doing anything (a link opened by a
 * phone's preview must not opt anybody out), then confirms. It speaks the guardian's language
 * unless the visitor chose another.
 */
public final class OptOutController {
    private final OptOut optOut;
    private final Views views;

    public OptOutController(OptOut optOut, Views views) {
        this.optOut = optOut;
        this.views = views;
    }

    /** The page's model: the link's path, and what to say (ask, done, or an unknown link). */
    public record OptOutPage(String action, String state) {}

    public void ask(Context ctx) {
        String token = ctx.pathParam("token");
        Optional<OptOut.Holder> holder = optOut.find(token);
        if (holder.isEmpty()) {
            views.renderNotFound(ctx, "messaging/optout.jte", new OptOutPage(null, "unknown"));
            return;
        }
        speak(ctx, holder.get().language());
        views.render(
                ctx,
                "messaging/optout.jte",
                new OptOutPage(
                        SmsOutbox.OPT_OUT_PATH + token, holder.get().optedOut() ? "done" : "ask"));
    }

    public void confirm(Context ctx) {
        String token = ctx.pathParam("token");
        Optional<String> language = optOut.optOut(token);
        if (language.isEmpty()) {
            views.renderNotFound(ctx, "messaging/optout.jte", new OptOutPage(null, "unknown"));
            return;
        }
        speak(ctx, language.get());
        views.render(ctx, "messaging/optout.jte", new OptOutPage(null, "done"));
    }

    /** The guardian's language, unless the address or the visitor's own choice says another. */
    private static void speak(Context ctx, String language) {
        if (ctx.queryParam("lang") == null && ctx.cookie(Language.COOKIE) == null)
            ctx.attribute("lang", language);
    }
}
