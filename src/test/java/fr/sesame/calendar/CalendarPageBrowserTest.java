package fr.sesame.calendar;

import static org.assertj.core.api.Assertions.assertThat;

import fr.sesame.support.Browser;
import fr.sesame.support.SesameTest;
import fr.sesame.support.TestApp;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;

/**
 * The parent's calendar page on a phone: a booking to add, a subscription link to get, readable and
 * accessible.
 */
@SesameTest(demo = true, browser = true)
class CalendarPageBrowserTest {
    static TestApp app;

    @BeforeAll
    static void start() {
        CalendarFixture fixture = new CalendarFixture(app.jdbi());
        long session =
                fixture.session(
                        "0211234A",
                        ZonedDateTime.of(2026, 12, 8, 17, 30, 0, 0, ZoneId.of("Europe/Paris")),
                        Duration.ofHours(2));
        long booking = fixture.book(session, fixture.demoParent());
        app.jdbi().useTransaction(h -> app.app().calendarOutbox().bookingConfirmed(h, booking));
    }

    @Test
    void a_parent_on_a_phone_adds_a_workshop_and_gets_a_subscription_link() {
        try (Browser browser = Browser.open(360, 740)) {
            var driver = browser.driver();
            browser.go(app.url("/sign-in/code"));
            driver.findElement(By.id("f-code")).sendKeys("K7M4-9PQX");
            driver.findElement(By.id("f-child")).sendKeys("Lina", Keys.ENTER);
            // The sign-in page stays "complete" until the next one replaces it: wait for the
            // parent's home.
            new org.openqa.selenium.support.ui.WebDriverWait(
                            driver, java.time.Duration.ofSeconds(10))
                    .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                    .until(d -> browser.heading().startsWith("Bonjour"));
            driver.findElement(By.linkText("Mon agenda")).click();
            browser.waitForHeading("Mon agenda");
            assertThat(driver.findElement(By.linkText("Ajouter à mon agenda")).getAttribute("href"))
                    .matches(".*/me/bookings/\\d+/calendar\\.ics");
            assertThat(browser.scrollsHorizontally()).isFalse();
            assertThat(browser.axeSeriousViolations()).isEmpty();

            driver.findElement(
                            By.xpath(
                                    "//button[normalize-space()=\"Obtenir mon lien d’abonnement\"]"))
                    .click();
            browser.waitForHeading("Mon agenda");
            assertThat(
                            driver.findElement(By.partialLinkText("Ouvrir dans mon agenda"))
                                    .getAttribute("href"))
                    .startsWith("webcal://")
                    .endsWith(".ics");
            assertThat(driver.findElement(By.cssSelector("code.token")).getText())
                    .startsWith("http")
                    .contains("/calendar/feed/");
            browser.screenshot(Path.of("target", "screenshots", "calendar-360.png"));
            assertThat(browser.scrollsHorizontally())
                    .as("the long link wraps on a phone")
                    .isFalse();
            assertThat(browser.axeSeriousViolations()).isEmpty();
            assertThat(browser.consoleErrors()).isEmpty();
        }
    }
}
