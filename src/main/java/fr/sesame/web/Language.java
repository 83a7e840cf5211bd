package fr.sesame.web;

import io.javalin.http.Context;
import java.util.Locale;

/** Chooses the page language: the remembered choice, else the browser's, else French. */
public final class Language {
    public static final String COOKIE = "sesame_lang";

    private Language() {}

    public static String of(Context ctx) {
        String cached = ctx.attribute("lang");
        if (cached != null) return cached;
        String lang = resolve(ctx.cookie(COOKIE), ctx.header("Accept-Language"));
        ctx.attribute("lang", lang);
        return lang;
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

    public static Messages messages(Context ctx) {
        return Messages.of(of(ctx));
    }
}
