package fr.sesame.web;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;
import java.util.HashMap;
import java.util.Map;

/** Renders the precompiled jte templates of templates/ with the page context and a page model. */
public final class Views {
    private final TemplateEngine engine = TemplateEngine.createPrecompiled(ContentType.Html);

    public void render(Context ctx, String template, Object model) {
        Map<String, Object> params = new HashMap<>();
        params.put("page", PageContext.of(ctx));
        if (model != null) params.put("model", model);
        StringOutput out = new StringOutput();
        engine.render(template, params, out);
        ctx.contentType("text/html; charset=utf-8").result(out.toString());
    }

    /**
     * Renders a page of its own for a 404 (a link that names nothing, said in the page's words),
     * which the app's generic "page not found" then leaves as it is.
     */
    public void renderNotFound(Context ctx, String template, Object model) {
        ctx.status(404).attribute(OWN_NOT_FOUND, true);
        render(ctx, template, model);
    }

    static final String OWN_NOT_FOUND = "sesame.ownNotFound";

    public void render(Context ctx, String template) {
        render(ctx, template, null);
    }
}
