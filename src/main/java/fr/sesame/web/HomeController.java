package fr.sesame.web;

import io.javalin.http.Context;

/** The home page and the language switch. */
public final class HomeController {
    private static final int ONE_YEAR = 365 * 24 * 3600;
    private final Views views;
    private final boolean secureCookies;

    public HomeController(Views views, boolean secureCookies) {
        this.views = views;
        this.secureCookies = secureCookies;
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
        ctx.cookie(
                new io.javalin.http.Cookie(
                        Language.COOKIE,
                        lang,
                        "/",
                        ONE_YEAR,
                        secureCookies,
                        true,
                        null,
                        io.javalin.http.SameSite.LAX));
        String next = Form.localPath(ctx.queryParam("next"));
        ctx.redirect(next.isEmpty() ? "/" : next);
    }
}
