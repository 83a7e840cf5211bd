package fr.sesame.reach;

import fr.sesame.auth.LoginSessions;
import fr.sesame.auth.Throttle;
import fr.sesame.auth.Tokens;
import fr.sesame.web.Language;
import fr.sesame.web.TrustedProxies;
import fr.sesame.web.Views;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The page a personal link opens. It asks before it signs in (a phone's link preview fetches the
 * address: it must not use up the link), then the button signs the guardian in and opens the
 * sessions page. A used or expired link answers <b>410 Gone</b> (the link existed and is over: the
 * page says so in the guardian's language); a link that names nothing (mistyped, forged) answers
 * <b>404</b>, in the visitor's language, since it tells nobody's. Both offer the usual sign-in (ENT
 * or letter code). Wrong links are slowed down like wrong letter codes.
 */
public final class PersonalLinkController {
    private static final Logger log = LoggerFactory.getLogger(PersonalLinkController.class);

    /** The page's model: the form's action (when the link opens) and its state. */
    public record LinkPage(String action, String state, String notice) {}

    private final PersonalLinks links;
    private final LoginSessions sessions;
    private final Throttle throttle;
    private final TrustedProxies proxies;
    private final Views views;

    public PersonalLinkController(
            PersonalLinks links,
            LoginSessions sessions,
            Throttle throttle,
            TrustedProxies proxies,
            Views views) {
        this.links = links;
        this.sessions = sessions;
        this.throttle = throttle;
        this.proxies = proxies;
        this.views = views;
    }

    public void ask(Context ctx) {
        String token = ctx.pathParam("token");
        if (throttled(ctx, token)) return;
        PersonalLinks.Look look = links.look(token);
        if (look.state() != PersonalLinks.State.OPEN) {
            refuse(ctx, look);
            return;
        }
        // a link that opens gives its attempt back: looking at it again is no guessing
        throttle.succeeded(tokenKey(token), addressKey(ctx));
        speak(ctx, look.language());
        views.render(ctx, "reach/link.jte", new LinkPage(PersonalLinks.PATH + token, "open", null));
    }

    public void use(Context ctx) {
        String token = ctx.pathParam("token");
        if (throttled(ctx, token)) return;
        Optional<Long> guardian = links.use(token);
        if (guardian.isEmpty()) {
            refuse(ctx, links.look(token));
            return;
        }
        throttle.succeeded(tokenKey(token), addressKey(ctx));
        sessions.signIn(ctx, "parent", guardian.get(), null, null);
        log.info("event=sign_in kind=parent method=personal_link");
        ctx.redirect("/sessions");
    }

    private void refuse(Context ctx, PersonalLinks.Look look) {
        log.info("event=personal_link_refused state={}", look.state());
        String state = look.state().name().toLowerCase(java.util.Locale.ROOT);
        if (look.state() == PersonalLinks.State.UNKNOWN) {
            views.renderNotFound(ctx, "reach/link.jte", new LinkPage(null, state, null));
            return;
        }
        speak(ctx, look.language());
        ctx.status(410);
        views.render(ctx, "reach/link.jte", new LinkPage(null, state, null));
    }

    /** Counts the attempt before the link is looked up; true when the visitor must wait. */
    private boolean throttled(Context ctx, String token) {
        Optional<Duration> wait = throttle.attempt(List.of(tokenKey(token), addressKey(ctx)));
        if (wait.isEmpty()) return false;
        long minutes = Math.max(1, (wait.get().toSeconds() + 59) / 60);
        ctx.status(429);
        ctx.header("Retry-After", String.valueOf(Math.max(1, wait.get().toSeconds())));
        views.render(
                ctx,
                "reach/link.jte",
                new LinkPage(
                        null, "throttled", Language.messages(ctx).t("auth.throttled", minutes)));
        return true;
    }

    private static Throttle.Key tokenKey(String token) {
        return new Throttle.Key(
                "link:" + Tokens.sha256(token == null ? "" : token).substring(0, 32), 5);
    }

    private Throttle.Key addressKey(Context ctx) {
        return Throttle.Key.address("link", proxies.clientAddress(ctx));
    }

    /** The guardian's language, unless the address or the visitor's own choice says another. */
    private static void speak(Context ctx, String language) {
        if (language != null
                && ctx.queryParam("lang") == null
                && ctx.cookie(Language.COOKIE) == null) ctx.attribute("lang", language);
    }
}
