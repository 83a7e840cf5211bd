package fr.sesame.a11y;

import static org.assertj.core.api.Assertions.assertThat;

import com.deque.html.axecore.results.CheckedNode;
import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import fr.sesame.demo.DemoSeed;
import fr.sesame.support.Browser;
import fr.sesame.support.SesameTest;
import fr.sesame.support.TestApp;
import fr.sesame.web.Access;
import fr.sesame.web.CurrentUser;
import fr.sesame.web.Messages;
import fr.sesame.web.WebApp;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * Every GET page of the route table, seen by the role that may see it, passes axe-core's WCAG 2.1 A
 * and AA rules in real Chromium: parents' and public pages on a 360 × 740 phone, staff pages on an
 * 800 × 1280 tablet, in French and in every right-to-left language the app serves. The pages are
 * found by following the links of each role's pages (so pages with an id get a real one from the
 * demo town); a GET route that is a page and was not reached fails the test, so a new page cannot
 * escape it.
 */
@SesameTest(demo = true, browser = true)
class EveryPageAxeBrowserTest {
    private static TestApp app;

    /** GET routes that are not HTML pages: files, feeds, scripts, the API, redirects. */
    private static final Pattern NOT_A_PAGE =
            Pattern.compile(
                    "^/(api/|health|metrics|lang/|auth/ent)|\\.(csv|ics|json|js|pdf)$|/export$");

    /** GET pages a link walk of the demo town cannot reach, each with why. */
    private static final Map<String, String> NOT_REACHED_BY_LINKS =
            Map.of(
                    "/admin/roster/import/{id}",
                    "an import preview exists only after a file was uploaded",
                    "/o/{token}",
                    "the opt-out page is opened from the link in an SMS (OptOutTest)");

    record Visitor(String role, int width, int height, CurrentUser user, String start) {}

    private static final List<Visitor> VISITORS =
            List.of(
                    new Visitor("anonymous", 360, 740, null, "/"),
                    new Visitor("parent", 360, 740, CurrentUser.parent(1, 1, "p"), "/me"),
                    new Visitor(
                            "trainer",
                            800,
                            1280,
                            CurrentUser.staff(1, CurrentUser.Role.TRAINER, "t", null),
                            "/trainer"),
                    new Visitor(
                            "school_staff",
                            800,
                            1280,
                            CurrentUser.staff(1, CurrentUser.Role.SCHOOL_STAFF, "s", 1L),
                            "/school"),
                    new Visitor(
                            "admin",
                            800,
                            1280,
                            CurrentUser.staff(1, CurrentUser.Role.ADMIN, "a", null),
                            "/admin"));

    @Test
    void every_page_of_the_route_table_passes_axe_wcag21_aa_in_french_and_right_to_left() {
        List<WebApp.Route> pages = new ArrayList<>();
        for (WebApp.Route route : WebApp.routes(app.app().web())) {
            if (route.method().equals("GET") && !NOT_A_PAGE.matcher(route.path()).find())
                pages.add(route);
        }
        assertThat(pages).hasSizeGreaterThan(20);

        List<String> languages = new ArrayList<>(List.of("fr"));
        for (String lang : Messages.LANGUAGES)
            if (fr.sesame.web.Direction.rightToLeft(lang)) languages.add(lang);

        // pages opened from a message or met in a sign-in step, given real data to show
        Map<String, List<String>> direct =
                Map.of(
                        "anonymous",
                        List.of("/l/" + seedPersonalLink()),
                        "admin",
                        List.of("/admin/campaigns/" + seedCampaign()));

        Map<String, String> reachedBy = new LinkedHashMap<>(); // route pattern -> role
        Map<Visitor, Set<String>> urls = new LinkedHashMap<>();
        List<String> violations = new ArrayList<>();
        for (Visitor visitor : VISITORS) {
            try (Browser browser = Browser.open(visitor.width(), visitor.height())) {
                signIn(browser, visitor.role());
                if (visitor.role().equals("parent"))
                    bookOne(browser); // for the move and cancel pages
                if (visitor.role().equals("anonymous"))
                    enterCodeOfTwoGuardians(browser); // the guardian choice waits in its session
                Set<String> found =
                        crawl(
                                browser,
                                visitor,
                                pages,
                                reachedBy,
                                direct.getOrDefault(visitor.role(), List.of()));
                urls.put(visitor, found);
                boolean staff = visitor.user() != null && !visitor.role().equals("parent");
                for (String lang : languages) {
                    browser.go(app.url("/lang/" + lang + "?next=/"));
                    if (staff && !Messages.STAFF_LANGUAGES.contains(lang)) {
                        // staff pages stay French and English: asked in this language, French
                        browser.go(app.url(visitor.start()));
                        assertThat(browser.pageLanguage())
                                .as("staff page in " + lang)
                                .isEqualTo("fr");
                        continue;
                    }
                    for (String url : found) {
                        browser.go(app.url(url));
                        assertThat(browser.pageLanguage()).as(url).isEqualTo(lang);
                        assertThat(
                                        browser.driver()
                                                .findElement(By.tagName("html"))
                                                .getAttribute("dir"))
                                .as("dir of " + url + " in " + lang)
                                .isEqualTo(fr.sesame.web.Direction.of(lang));
                        for (String v : axe(browser.driver()))
                            violations.add(
                                    visitor.role()
                                            + " "
                                            + visitor.width()
                                            + "px "
                                            + lang
                                            + " "
                                            + url
                                            + ": "
                                            + v);
                    }
                }
            }
        }
        List<String> missing = new ArrayList<>();
        for (WebApp.Route page : pages) {
            if (!reachedBy.containsKey(page.path())
                    && !NOT_REACHED_BY_LINKS.containsKey(page.path()))
                missing.add(page.path() + " (" + page.access() + ")");
        }
        assertThat(missing).as("GET pages no role's links reached: " + reachedBy).isEmpty();
        assertThat(violations).as("axe WCAG 2.1 A/AA violations").isEmpty();
    }

    private static void signIn(Browser browser, String role) {
        WebDriver d = browser.driver();
        switch (role) {
            case "anonymous" -> {
                return;
            }
            case "parent" -> {
                browser.go(app.url("/sign-in/code"));
                d.findElement(By.name("code")).sendKeys("K7M4-9PQX");
                d.findElement(By.name("child")).sendKeys("Lina");
            }
            default -> {
                String[] account =
                        switch (role) {
                            case "trainer" ->
                                    new String[] {
                                        DemoSeed.TRAINER_EMAIL, DemoSeed.TRAINER_PASSWORD
                                    };
                            case "school_staff" ->
                                    new String[] {DemoSeed.SCHOOL_EMAIL, DemoSeed.SCHOOL_PASSWORD};
                            default -> new String[] {DemoSeed.ADMIN_EMAIL, DemoSeed.ADMIN_PASSWORD};
                        };
                browser.go(app.url("/sign-in/staff"));
                d.findElement(By.name("email")).sendKeys(account[0]);
                d.findElement(By.name("password")).sendKeys(account[1]);
            }
        }
        browser.clickAndWait(d.findElement(By.cssSelector("main form button[type=submit]")));
        assertThat(d.getCurrentUrl()).as(role + " signed in").doesNotContain("/sign-in");
    }

    /**
     * A family with two guardians and its letter code: entering it leaves the visitor on the page
     * asking which guardian they are (kept in the visitor's session while they choose).
     */
    private static void enterCodeOfTwoGuardians(Browser browser) {
        app.jdbi()
                .useTransaction(
                        h -> {
                            long family =
                                    h.createQuery(
                                                    "insert into family (reference, letter_code, letter_code_issued_at)"
                                                            + " values ('AXE-2G', 'H3N8W2RT', now()) returning id")
                                            .mapTo(Long.class)
                                            .one();
                            h.execute(
                                    "insert into guardian (family_id, first_name, last_name) values"
                                            + " (?, 'Nadia', 'Axe'), (?, 'Olivier', 'Axe')",
                                    family,
                                    family);
                            h.execute(
                                    "insert into child (family_id, school_id, first_name, last_name, class_level)"
                                            + " values (?, (select min(id) from school), 'Yanis', 'Axe', 'CM1')",
                                    family);
                        });
        WebDriver d = browser.driver();
        browser.go(app.url("/sign-in/code"));
        d.findElement(By.name("code")).sendKeys("H3N8-W2RT");
        d.findElement(By.name("child")).sendKeys("Yanis");
        browser.clickAndWait(d.findElement(By.cssSelector("main form button[type=submit]")));
        assertThat(d.getCurrentUrl()).as("asked which guardian").endsWith("/sign-in/guardian");
    }

    /** A personal link (as a campaign's message carries), not used: its page asks first. */
    private static String seedPersonalLink() {
        String token = fr.sesame.auth.Tokens.random(24);
        app.jdbi()
                .useHandle(
                        h ->
                                h.execute(
                                        "insert into personal_link (token_hash, guardian_id, family_id, purpose, created_at, expires_at)"
                                                + " select ?, g.id, g.family_id, 'campaign', now(), now() + interval '14 days'"
                                                + " from guardian g order by g.id limit 1",
                                        fr.sesame.auth.Tokens.sha256(token)));
        return token;
    }

    /** A campaign sent to nobody yet, so that its results page exists. */
    private static long seedCampaign() {
        return app.jdbi()
                .withHandle(
                        h ->
                                h.createQuery(
                                                "insert into campaign (campaign_key, channel, families, sent_by, sent_at)"
                                                        + " select gen_random_uuid(), 'sms', 0, min(id), now() from staff_account"
                                                        + " returning id")
                                        .mapTo(Long.class)
                                        .one());
    }

    /** Books the first session offered, through the pages, so the booking's pages exist. */
    private static void bookOne(Browser browser) {
        WebDriver d = browser.driver();
        browser.go(app.url("/sessions"));
        browser.clickAndWait(
                d.findElements(By.cssSelector("main a[href]")).stream()
                        .filter(
                                a ->
                                        String.valueOf(a.getAttribute("href"))
                                                .matches(".*/sessions/\\d+$"))
                        .findFirst()
                        .orElseThrow());
        browser.clickAndWait(
                d.findElements(By.cssSelector("main form button[type=submit]")).stream()
                        .filter(b -> b.getText().contains("Réserver"))
                        .findFirst()
                        .orElseThrow());
        assertThat(d.getPageSource()).contains("C'est réservé");
    }

    /** One URL per route pattern this visitor may see, found by following links from its start. */
    private static Set<String> crawl(
            Browser browser,
            Visitor visitor,
            List<WebApp.Route> pages,
            Map<String, String> reachedBy,
            List<String> direct) {
        Set<String> found = new LinkedHashSet<>();
        Set<String> patternsSeen = new LinkedHashSet<>();
        Deque<String> queue = new ArrayDeque<>(List.of(visitor.start()));
        if (visitor.user() == null)
            queue.addAll(
                    List.of("/sign-in", "/sign-in/code", "/sign-in/staff", "/sign-in/guardian"));
        queue.addAll(direct);
        while (!queue.isEmpty() && found.size() < 60) {
            String url = queue.poll();
            WebApp.Route route = routeOf(url, pages);
            if (route == null || !mayVisit(visitor, route) || !patternsSeen.add(route.path()))
                continue;
            browser.go(app.url(url));
            if (!browser.driver().getCurrentUrl().equals(app.url(url))) continue; // redirected
            found.add(url);
            reachedBy.putIfAbsent(route.path(), visitor.role());
            for (WebElement a : browser.driver().findElements(By.cssSelector("a[href]"))) {
                String href = a.getAttribute("href");
                if (href == null || !href.startsWith(app.url("/"))) continue;
                URI uri = URI.create(href);
                String path = uri.getRawPath();
                if (uri.getRawQuery() != null) continue;
                queue.add(path);
            }
        }
        return found;
    }

    private static boolean mayVisit(Visitor visitor, WebApp.Route route) {
        if (route.access() == Access.PUBLIC)
            return visitor.user() == null || !route.path().startsWith("/sign-in");
        return visitor.user() != null && route.access().allows(visitor.user());
    }

    private static WebApp.Route routeOf(String path, List<WebApp.Route> pages) {
        for (WebApp.Route route : pages) {
            String regex = Pattern.quote(route.path()).replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q");
            if (path.matches(regex)) return route;
        }
        return null;
    }

    /** Every axe violation of the WCAG 2.0/2.1 A and AA rules on the current page. */
    private static List<String> axe(WebDriver driver) {
        Results results =
                new AxeBuilder()
                        .withTags(List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa"))
                        .analyze(driver);
        if (results.isErrored())
            throw new IllegalStateException("axe failed: " + results.getErrorMessage());
        List<String> found = new ArrayList<>();
        for (Rule rule : results.getViolations()) {
            StringBuilder line =
                    new StringBuilder(
                            rule.getImpact() + " " + rule.getId() + ": " + rule.getHelp());
            for (CheckedNode node : rule.getNodes())
                line.append("\n    at ")
                        .append(node.getTarget())
                        .append(' ')
                        .append(node.getHtml());
            found.add(line.toString());
        }
        return found;
    }
}
