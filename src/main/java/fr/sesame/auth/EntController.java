package fr.sesame.auth;

import fr.sesame.web.Form;
import fr.sesame.web.Views;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ENT sign-in routes: the redirect to the ENT, its callback, and the ENT server's back-channel
 * logout. Every failure ends on a page in the visitor's language that offers the letter code, with
 * nobody signed in.
 */
public final class EntController {
    private static final Logger log = LoggerFactory.getLogger(EntController.class);
    private static final String NEXT = "ent.next";

    /** The model of the page shown when an ENT sign-in does not go through. */
    public record EntProblemPage(String reason, boolean retry, String next) {
        public String titleKey() {
            return "auth.ent." + reason + ".title";
        }

        public String textKey() {
            return "auth.ent." + reason + ".text";
        }

        public String nextQuery() {
            return next.isEmpty()
                    ? ""
                    : "?next="
                            + java.net.URLEncoder.encode(
                                    next, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private final Views views;
    private final LoginSessions sessions;
    private final EntService ent;

    public EntController(Views views, LoginSessions sessions, EntService ent) {
        this.views = views;
        this.sessions = sessions;
        this.ent = ent;
    }

    /** GET /auth/ent?next=/path: off to the ENT's sign-in page. */
    public void start(Context ctx) {
        if (!ent.enabled()) {
            ctx.status(404);
            return;
        }
        String next = Form.localPath(ctx.queryParam("next"));
        try {
            String location = ent.authorizationUrl(ctx);
            LoginSession session = sessions.currentOrNew(ctx);
            session.put(NEXT, next.isEmpty() ? null : next);
            ctx.header("Cache-Control", "no-store");
            ctx.redirect(location);
        } catch (EntFailure failure) {
            fail(ctx, failure, next);
        }
    }

    /** GET /auth/ent/callback: the ENT sends the parent back here with a code (or an error). */
    public void callback(Context ctx) {
        if (!ent.enabled()) {
            ctx.status(404);
            return;
        }
        LoginSession session = sessions.current(ctx);
        String next = session == null ? "" : Form.localPath(session.get(NEXT));
        ctx.header("Cache-Control", "no-store");
        try {
            String error = ctx.queryParam("error");
            if (error != null) throw refusal(error, ctx.queryParam("error_description"));
            LoginSession codeSession =
                    session != null
                                    && "parent".equals(session.principalKind())
                                    && session.entIssuer() == null
                            ? session
                            : null;
            EntService.Linked linked = ent.complete(ctx, codeSession);
            sessions.signIn(ctx, "parent", linked.guardianId(), linked.issuer(), linked.subject());
            log.info("event=sign_in kind=parent method=ent via={}", linked.via());
            ctx.redirect(next.isEmpty() ? "/me" : next);
        } catch (EntFailure failure) {
            fail(ctx, failure, next);
        }
    }

    /** The error body OpenID Connect back-channel logout specifies (OAuth's error format). */
    record LogoutError(
            String error,
            @com.fasterxml.jackson.annotation.JsonProperty("error_description")
                    String errorDescription) {}

    /**
     * POST /auth/ent/backchannel-logout: the ENT server ends a parent's sessions (signed
     * logout_token).
     */
    public void backchannelLogout(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        if (!ent.enabled()) {
            ctx.status(404).json(new LogoutError("invalid_request", "ENT sign-in is off"));
            return;
        }
        try {
            EntLogoutTokens.Subject subject = ent.verifyLogoutToken(ctx.formParam("logout_token"));
            int ended = sessions.endEntSessions(subject.issuer(), subject.subject());
            log.info("event=ent_backchannel_logout sessionsEnded={}", ended);
            ctx.status(200);
        } catch (EntLogoutTokens.Rejected rejected) {
            log.warn(
                    "event=ent_backchannel_logout_rejected reason=\"{}\"",
                    oneLine(rejected.getMessage()));
            ctx.status(400).json(new LogoutError("invalid_request", rejected.getMessage()));
        }
    }

    private void fail(Context ctx, EntFailure failure, String next) {
        if (ent.enabled()) ent.forgetAttempt(ctx);
        LoginSession session = sessions.current(ctx);
        if (session != null) session.remove(NEXT);
        String detail =
                oneLine(
                        failure.getMessage()
                                + (failure.getCause() == null
                                        ? ""
                                        : " ("
                                                + EntProvider.rootMessage(failure.getCause())
                                                + ")"));
        if (failure.status >= 500) {
            log.warn(
                    "event=ent_sign_in_failed reason={} status={} detail=\"{}\"",
                    failure.reason.key,
                    failure.status,
                    detail);
        } else {
            log.info(
                    "event=ent_sign_in_failed reason={} status={} detail=\"{}\"",
                    failure.reason.key,
                    failure.status,
                    detail);
        }
        ctx.status(failure.status);
        views.render(
                ctx,
                "auth/ent-problem.jte",
                new EntProblemPage(failure.reason.key, failure.reason.retry, next));
    }

    /**
     * The provider's error= answer: the parent cancelled or was refused, or the provider is in
     * trouble.
     */
    private static EntFailure refusal(String error, String description) {
        String code = error.length() > 40 ? error.substring(0, 40) : error;
        String detail = "provider error " + code + (description == null ? "" : ": " + description);
        return switch (code) {
            case "temporarily_unavailable" -> EntFailure.unavailable(503, detail, null);
            case "server_error" -> EntFailure.unavailable(502, detail, null);
            default -> new EntFailure(EntFailure.Reason.REFUSED, 400, detail);
        };
    }

    /** Log values come from outside: one line, bounded, no quotes to break the format. */
    private static String oneLine(String text) {
        if (text == null) return "";
        String clean = text.replaceAll("[\\p{Cntrl}\"]", " ");
        return clean.length() > 300 ? clean.substring(0, 300) + "…" : clean;
    }
}
