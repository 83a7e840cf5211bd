package fr.sesame.web;

import static org.assertj.core.api.Assertions.assertThat;

import fr.sesame.audit.Actor;
import fr.sesame.auth.StaffAccounts;
import fr.sesame.db.Towns;
import fr.sesame.demo.DemoSeed;
import fr.sesame.support.Http;
import fr.sesame.support.SesameTest;
import fr.sesame.support.SignIn;
import fr.sesame.support.TestApp;
import fr.sesame.support.TwoTowns;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two towns in one app (issue 17): town A at {@code localhost}, town B at {@code 127.0.0.1}, each
 * with the demo town's data. Every route of the route table, with every role of town A, on town A's
 * host, aimed at town B's ids: no answer shows anything of town B, and town B's rows are left as
 * they were. Also: the host picks the town, an unknown host gets 404, a town's accounts and letter
 * codes do not sign in on the other's host.
 */
@SesameTest(demo = true, env = "METRICS_TOKEN=matrix-metrics-token-0123456789")
class TownMatrixTest {
    static TestApp app;
    static Jdbi owner;
    static Towns towns;
    static long townB;
    static final String MARK = "Zzebra";
    static final Map<String, Supplier<Http>> WEB = new LinkedHashMap<>();
    static final Map<String, String> API_TOKENS = new LinkedHashMap<>();
    static final Map<String, Http> SIGNED_IN = new HashMap<>();

    @BeforeAll
    static void twoTowns() throws Exception {
        owner = TwoTowns.owner(app.app().database());
        towns = app.app().database().towns();
        townB = TwoTowns.addTownB(app, owner);
        // Town B's own names, to be spotted in an answer, and its own accounts and codes.
        owner.useHandle(
                h -> {
                    h.execute("update school set name = ? || name where town_id = ?", MARK, townB);
                    h.execute(
                            "update workshop_type set title_fr = ? || title_fr, title_en = ? || title_en where town_id = ?",
                            MARK,
                            MARK,
                            townB);
                    h.execute(
                            "update guardian set last_name = ? || last_name where town_id = ?",
                            MARK,
                            townB);
                    h.execute(
                            "update child set first_name = ? || first_name where town_id = ?",
                            MARK,
                            townB);
                    h.execute(
                            "update device set asset_tag = 'B' || asset_tag where town_id = ?",
                            townB);
                    h.execute(
                            "update staff_account set email = 'b.' || email where town_id = ?",
                            townB);
                    h.execute(
                            "update family set letter_code = translate(letter_code, '2345', '5432') where town_id = ?",
                            townB);
                });
        WEB.put("anonymous", app::client);
        WEB.put("parent", () -> SignIn.parent(app));
        WEB.put("trainer", () -> SignIn.trainer(app));
        WEB.put("school_staff", () -> SignIn.schoolStaff(app));
        WEB.put("admin", () -> SignIn.admin(app));
        for (String scope : List.of("read", "it", "admin")) {
            API_TOKENS.put(
                    "api_" + scope,
                    towns.in(
                            1,
                            () ->
                                    new StaffAccounts(app.jdbi())
                                            .createToken(
                                                    Actor.COMMAND_LINE, "towns " + scope, scope)));
        }
    }

    private static Http townB() {
        return new Http("http://127.0.0.1:" + app.port());
    }

    @Test
    void the_host_name_picks_the_town_and_an_unknown_host_gets_404() {
        assertThat(app.client().get("/").statusCode()).isEqualTo(200);
        assertThat(townB().get("/").statusCode()).isEqualTo(200);
        Http unknown = new Http("http://127.0.0.2:" + app.port());
        HttpResponse<String> r = unknown.get("/");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("<html");
        assertThat(unknown.get("/sign-in/staff").statusCode()).isEqualTo(404);
        assertThat(unknown.get("/health/live").statusCode()).isEqualTo(200);
    }

    @Test
    void a_town_s_staff_and_letter_codes_do_not_sign_in_on_the_other_town_s_host() {
        Http onB = townB();
        onB.get("/sign-in/staff");
        HttpResponse<String> staff =
                onB.postForm(
                        "/sign-in/staff",
                        Map.of("email", DemoSeed.ADMIN_EMAIL, "password", DemoSeed.ADMIN_PASSWORD));
        assertThat(staff.statusCode()).isEqualTo(400);
        onB.get("/sign-in/code");
        HttpResponse<String> parent =
                onB.postForm("/sign-in/code", Map.of("code", "K7M4-9PQX", "child", "Lina"));
        assertThat(parent.statusCode()).isEqualTo(400);
        // town B's own admin does sign in there, and sees town B
        Http adminB = townB();
        adminB.get("/sign-in/staff");
        assertThat(
                        adminB.postForm(
                                        "/sign-in/staff",
                                        Map.of(
                                                "email",
                                                "b." + DemoSeed.ADMIN_EMAIL,
                                                "password",
                                                DemoSeed.ADMIN_PASSWORD))
                                .statusCode())
                .isEqualTo(302);
        assertThat(adminB.get("/roster").body()).contains(MARK);
        // and town A's session cookie is nobody on town B's host
        Http admin = SignIn.admin(app);
        String cookies =
                admin.cookies().getCookieStore().getCookies().stream()
                        .map(c -> c.getName() + "=" + c.getValue())
                        .collect(java.util.stream.Collectors.joining("; "));
        assertThat(app.client().get("/roster", "Cookie", cookies).statusCode()).isEqualTo(200);
        HttpResponse<String> page = townB().get("/roster", "Cookie", cookies);
        assertThat(page.statusCode()).isEqualTo(302);
        assertThat(page.headers().firstValue("Location").orElse("")).startsWith("/sign-in");
    }

    /** The id of one of town B's rows of this table (or one nobody has). */
    private static String idOfB(String table) {
        return owner.withHandle(
                h ->
                        h.select("select min(id)::text from " + table + " where town_id = ?", townB)
                                .mapTo(String.class)
                                .findOne()
                                .map(id -> id == null ? "999999" : id)
                                .orElse("999999"));
    }

    private static String pathAimedAtB(String path) {
        String table =
                path.startsWith("/admin/staff/")
                        ? "staff_account"
                        : path.startsWith("/admin/tokens/")
                                ? "api_token"
                                : path.contains("/families/")
                                        ? "family"
                                        : path.contains("sessions/")
                                                ? "workshop_session"
                                                : path.startsWith("/waiting/")
                                                        ? "waiting_entry"
                                                        : path.contains("bookings/")
                                                                ? "booking"
                                                                : path.startsWith(
                                                                                "/admin/workshops/")
                                                                        ? "workshop_type"
                                                                        : path.startsWith(
                                                                                        "/admin/roster/import/")
                                                                                ? "roster_upload"
                                                                                : path.startsWith(
                                                                                                "/admin/devices/")
                                                                                        ? "device"
                                                                                        : path
                                                                                                        .startsWith(
                                                                                                                "/admin/webhooks/")
                                                                                                ? "webhook_endpoint"
                                                                                                : null;
        String p = path.replace("{id}", table == null ? "999999" : idOfB(table));
        p = p.replace("{booking}", idOfB("booking"));
        p = p.replace("{lang}", "en");
        p =
                p.replace(
                        "{assetTag}",
                        owner.withHandle(
                                h ->
                                        h.select(
                                                        "select min(asset_tag) from device where town_id = ?",
                                                        townB)
                                                .mapTo(String.class)
                                                .one()));
        return p.replaceAll("\\{[^}]+}", "999999");
    }

    /** Every tenant table's rows of town B, as one fingerprint per table. */
    private static Map<String, String> townBRows() {
        Map<String, String> rows = new LinkedHashMap<>();
        for (String t :
                owner.withHandle(
                        h ->
                                h.select(
                                                "select table_name from information_schema.columns where table_schema = current_schema() and column_name = 'town_id' order by 1")
                                        .mapTo(String.class)
                                        .list())) {
            rows.put(
                    t,
                    owner.withHandle(
                            h ->
                                    h.select(
                                                    "select coalesce(md5(string_agg(x::text, '|' order by x::text)), '') from "
                                                            + t
                                                            + " x where town_id = ?",
                                                    townB)
                                            .mapTo(String.class)
                                            .one()));
        }
        return rows;
    }

    @Test
    void every_route_with_every_role_of_town_a_aimed_at_town_b_s_ids_reads_and_changes_nothing() {
        Map<String, String> before = townBRows();
        List<WebApp.Route> routes = WebApp.routes(app.app().web());
        assertThat(routes).hasSizeGreaterThan(15);
        List<String> problems = new ArrayList<>();
        for (WebApp.Route route : routes) {
            if (route.path().equals("/sign-out")) continue;
            String path = pathAimedAtB(route.path());
            List<String> everyone = new ArrayList<>(WEB.keySet());
            everyone.addAll(API_TOKENS.keySet());
            for (String who : everyone) {
                Http client = WEB.containsKey(who) ? clientOf(who) : app.client();
                List<String> headers = new ArrayList<>();
                if (API_TOKENS.containsKey(who))
                    headers.addAll(List.of("Authorization", "Bearer " + API_TOKENS.get(who)));
                HttpResponse<String> r;
                if (route.method().equals("GET")) {
                    r = client.get(path, headers.toArray(String[]::new));
                } else {
                    client.get("/sign-in/code");
                    r = client.postForm(path, Map.of(), headers.toArray(String[]::new));
                }
                String cell = route.method() + " " + path + " as " + who + " -> " + r.statusCode();
                if (r.body().contains(MARK)) problems.add(cell + " (shows town B's data)");
                if (r.statusCode() >= 500) problems.add(cell + " (server error)");
                boolean aimed = !path.equals(route.path()) && !route.path().contains("{lang}");
                if (aimed && r.statusCode() >= 200 && r.statusCode() < 300)
                    problems.add(cell + " (expected 404 or 403 for town B's id)");
            }
        }
        assertThat(problems).isEmpty();
        assertThat(townBRows()).isEqualTo(before);
    }

    private static Http clientOf(String who) {
        if (who.equals("anonymous")) return WEB.get(who).get();
        Http signedIn = SIGNED_IN.computeIfAbsent(who, w -> WEB.get(w).get());
        Http copy = app.client();
        URI site = URI.create(app.baseUrl());
        for (HttpCookie cookie : signedIn.cookies().getCookieStore().getCookies())
            copy.cookies().getCookieStore().add(site, cookie);
        return copy;
    }
}
