package fr.sesame.a11y;

import static org.assertj.core.api.Assertions.assertThat;

import fr.sesame.support.Browser;
import fr.sesame.support.SesameTest;
import fr.sesame.support.TestApp;
import fr.sesame.web.Direction;
import fr.sesame.web.Messages;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * The accessibility statement and its footer link, the skip link, the visible focus, the compact
 * phone header and the right-to-left pages.
 */
@SesameTest(demo = true, browser = true)
class AccessibilityBrowserTest {
    private static TestApp app;

    @Test
    void every_page_links_the_statement_from_its_footer_and_the_home_page_too() {
        try (Browser browser = Browser.open(360, 740)) {
            for (String path : List.of("/", "/sign-in", "/sign-in/code", "/sign-in/staff")) {
                browser.go(app.url(path));
                WebElement link =
                        browser.driver()
                                .findElement(By.cssSelector("footer a[href='/accessibilite']"));
                assertThat(link.getText()).isEqualTo("Accessibilité : partiellement conforme");
            }
            browser.go(app.url("/"));
            assertThat(
                            browser.driver()
                                    .findElements(By.cssSelector("main a[href='/accessibilite']")))
                    .hasSize(1);
            browser.driver().findElement(By.cssSelector("footer a[href='/accessibilite']")).click();
            browser.waitForHeading("Déclaration d'accessibilité");
            String text = browser.driver().findElement(By.tagName("main")).getText();
            assertThat(text)
                    .contains("partiellement conforme")
                    .contains("RGAA")
                    .contains("4.1")
                    .contains("axe-core")
                    .contains("360 × 740")
                    .contains("aucun audit manuel")
                    .contains("Défenseur des droits")
                    .contains("2 décembre 2026");
            assertThat(browser.scrollsHorizontally())
                    .as(
                            String.valueOf(
                                    browser.js(
                                            "return [...document.querySelectorAll('body *')].filter(e =>"
                                                    + " e.getBoundingClientRect().right >"
                                                    + " document.documentElement.clientWidth).map(e =>"
                                                    + " e.tagName + '.' + e.className + ' '"
                                                    + " + e.textContent.slice(0, 40)).join(' | ')")))
                    .isFalse();

            browser.go(app.url("/lang/en?next=/accessibilite"));
            browser.waitForHeading("Accessibility statement");
            assertThat(
                            browser.driver()
                                    .findElement(By.cssSelector("footer a[href='/accessibilite']"))
                                    .getText())
                    .isEqualTo("Accessibility: partially compliant");
        }
    }

    @Test
    void the_first_tab_shows_the_skip_link_which_moves_to_the_content_and_focus_is_visible() {
        try (Browser browser = Browser.open(360, 740)) {
            WebDriver d = browser.driver();
            browser.go(app.url("/sign-in/code"));
            WebElement skip = d.findElement(By.cssSelector("a.skip-link"));
            assertThat(skip.getRect().getY() + skip.getRect().getHeight())
                    .as("hidden above the page before focus")
                    .isLessThanOrEqualTo(0);
            new Actions(d).sendKeys(Keys.TAB).perform();
            WebElement focused = d.switchTo().activeElement();
            assertThat(focused.getText()).isEqualTo("Aller au contenu");
            assertThat(focused.getRect().getY()).as("shown once focused").isGreaterThanOrEqualTo(0);
            assertThat(outline(browser)).as("focus ring of the skip link").isNotEqualTo("none");
            new Actions(d).sendKeys(Keys.ENTER).perform();
            assertThat(d.switchTo().activeElement().getAttribute("id")).isEqualTo("main");
            // the next Tab goes into the content, not back to the header
            Browser.tabTo(d, "the code field", e -> "f-code".equals(e.getAttribute("id")));
            assertThat(outline(browser)).as("focus ring of a field").isNotEqualTo("none");
            Browser.tabTo(
                    d,
                    "the submit button",
                    e ->
                            "button".equals(e.getTagName())
                                    && e.getText().length() > 0
                                    && !"link".equals(e.getAttribute("class")));
            assertThat(outline(browser)).as("focus ring of a button").isNotEqualTo("none");
        }
    }

    @Test
    void a_form_error_is_announced_and_tied_to_its_field() {
        try (Browser browser = Browser.open(360, 740)) {
            WebDriver d = browser.driver();
            browser.go(app.url("/sign-in/code"));
            browser.clickAndWait(d.findElement(By.cssSelector("main form button[type=submit]")));
            WebElement code = d.findElement(By.id("f-code"));
            assertThat(code.getAttribute("aria-invalid")).isEqualTo("true");
            String describedBy = code.getAttribute("aria-describedby");
            assertThat(describedBy).contains("f-code-error");
            WebElement error = d.findElement(By.id("f-code-error"));
            assertThat(error.getAttribute("role")).isEqualTo("alert");
            assertThat(error.getText()).isNotBlank();
        }
    }

    @Test
    void the_header_of_a_signed_in_parent_stays_under_80_px_on_a_phone() {
        try (Browser browser = Browser.open(360, 740)) {
            WebDriver d = browser.driver();
            browser.go(app.url("/sign-in/code"));
            d.findElement(By.name("code")).sendKeys("K7M4-9PQX");
            d.findElement(By.name("child")).sendKeys("Lina");
            browser.clickAndWait(d.findElement(By.cssSelector("main form button[type=submit]")));
            assertThat(d.getCurrentUrl()).endsWith("/me");
            for (String lang : Messages.LANGUAGES) {
                browser.go(app.url("/lang/" + lang + "?next=/me"));
                long height =
                        ((Number)
                                        browser.js(
                                                "return document.querySelector('.site-header').getBoundingClientRect().height"))
                                .longValue();
                assertThat(height).as("header height on a 360 px phone in " + lang).isLessThan(80);
                assertThat(browser.scrollsHorizontally())
                        .as("sideways scroll in " + lang)
                        .isFalse();
                // the brand, the sign-out button and the language switch never cover each other
                Object overlaps =
                        browser.js(
                                "var q = ['.site-header .brand', '.site-header .account button',"
                                        + " '.site-header .account > span', '.site-header .lang-switch'];"
                                        + "var r = q.map(function (s) { return document.querySelector(s).getBoundingClientRect(); });"
                                        + "var out = [];"
                                        + "for (var i = 0; i < r.length; i++) for (var j = i + 1; j < r.length; j++) {"
                                        + "  var a = r[i], b = r[j];"
                                        + "  if (a.width > 0 && b.width > 0 && a.left < b.right - 0.5 && b.left < a.right - 0.5"
                                        + "      && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5) out.push(q[i] + ' / ' + q[j]); }"
                                        + "return out.join(', ');");
                assertThat(overlaps).as("header parts overlapping in " + lang).isEqualTo("");
            }
            browser.go(app.url("/lang/fr?next=/"));
        }
    }

    @Test
    void pages_in_a_right_to_left_language_are_laid_out_right_to_left() {
        String rtl =
                Messages.LANGUAGES.stream().filter(Direction::rightToLeft).findFirst().orElse(null);
        Assumptions.assumeTrue(rtl != null, "no right-to-left language served yet");
        try (Browser browser = Browser.open(360, 740)) {
            WebDriver d = browser.driver();
            browser.go(app.url("/sign-in/code"));
            d.findElement(By.name("code")).sendKeys("K7M4-9PQX");
            d.findElement(By.name("child")).sendKeys("Lina");
            browser.clickAndWait(d.findElement(By.cssSelector("main form button[type=submit]")));
            browser.go(app.url("/lang/" + rtl + "?next=/sessions"));
            assertThat(d.findElement(By.tagName("html")).getAttribute("dir")).isEqualTo("rtl");
            WebElement back = d.findElement(By.cssSelector("main a.back"));
            long viewport =
                    ((Number) browser.js("return document.documentElement.clientWidth"))
                            .longValue();
            var rect = back.getRect();
            assertThat(viewport - (rect.getX() + rect.getWidth()))
                    .as("the back link starts on the right")
                    .isLessThan(rect.getX());
            Object arrow =
                    browser.js("return getComputedStyle(arguments[0], '::before').transform", back);
            assertThat(String.valueOf(arrow))
                    .as("the back arrow points right")
                    .startsWith("matrix(-1");
            browser.go(app.url("/lang/fr?next=/sessions"));
            assertThat(d.findElement(By.tagName("html")).getAttribute("dir")).isEqualTo("ltr");
            back = d.findElement(By.cssSelector("main a.back"));
            assertThat(back.getRect().getX())
                    .as("in French the back link starts on the left")
                    .isLessThan(40);
        }
    }

    private static String outline(Browser browser) {
        return String.valueOf(
                browser.js("return getComputedStyle(document.activeElement).outlineStyle"));
    }
}
