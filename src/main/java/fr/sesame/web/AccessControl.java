package fr.sesame.web;

import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.HandlerType;
import io.javalin.http.UnauthorizedResponse;
import io.javalin.security.RouteRole;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Applies the route table's access rule to every matched request, once, before its handler; and
 * checks the CSRF token of every state-changing request made from a page.
 */
final class AccessControl {
    static final String CSRF_SUPPLIER = "csrfSupplier";
    private final Visitors visitors;

    AccessControl(Visitors visitors) {
        this.visitors = visitors;
    }

    /** Before every request: who is looking (for the layout), and a lazy CSRF token for forms. */
    void prepare(Context ctx) {
        CurrentUser user =
                ctx.path().startsWith("/api/") || ctx.path().startsWith("/static/")
                        ? null
                        : visitors.webUser(ctx);
        if (user != null) {
            ctx.attribute(
                    PageContext.Viewer.class.getName(),
                    new PageContext.Viewer(user.displayName(), user.role().key()));
        }
        ctx.attribute(CSRF_SUPPLIER, (Supplier<String>) () -> visitors.csrfToken(ctx));
    }

    void check(Context ctx) {
        Access access = accessOf(ctx.routeRoles());
        if (access == Access.PUBLIC
                || access == Access.ENT_SERVER
                || access == Access.METRICS
                || access == Access.SMS_PROVIDER) {
            if (access == Access.PUBLIC && !oneClickUnsubscribe(ctx)) checkCsrf(ctx);
            return;
        }
        if (access.isApi()) {
            CurrentUser client = visitors.apiClient(ctx);
            if (client == null) {
                ctx.header("WWW-Authenticate", "Bearer");
                throw new UnauthorizedResponse();
            }
            if (!access.allows(client)) throw new ForbiddenResponse();
            ctx.attribute(CurrentUser.class.getName(), client);
            return;
        }
        CurrentUser user = visitors.webUser(ctx);
        if (user == null) {
            // An API client does not use pages: no sign-in redirect for it.
            if (ctx.method() == HandlerType.GET && ctx.header("Authorization") == null) {
                ctx.redirect(
                        "/sign-in?next=" + URLEncoder.encode(ctx.path(), StandardCharsets.UTF_8));
                ctx.skipRemainingHandlers();
                return;
            }
            throw new ForbiddenResponse();
        }
        if (!access.allows(user)) throw new ForbiddenResponse();
        checkCsrf(ctx);
    }

    private void checkCsrf(Context ctx) {
        HandlerType method = ctx.method();
        if (method == HandlerType.GET
                || method == HandlerType.HEAD
                || method == HandlerType.OPTIONS) return;
        String given = ctx.header(Csrf.HEADER);
        if (given == null && isForm(ctx)) given = ctx.formParam(Csrf.FIELD);
        if (!visitors.csrfMatches(ctx, given)) throw new CsrfRejected();
    }

    /** A mail client's RFC 8058 one-click POST to a route that accepts it (see CsrfExemption). */
    private static boolean oneClickUnsubscribe(Context ctx) {
        return ctx.method() == HandlerType.POST
                && ctx.routeRoles().contains(CsrfExemption.ONE_CLICK_UNSUBSCRIBE)
                && isForm(ctx)
                && "One-Click".equals(ctx.formParam("List-Unsubscribe"));
    }

    private static boolean isForm(Context ctx) {
        String type = ctx.contentType();
        return type != null
                && (type.startsWith("application/x-www-form-urlencoded")
                        || type.startsWith("multipart/form-data"));
    }

    private static Access accessOf(Set<RouteRole> roles) {
        for (RouteRole role : roles) {
            if (role instanceof Access access) return access;
        }
        // A route without a rule is a programming error: refuse rather than serve it.
        return Access.ADMIN;
    }

    /** A state-changing request without the right CSRF token. */
    static final class CsrfRejected extends ForbiddenResponse {
        CsrfRejected() {
            super("csrf");
        }
    }
}
