package fr.sesame.web;

import io.javalin.http.Context;
import java.util.Locale;

/**
 * Chooses the page language: {@code ?lang=} on the address, else the remembered choice, else the
 * browser's, else French. Staff (admin, trainer, school staff) read French or English only: a staff
 * viewer with another language sees French.
 */
public final class Language {
    public static final String COOKIE = "sesame_lang";

    private Language() {}

    public static String of(Context ctx) {
        String lang = ctx.attribute("lang");
        if (lang == null) {
            String asked = ctx.queryParam("lang");
            lang =
                    asked != null && Messages.LANGUAGES.contains(asked)
                            ? asked
                            : resolve(ctx.cookie(COOKIE), ctx.header("Accept-Language"));
            ctx.attribute("lang", lang);
        }
        PageContext.Viewer viewer = ctx.attribute(PageContext.Viewer.class.getName());
        return forViewer(lang, viewer == null ? null : viewer.role());
    }

    /** The language a viewer of this role reads: staff roles fall back to French. */
    static String forViewer(String lang, String role) {
        boolean staff =
                role != null && !role.equals("parent") && !Messages.STAFF_LANGUAGES.contains(lang);
        return staff ? "fr" : lang;
    }

    static String resolve(String cookie, String acceptLanguage) {
        if (cookie != null && Messages.LANGUAGES.contains(cookie)) return cookie;
        if (acceptLanguage != null) {
            try {
                for (Locale.LanguageRange range : Locale.LanguageRange.parse(acceptLanguage)) {
                    String tag = range.getRange();
                    String primary = tag.split("-")[0].toLowerCase(Locale.ROOT);
                    if (Messages.LANGUAGES.contains(primary)) return primary;
                }
            } catch (IllegalArgumentException ignored) {
                // a malformed header means: no preference
            }
        }
        return "fr";
    }

    /**
     * Remembers a language for a year in the visitor's cookie (and for the rest of this request).
     */
    public static void remember(Context ctx, String lang, boolean secure) {
        ctx.cookie(
                new io.javalin.http.Cookie(
                        COOKIE,
                        lang,
                        "/",
                        365 * 24 * 3600,
                        secure,
                        true,
                        null,
                        io.javalin.http.SameSite.LAX));
        ctx.attribute("lang", lang);
    }

    public static Messages messages(Context ctx) {
        return Messages.of(of(ctx));
    }
}
