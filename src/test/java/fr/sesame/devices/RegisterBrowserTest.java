package fr.sesame.devices;

import static org.assertj.core.api.Assertions.assertThat;

import fr.sesame.demo.DemoSeed;
import fr.sesame.support.Browser;
import fr.sesame.support.SesameTest;
import fr.sesame.support.Sql;
import fr.sesame.support.TestApp;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The register, a device's page, the return campaign and the school's view read well and pass axe
 * on a tablet.
 */
@SesameTest(demo = true, browser = true)
class RegisterBrowserTest {
    private static TestApp app;

    @Test
    void the_education_service_follows_devices_and_returns_them_in_bulk_on_a_tablet() {
        int device = Sql.count(app.jdbi(), "select id from device where asset_tag = 'CHN-0001'");
        try (Browser browser = Browser.open(1024, 768)) {
            WebDriver driver = browser.driver();
            browser.go(app.url("/sign-in/staff"));
            driver.findElement(By.id("f-email")).sendKeys(DemoSeed.ADMIN_EMAIL);
            driver.findElement(By.id("f-password")).sendKeys(DemoSeed.ADMIN_PASSWORD, Keys.ENTER);
            browser.waitForHeading("Service éducation");
            for (String page :
                    new String[] {
                        "/admin/devices",
                        "/admin/devices/" + device,
                        "/admin/returns",
                        "/school",
                        "/trainer"
                    }) {
                browser.go(app.url(page));
                assertThat(browser.scrollsHorizontally()).as(page).isFalse();
                assertThat(browser.axeSeriousViolations()).as(page).isEmpty();
            }
            browser.go(app.url("/admin/returns?school=0215678B"));
            int before =
                    Sql.count(app.jdbi(), "select count(*) from device where state = 'returned'");
            driver.findElement(By.cssSelector("#bulk-return button[type=submit]")).click();
            // The old page stays "complete" until the new one replaces it: wait for the notice
            // itself.
            WebElement notice =
                    new WebDriverWait(driver, Duration.ofSeconds(10))
                            .until(
                                    d ->
                                            d.findElements(By.cssSelector(".notice.ok")).stream()
                                                    .findFirst()
                                                    .orElse(null));
            assertThat(notice.getText()).contains("ordinateurs marqués comme rendus");
            assertThat(
                            Sql.count(
                                    app.jdbi(),
                                    "select count(*) from device where state = 'returned'"))
                    .isGreaterThan(before);
            browser.screenshot(Path.of("target", "screenshots", "returns-1024.png"));
            assertThat(browser.consoleErrors()).isEmpty();
        }
    }
}
