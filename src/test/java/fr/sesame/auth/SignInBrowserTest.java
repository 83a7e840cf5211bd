package fr.sesame.auth;

import static org.assertj.core.api.Assertions.assertThat;

import fr.sesame.demo.DemoSeed;
import fr.sesame.support.Browser;
import fr.sesame.support.SesameTest;
import fr.sesame.support.TestApp;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.interactions.Actions;

@SesameTest(demo = true, browser = true)
class SignInBrowserTest {
    private static TestApp app;

    @Test
    void a_parent_signs_in_with_the_letter_code_on_a_phone_using_only_the_keyboard() {
        try (Browser browser = Browser.open(360, 740)) {
            WebDriver driver = browser.driver();
            browser.go(app.url("/sign-in"));
            assertThat(browser.axeSeriousViolations()).isEmpty();
            Browser.tabTo(
                    driver,
                    "the letter-code link",
                    e -> e.equals(driver.findElement(By.linkText("J'ai un code"))));
            new Actions(driver).sendKeys(Keys.ENTER).perform();
            browser.waitForHeading("Se connecter avec le code de la lettre");
            assertThat(browser.scrollsHorizontally()).isFalse();
            assertThat(browser.axeSeriousViolations()).isEmpty();

            // a wrong first name: the message is next to the field and the code is kept
            Browser.tabTo(driver, "the code field", e -> "f-code".equals(e.getAttribute("id")));
            new Actions(driver)
                    .sendKeys("k7m4-9pqx")
                    .sendKeys(Keys.TAB)
                    .sendKeys("Nobody")
                    .sendKeys(Keys.ENTER)
                    .perform();
            browser.waitForHeading("Se connecter avec le code de la lettre");
            assertThat(driver.findElement(By.id("f-code-error")).getText())
                    .contains("ne correspond pas");
            assertThat(driver.findElement(By.id("f-code")).getAttribute("value"))
                    .isEqualTo("k7m4-9pqx");
            // the error first, and the hint still read: both describe the field
            assertThat(driver.findElement(By.id("f-code")).getAttribute("aria-describedby"))
                    .isEqualTo("f-code-error f-code-hint");
            assertThat(driver.findElement(By.id("f-code")).getAttribute("aria-invalid"))
                    .isEqualTo("true");
            assertThat(browser.axeSeriousViolations()).isEmpty();

            var child = driver.findElement(By.id("f-child"));
            child.clear();
            child.sendKeys("Lina", Keys.ENTER);
            browser.waitForHeading("Bonjour Mei Martin");
            assertThat(driver.getPageSource())
                    .contains(
                            "Lina Martin",
                            "Il reste à réserver un atelier qui permet d'emporter l'ordinateur");
            assertThat(browser.scrollsHorizontally()).isFalse();
            assertThat(browser.axeSeriousViolations()).isEmpty();
            browser.screenshot(Path.of("target", "screenshots", "parent-home-360.png"));
            // The refused attempt answered 400 on purpose (bad input is a 4xx); Chromium logs that
            // status.
            assertThat(browser.consoleErrors())
                    .allMatch(
                            e ->
                                    e.contains("/sign-in/code - Failed to load resource")
                                            && e.contains("status of 400"));
        }
    }

    @Test
    void staff_pages_read_well_on_a_tablet() {
        try (Browser browser = Browser.open(1024, 768)) {
            WebDriver driver = browser.driver();
            browser.go(app.url("/sign-in/staff"));
            driver.findElement(By.id("f-email")).sendKeys(DemoSeed.ADMIN_EMAIL);
            driver.findElement(By.id("f-password")).sendKeys(DemoSeed.ADMIN_PASSWORD, Keys.ENTER);
            browser.waitForHeading("Service éducation");
            for (String page :
                    new String[] {
                        "/admin",
                        "/admin/staff",
                        "/admin/tokens",
                        "/admin/families",
                        "/school",
                        "/trainer"
                    }) {
                browser.go(app.url(page));
                assertThat(browser.scrollsHorizontally()).as(page).isFalse();
                assertThat(browser.axeSeriousViolations()).as(page).isEmpty();
            }
            browser.screenshot(Path.of("target", "screenshots", "admin-staff-1024.png"));
            assertThat(browser.consoleErrors()).isEmpty();
        }
    }

    @Test
    void after_signing_out_back_does_not_show_the_parents_page_again() {
        try (Browser browser = Browser.open(360, 740)) {
            WebDriver driver = browser.driver();
            browser.go(app.url("/sign-in/code?code=k7m4-9pqx"));
            driver.findElement(By.id("f-child")).sendKeys("Lina", Keys.ENTER);
            browser.waitForHeading("Bonjour Mei Martin");
            browser.go(app.url("/me"));
            browser.waitForHeading("Bonjour Mei Martin");
            driver.findElement(By.cssSelector("form[action='/sign-out'] button")).click();
            new org.openqa.selenium.support.ui.WebDriverWait(
                            driver, java.time.Duration.ofSeconds(10))
                    .until(d -> !d.getCurrentUrl().endsWith("/me"));
            browser.waitForPage();
            driver.navigate().back();
            browser.waitForPage();
            // no-store: the browser asks the server again, which sends a signed-out visitor to the
            // sign-in page
            assertThat(driver.getPageSource())
                    .doesNotContain("Bonjour Mei Martin")
                    .doesNotContain("Lina Martin");
        }
    }
}
