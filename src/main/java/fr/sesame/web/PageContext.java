package fr.sesame.web;

import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** What every page's layout needs: the language, the path (for the language switch), the CSRF token, who is signed in. */
public record PageContext(Messages msg, String path, String csrfToken, Viewer viewer) {

    /** Who is looking at the page, as the layout shows it. */
    public record Viewer(String name, String role) {
        public static final Viewer ANONYMOUS = new Viewer(null, null);

        public boolean signedIn() {
            return role != null;
        }
    }

    public static PageContext of(Context ctx) {
        String csrf = ctx.attribute(Csrf.ATTRIBUTE);
        Viewer viewer = ctx.attribute(Viewer.class.getName());
        return new PageContext(Language.messages(ctx), ctx.path(), csrf, viewer == null ? Viewer.ANONYMOUS : viewer);
    }

    public String lang() {
        return msg.lang();
    }

    public String t(String key, Object... args) {
        return msg.t(key, args);
    }

    public String switchLanguageUrl(String lang) {
        return "/lang/" + lang + "?next=" + URLEncoder.encode(path, StandardCharsets.UTF_8);
    }
}
