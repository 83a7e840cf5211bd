package fr.sesame.web;

import static org.assertj.core.api.Assertions.assertThat;

import fr.sesame.audit.Actor;
import fr.sesame.auth.StaffAccounts;
import fr.sesame.support.Http;
import fr.sesame.support.SesameTest;
import fr.sesame.support.SignIn;
import fr.sesame.support.TestApp;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Walks every route of the route table with every role: the wrong role gets 403 (pages: sign-in
 * first).
 */
@SesameTest(demo = true, env = "METRICS_TOKEN=matrix-metrics-token-0123456789")
class RoleMatrixTest {
    static TestApp app;
    static final Map<String, Supplier<Http>> WEB = new LinkedHashMap<>();
    static final Map<String, String> API_TOKENS = new LinkedHashMap<>();

    /**
     * One sign-in per role (Argon2 makes each take a while): every request gets a copy of its
     * cookies.
     */
    static final Map<String, Http> SIGNED_IN = new HashMap<>();

    @BeforeAll
    static void start() {
        WEB.put("anonymous", app::client);
        WEB.put("parent", () -> SignIn.parent(app));
        WEB.put("trainer", () -> SignIn.trainer(app));
        WEB.put("school_staff", () -> SignIn.schoolStaff(app));
        WEB.put("admin", () -> SignIn.admin(app));
        for (String scope : List.of("read", "it", "admin")) {
            API_TOKENS.put(
                    "api_" + scope,
                    new StaffAccounts(app.jdbi())
                            .createToken(Actor.COMMAND_LINE, "matrix " + scope, scope));
        }
    }

    private static CurrentUser userFor(String who) {
        return switch (who) {
            case "parent" -> CurrentUser.parent(1, 1, "p");
            case "trainer" -> CurrentUser.staff(1, CurrentUser.Role.TRAINER, "t", null);
            case "school_staff" -> CurrentUser.staff(1, CurrentUser.Role.SCHOOL_STAFF, "s", 1L);
            case "admin" -> CurrentUser.staff(1, CurrentUser.Role.ADMIN, "a", null);
            case "api_read" -> CurrentUser.api(1, "r", "read");
            case "api_it" -> CurrentUser.api(1, "i", "it");
            case "api_admin" -> CurrentUser.api(1, "a", "admin");
            default -> null;
        };
    }

    @Test
    void every_route_declares_who_may_use_it_and_refuses_everyone_else() {
        List<WebApp.Route> routes = WebApp.routes(app.app().web());
        assertThat(routes).hasSizeGreaterThan(15);
        List<String> problems = new ArrayList<>();
        for (WebApp.Route route : routes) {
            String path = route.path().replaceAll("\\{[^}]+}", "999999");
            List<String> everyone = new ArrayList<>(WEB.keySet());
            everyone.addAll(API_TOKENS.keySet());
            for (String who : everyone) {
                boolean allowed =
                        route.access() == Access.PUBLIC
                                || route.access() == Access.ENT_SERVER
                                || route.access().allows(userFor(who));
                Http client = WEB.containsKey(who) ? clientOf(who, route.path()) : app.client();
                List<String> headers = new ArrayList<>();
                if (API_TOKENS.containsKey(who))
                    headers.addAll(List.of("Authorization", "Bearer " + API_TOKENS.get(who)));
                HttpResponse<String> r;
                if (route.method().equals("GET")) {
                    r = client.get(path, headers.toArray(String[]::new));
                } else {
                    client.get("/sign-in/code"); // a page with a form, for its CSRF token
                    r = client.postForm(path, Map.of(), headers.toArray(String[]::new));
                }
                int status = r.statusCode();
                String cell = route.method() + " " + route.path() + " as " + who + " -> " + status;
                if (allowed) {
                    if (status == 401 || status == 403 || isSignInRedirect(r))
                        problems.add(cell + " (should be allowed)");
                    if (status >= 500) problems.add(cell + " (server error)");
                } else if (route.access() == Access.SMS_PROVIDER) {
                    // Only the provider, with the secret in the address, calls back: no session or
                    // API token opens it (999999 is not the secret).
                    if (status != 403) problems.add(cell + " (expected 403)");
                } else if (route.access() == Access.METRICS) {
                    // Only the METRICS_TOKEN bearer scrapes: a web session or an API token is no
                    // credential there.
                    if (status != 401) problems.add(cell + " (expected 401)");
                } else if (route.access().isApi()) {
                    int expected = API_TOKENS.containsKey(who) ? 403 : 401;
                    if (status != expected) problems.add(cell + " (expected " + expected + ")");
                } else if (who.equals("anonymous") && route.method().equals("GET")) {
                    if (!isSignInRedirect(r))
                        problems.add(cell + " (expected a redirect to sign-in)");
                } else if (status != 403) {
                    problems.add(cell + " (expected 403)");
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    /**
     * A client with the role's session: a copy of the cookies of its one sign-in, so that what a
     * route sets (or clears) stays with that request. Signing out ends the session it is sent with:
     * that route gets its own.
     */
    private static Http clientOf(String who, String path) {
        if (who.equals("anonymous") || path.equals("/sign-out")) return WEB.get(who).get();
        Http signedIn = SIGNED_IN.computeIfAbsent(who, w -> WEB.get(w).get());
        Http copy = app.client();
        URI site = URI.create(app.baseUrl());
        for (HttpCookie cookie : signedIn.cookies().getCookieStore().getCookies()) {
            copy.cookies().getCookieStore().add(site, cookie);
        }
        return copy;
    }

    private static boolean isSignInRedirect(HttpResponse<String> r) {
        return r.statusCode() == 302
                && r.headers().firstValue("Location").orElse("").startsWith("/sign-in?next=");
    }
}
