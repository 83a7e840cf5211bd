package fr.sesame.booking;

import static org.assertj.core.api.Assertions.assertThat;

import fr.sesame.support.Browser;
import fr.sesame.support.SesameTest;
import fr.sesame.support.TestApp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The whole parent path on a 360×740 phone, with the keyboard only: sign in, book, move, cancel.
 */
@SesameTest(demo = true, browser = true)
class ParentBookingBrowserTest {
    private static TestApp app;

    @Test
    void
            a_parent_signs_in_with_the_letter_code_then_books_moves_and_cancels_by_keyboard_on_a_phone() {
        try (Browser browser = Browser.open(360, 740)) {
            WebDriver d = browser.driver();
            browser.go(app.url("/sign-in/code"));
            Browser.tabTo(d, "the code field", e -> "f-code".equals(e.getAttribute("id")));
            type(d, "K7M4-9PQX");
            Browser.tabTo(d, "the first-name field", e -> "f-child".equals(e.getAttribute("id")));
            type(d, "Lina");
            press(d, Keys.ENTER);
            waitForPath(d, "/me");
            assertThat(browser.heading()).startsWith("Bonjour");
            check(browser, "me");

            Browser.tabTo(d, "the choose-a-workshop link", text("Choisir un atelier"));
            press(d, Keys.ENTER);
            waitForPath(d, "/sessions");
            assertThat(browser.heading()).isEqualTo("Choisir un atelier");
            check(browser, "sessions");

            Browser.tabTo(
                    d,
                    "the first session",
                    e -> String.valueOf(e.getAttribute("href")).matches(".*/sessions/\\d+$"));
            press(d, Keys.ENTER);
            new WebDriverWait(d, Duration.ofSeconds(10))
                    .until(x -> x.getCurrentUrl().matches(".*/sessions/\\d+$"));
            browser.waitForPage();
            check(browser, "session");

            Browser.tabTo(d, "the book button", text("Réserver ma place"));
            press(d, Keys.ENTER);
            waitForPath(d, "/me");
            assertThat(d.getPageSource()).contains("C'est réservé");
            check(browser, "booked");

            Browser.tabTo(d, "the change-date link", text("Changer de date"));
            press(d, Keys.ENTER);
            new WebDriverWait(d, Duration.ofSeconds(10))
                    .until(x -> x.getCurrentUrl().endsWith("/move"));
            browser.waitForPage();
            assertThat(browser.heading()).isEqualTo("Changer de date");
            check(browser, "move");
            Browser.tabTo(d, "a new date", text("Choisir cette date"));
            press(d, Keys.ENTER);
            waitForPath(d, "/me");
            assertThat(d.getPageSource())
                    .contains("C'est fait : votre place est à la nouvelle date.");

            Browser.tabTo(d, "the cancel link", text("Annuler"));
            press(d, Keys.ENTER);
            new WebDriverWait(d, Duration.ofSeconds(10))
                    .until(x -> x.getCurrentUrl().endsWith("/cancel"));
            browser.waitForPage();
            check(browser, "cancel");
            Browser.tabTo(d, "the confirm button", text("Oui, annuler ma place"));
            press(d, Keys.ENTER);
            waitForPath(d, "/me");
            assertThat(d.getPageSource()).contains("Votre place est annulée.");
            check(browser, "cancelled");

            assertThat(
                            Fixtures.count(
                                    app.jdbi(),
                                    "select count(*) from booking where status = 'active'"))
                    .isZero();
            assertThat(
                            Fixtures.count(
                                    app.jdbi(),
                                    "select count(*) from booking where status = 'moved'"))
                    .isEqualTo(1);
            assertThat(browser.consoleErrors()).isEmpty();
        }
    }

    private static void check(Browser browser, String name) {
        assertThat(browser.scrollsHorizontally()).as("sideways scroll on " + name).isFalse();
        browser.screenshot(Path.of("target", "screenshots", "booking-" + name + "-360.png"));
        assertThat(browser.axeSeriousViolations()).as("axe on " + name).isEmpty();
    }

    private static Predicate<WebElement> text(String prefix) {
        return e -> e.getText().trim().startsWith(prefix);
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
                        x -> {
                            String url = x.getCurrentUrl();
                            String p =
                                    url.replaceFirst("^https?://[^/]+", "")
                                            .replaceFirst("\\?.*$", "");
                            return p.equals(path);
                        });
        new WebDriverWait(d, Duration.ofSeconds(10))
                .until(
                        x ->
                                "complete"
                                        .equals(
                                                ((org.openqa.selenium.JavascriptExecutor) x)
                                                        .executeScript(
                                                                "return document.readyState")));
    }
}
