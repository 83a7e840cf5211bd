package fr.sesame.web;

import io.javalin.http.Context;

/** The home page and the language switch. */
public final class HomeController {
    private final Views views;
    private final boolean secureCookies;
    private final java.util.function.BiConsumer<Context, String> chosen;

    /**
     * {@code chosen} hears every language chosen on the switch (the composition root stores a
     * signed-in parent's choice on the guardian).
     */
    public HomeController(
            Views views,
            boolean secureCookies,
            java.util.function.BiConsumer<Context, String> chosen) {
        this.views = views;
        this.secureCookies = secureCookies;
        this.chosen = chosen;
    }

    public HomeController(Views views, boolean secureCookies) {
        this(views, secureCookies, (ctx, lang) -> {});
    }

    public void home(Context ctx) {
        views.render(ctx, "home/index.jte");
    }

    /** The accessibility statement, in RGAA 4.1's form, linked from every page's footer. */
    public void accessibility(Context ctx) {
        views.render(ctx, "home/accessibility.jte");
    }

    /** Remembers the chosen language in a cookie and goes back to the page the visitor was on. */
    public void switchLanguage(Context ctx) {
        String lang = ctx.pathParam("lang");
        if (!Messages.LANGUAGES.contains(lang)) {
            ctx.status(404);
            return;
        }
        Language.remember(ctx, lang, secureCookies);
        chosen.accept(ctx, lang);
        String next = Form.localPath(ctx.queryParam("next"));
        ctx.redirect(next.isEmpty() ? "/" : next);
    }
}
