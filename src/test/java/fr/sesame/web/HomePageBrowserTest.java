package fr.sesame.web;

import static org.assertj.core.api.Assertions.assertThat;

import fr.sesame.support.Browser;
import fr.sesame.support.SesameTest;
import fr.sesame.support.TestApp;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;

@SesameTest(browser = true)
class HomePageBrowserTest {
    private static final String FRENCH_HEADING = "Bienvenue sur Sésame";
    private static final String ENGLISH_HEADING = "Welcome to Sésame";
    private static TestApp app;

    @Test
    void the_home_page_reads_well_on_a_phone_and_switches_language() {
        try (Browser browser = Browser.open(360, 740)) {
            browser.go(app.url("/"));
            assertThat(browser.heading()).isEqualTo(FRENCH_HEADING);
            assertThat(browser.pageLanguage()).isEqualTo("fr");
            assertThat(browser.scrollsHorizontally()).as("sideways scroll at 360 px").isFalse();
            browser.screenshot(Path.of("target", "screenshots", "home-360.png"));
            assertThat(browser.axeSeriousViolations()).isEmpty();

            browser.driver().findElement(By.linkText("English")).click();
            browser.waitForHeading(ENGLISH_HEADING);
            assertThat(browser.driver().getCurrentUrl()).isEqualTo(app.url("/"));
            assertThat(browser.pageLanguage()).isEqualTo("en");
            Cookie remembered = browser.driver().manage().getCookieNamed("sesame_lang");
            assertThat(remembered).isNotNull();
            assertThat(remembered.getValue()).isEqualTo("en");
            assertThat(browser.scrollsHorizontally())
                    .as("sideways scroll at 360 px in English")
                    .isFalse();
            assertThat(browser.axeSeriousViolations()).isEmpty();

            // The browser still asks for French: only the cookie can keep the page in English.
            browser.driver().navigate().refresh();
            browser.waitForPage();
            assertThat(browser.heading()).isEqualTo(ENGLISH_HEADING);
            browser.go(app.url("/"));
            assertThat(browser.heading()).isEqualTo(ENGLISH_HEADING);

            browser.driver().findElement(By.linkText("Français")).click();
            browser.waitForHeading(FRENCH_HEADING);
            assertThat(browser.pageLanguage()).isEqualTo("fr");
            browser.go(app.url("/"));
            assertThat(browser.heading()).isEqualTo(FRENCH_HEADING);

            assertThat(browser.consoleErrors()).isEmpty();
        }
    }

    @Test
    void the_home_page_reads_well_on_a_tablet() {
        try (Browser browser = Browser.open(1024, 768)) {
            browser.go(app.url("/"));
            assertThat(browser.heading()).isEqualTo(FRENCH_HEADING);
            assertThat(browser.scrollsHorizontally()).as("sideways scroll at 1024 px").isFalse();
            assertThat(browser.axeSeriousViolations()).isEmpty();
            assertThat(browser.consoleErrors()).isEmpty();
        }
    }

    @Test
    void an_english_browser_gets_the_home_page_in_english() {
        try (Browser browser = Browser.open(360, 740, "en-GB,en")) {
            browser.go(app.url("/"));
            assertThat(browser.heading()).isEqualTo(ENGLISH_HEADING);
            assertThat(browser.pageLanguage()).isEqualTo("en");
            assertThat(browser.consoleErrors()).isEmpty();
        }
    }
}
