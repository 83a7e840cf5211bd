package fr.sesame.web;

import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * What every page's layout needs: the language, the path (for the language switch), the CSRF token,
 * who is signed in.
 */
public record PageContext(
        Messages msg, String path, Supplier<String> csrfSupplier, Viewer viewer, String requestId) {

    /** Who is looking at the page, as the layout shows it. */
    public record Viewer(String name, String role) {
        public static final Viewer ANONYMOUS = new Viewer(null, null);

        public boolean signedIn() {
            return role != null;
        }

        /** The page where this person starts. */
        public String home() {
            return switch (role == null ? "" : role) {
                case "admin" -> "/admin";
                case "trainer" -> "/trainer";
                case "school_staff" -> "/school";
                case "parent" -> "/me";
                default -> "/sign-in";
            };
        }
    }

    public static PageContext of(Context ctx) {
        Supplier<String> csrf = ctx.attribute(AccessControl.CSRF_SUPPLIER);
        Viewer viewer = ctx.attribute(Viewer.class.getName());
        return new PageContext(
                Language.messages(ctx),
                ctx.path(),
                csrf == null ? () -> "" : csrf,
                viewer == null ? Viewer.ANONYMOUS : viewer,
                RequestIds.of(ctx));
    }

    /** The CSRF token for this page's forms (it opens a session when there is none yet). */
    public String csrf() {
        return csrfSupplier.get();
    }

    public String lang() {
        return msg.lang();
    }

    /** "rtl" or "ltr": the page's writing direction. */
    public String dir() {
        return Direction.of(msg.lang());
    }

    public String t(String key, Object... args) {
        return msg.t(key, args);
    }

    public String switchLanguageUrl(String lang) {
        return "/lang/" + lang + "?next=" + URLEncoder.encode(path, StandardCharsets.UTF_8);
    }
}
