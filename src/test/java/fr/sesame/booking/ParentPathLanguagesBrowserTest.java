package fr.sesame.booking;

import static org.assertj.core.api.Assertions.assertThat;

import fr.sesame.support.Browser;
import fr.sesame.support.SesameTest;
import fr.sesame.support.TestApp;
import fr.sesame.web.Messages;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The parent path in each family language on a 360×740 phone, with the keyboard only (Tab and
 * Enter): sign in with the letter code, book, move, cancel. The family's roster language is set
 * first; after sign-in every page is in it (lang, and dir="rtl" for Arabic), the buttons are found
 * by that language's words, and axe (WCAG 2.1 A and AA) finds nothing serious on any page.
 */
@SesameTest(demo = true, browser = true)
class ParentPathLanguagesBrowserTest {
    private static TestApp app;

    @Test
    void the_parent_path_works_by_keyboard_in_every_family_language_with_axe_on_each_page() {
        for (String lang : Messages.FAMILY_LANGUAGES) {
            walk(lang);
        }
    }

    private static void walk(String lang) {
        Messages msg = Messages.of(lang);
        app.jdbi()
                .useHandle(
                        h ->
                                h.execute(
                                        "update guardian set language = ? where family_id ="
                                                + " (select id from family where letter_code = 'K7M49PQX')",
                                        lang));
        try (Browser browser = Browser.open(360, 740)) {
            WebDriver d = browser.driver();
            browser.go(app.url("/sign-in/code"));
            Browser.tabTo(d, "the code field", e -> "f-code".equals(e.getAttribute("id")));
            type(d, "K7M4-9PQX");
            Browser.tabTo(d, "the first-name field", e -> "f-child".equals(e.getAttribute("id")));
            type(d, "Lina");
            press(d, Keys.ENTER);
            waitForPath(d, "/me");
            WebElement html = d.findElement(By.tagName("html"));
            assertThat(html.getAttribute("lang")).as(lang).isEqualTo(lang);
            assertThat(html.getAttribute("dir"))
                    .as(lang)
                    .isEqualTo(lang.equals("ar") ? "rtl" : "ltr");
            check(browser, lang, "me");

            Browser.tabTo(d, "the choose-a-workshop link", text(msg.t("booking.choose")));
            press(d, Keys.ENTER);
            waitForPath(d, "/sessions");
            check(browser, lang, "sessions");

            Browser.tabTo(
                    d,
                    "the first session",
                    e -> String.valueOf(e.getAttribute("href")).matches(".*/sessions/\\d+$"));
            press(d, Keys.ENTER);
            new WebDriverWait(d, Duration.ofSeconds(10))
                    .until(x -> x.getCurrentUrl().matches(".*/sessions/\\d+$"));
            browser.waitForPage();
            check(browser, lang, "session");

            Browser.tabTo(d, "the book button", text(msg.t("booking.book")));
            press(d, Keys.ENTER);
            waitForPath(d, "/me");
            assertThat(mainText(d)).as(lang).contains(plain(msg.t("booking.done.booked")));
            check(browser, lang, "booked");

            Browser.tabTo(d, "the change-date link", text(msg.t("booking.move.link")));
            press(d, Keys.ENTER);
            new WebDriverWait(d, Duration.ofSeconds(10))
                    .until(x -> x.getCurrentUrl().endsWith("/move"));
            browser.waitForPage();
            check(browser, lang, "move");
            Browser.tabTo(d, "a new date", text(msg.t("booking.move.choose")));
            press(d, Keys.ENTER);
            waitForPath(d, "/me");
            assertThat(mainText(d)).as(lang).contains(plain(msg.t("booking.done.moved")));

            Browser.tabTo(d, "the cancel link", text(msg.t("booking.cancel.link")));
            press(d, Keys.ENTER);
            new WebDriverWait(d, Duration.ofSeconds(10))
                    .until(x -> x.getCurrentUrl().endsWith("/cancel"));
            browser.waitForPage();
            check(browser, lang, "cancel");
            Browser.tabTo(d, "the confirm button", text(msg.t("booking.cancel.confirm")));
            press(d, Keys.ENTER);
            waitForPath(d, "/me");
            assertThat(mainText(d)).as(lang).contains(plain(msg.t("booking.done.cancelled")));
            check(browser, lang, "cancelled");
            assertThat(browser.consoleErrors()).as(lang).isEmpty();
        }
        assertThat(
                        Fixtures.count(
                                app.jdbi(), "select count(*) from booking where status = 'active'"))
                .as(lang + ": nothing left booked")
                .isZero();
    }

    private static void check(Browser browser, String lang, String name) {
        assertThat(browser.scrollsHorizontally())
                .as(lang + " sideways scroll on " + name)
                .isFalse();
        browser.screenshot(
                Path.of("target", "screenshots", "parent-" + lang + "-" + name + "-360.png"));
        assertThat(browser.axeSeriousViolations()).as(lang + " axe on " + name).isEmpty();
    }

    private static String mainText(WebDriver d) {
        return plain(d.findElement(By.tagName("main")).getText());
    }

    private static String plain(String text) {
        return text.replace('\u00a0', ' ').replace('\u202f', ' ').replaceAll("\\s+", " ");
    }

    private static Predicate<WebElement> text(String prefix) {
        return e -> plain(e.getText().trim()).startsWith(plain(prefix));
    }

    private static void press(WebDriver d, CharSequence key) {
        new Actions(d).sendKeys(key).perform();
    }

    private static void type(WebDriver d, String text) {
        new Actions(d).sendKeys(text).perform();
    }

    private static void waitForPath(WebDriver d, String path) {
        new WebDriverWait(d, Duration.ofSeconds(10))
                .until(
                        x ->
                                x.getCurrentUrl()
                                        .replaceFirst("^https?://[^/]+", "")
                                        .replaceFirst("\\?.*$", "")
                                        .equals(path));
        new WebDriverWait(d, Duration.ofSeconds(10))
                .until(
                        x ->
                                "complete"
                                        .equals(
                                                ((JavascriptExecutor) x)
                                                        .executeScript(
                                                                "return document.readyState")));
    }
}
