package fr.sesame.support;

import com.deque.html.axecore.results.CheckedNode;
import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless Debian Chromium driven by Debian's chromedriver, at a given device size. Both binaries
 * are named explicitly, so Selenium Manager never runs and nothing is downloaded.
 */
public final class Browser implements AutoCloseable {
    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    /**
     * The parents who use Sésame read French: the browser asks for it unless a test says otherwise.
     */
    public static final String FRENCH = "fr-FR,fr";

    private final ChromeDriver driver;
    private final Path profile;
    private final List<String> consoleErrors = new ArrayList<>();

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /**
     * Skips the calling test when Chromium or chromedriver is not installed, except in CI
     * (CI=true), where browser tests must run and a missing browser is a failure.
     */
    public static void assumeChromium() {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        String message =
                "Chromium or chromedriver not found at "
                        + CHROMIUM
                        + " and "
                        + CHROMEDRIVER
                        + ": browser tests skipped";
        if (!present && "true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(
                    message.replace(
                            "browser tests skipped",
                            "browser tests must run in CI (apt-get install chromium chromium-driver)"));
        }
        Assumptions.assumeTrue(present, message);
    }

    /** A browser whose viewport is width × height CSS pixels, asking for French. */
    public static Browser open(int width, int height) {
        return open(width, height, FRENCH);
    }

    /** A browser whose viewport is width × height CSS pixels, sending this Accept-Language. */
    public static Browser open(int width, int height, String acceptLanguage) {
        assumeChromium();
        Path profile;
        try {
            profile = Files.createTempDirectory("sesame-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toString());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--user-data-dir=" + profile,
                "--window-size=" + width + "," + height,
                "--lang=" + acceptLanguage.split(",")[0]);
        options.setExperimentalOption("prefs", Map.of("intl.accept_languages", acceptLanguage));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.SEVERE);
        options.setCapability("goog:loggingPrefs", logs);

        ChromeDriverService service =
                new ChromeDriverService.Builder()
                        .usingDriverExecutable(CHROMEDRIVER.toFile())
                        .usingAnyFreePort()
                        .withSilent(true)
                        .build();
        ChromeDriver driver;
        try {
            driver = new ChromeDriver(service, options);
        } catch (RuntimeException e) {
            deleteQuietly(profile);
            throw e;
        }
        Browser browser = new Browser(driver, profile);
        browser.fitViewport(width, height);
        return browser;
    }

    public WebDriver driver() {
        return driver;
    }

    /** Loads the URL and waits for the document to be complete. */
    public Browser go(String url) {
        driver.get(url);
        waitForPage();
        return this;
    }

    /**
     * Clicks an element that leads to another page and waits until that page has replaced this one
     * (a mark set on the old window gone, the new document loaded): reading the ready state alone
     * may still see the old page when the machine is slow.
     */
    public void clickAndWait(org.openqa.selenium.WebElement element) {
        js("window.sesameOldPage = true");
        element.click();
        new WebDriverWait(driver, Duration.ofSeconds(20))
                .until(
                        d ->
                                Boolean.TRUE.equals(
                                        js(
                                                "return window.sesameOldPage === undefined"
                                                        + " && document.readyState === 'complete'")));
    }

    public void waitForPage() {
        new WebDriverWait(driver, Duration.ofSeconds(10))
                .until(d -> "complete".equals(js("return document.readyState")));
    }

    /** Waits until the first h1 reads the given text, and returns it. */
    public String waitForHeading(String text) {
        // the heading may be read while the next page replaces it
        new WebDriverWait(driver, Duration.ofSeconds(10))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(d -> text.equals(heading()));
        return heading();
    }

    public String heading() {
        return driver.findElement(By.tagName("h1")).getText();
    }

    /** The lang attribute of the html element. */
    public String pageLanguage() {
        return driver.findElement(By.tagName("html")).getAttribute("lang");
    }

    /** True when the page is wider than the viewport, that is when it scrolls sideways. */
    public boolean scrollsHorizontally() {
        Number overflow =
                (Number)
                        js(
                                "return document.documentElement.scrollWidth"
                                        + " - document.documentElement.clientWidth");
        return overflow.longValue() > 0;
    }

    public Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /**
     * Every console message at SEVERE level since this browser opened (script errors, CSP
     * violations, failed loads such as a 404 stylesheet). Chromedriver hands each entry out once,
     * so they are kept here.
     */
    public List<String> consoleErrors() {
        for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
            if (entry.getLevel().intValue() >= Level.SEVERE.intValue())
                consoleErrors.add(entry.getMessage());
        }
        return List.copyOf(consoleErrors);
    }

    /**
     * The axe-core violations of impact serious or critical on the current page, one readable line
     * each.
     */
    public List<String> axeSeriousViolations() {
        Results results = new AxeBuilder().analyze(driver);
        if (results.isErrored()) {
            throw new IllegalStateException(
                    "axe-core failed on "
                            + driver.getCurrentUrl()
                            + ": "
                            + results.getErrorMessage());
        }
        List<String> found = new ArrayList<>();
        for (Rule rule : results.getViolations()) {
            if (!"serious".equals(rule.getImpact()) && !"critical".equals(rule.getImpact()))
                continue;
            StringBuilder line =
                    new StringBuilder()
                            .append(rule.getImpact())
                            .append(' ')
                            .append(rule.getId())
                            .append(": ")
                            .append(rule.getHelp())
                            .append(" (")
                            .append(rule.getHelpUrl())
                            .append(')');
            for (CheckedNode node : rule.getNodes()) {
                line.append("\n    at ")
                        .append(node.getTarget())
                        .append(' ')
                        .append(node.getHtml());
                if (node.getFailureSummary() != null) {
                    line.append("\n       ")
                            .append(node.getFailureSummary().replace("\n", "\n       "));
                }
            }
            found.add(line.toString());
        }
        return found;
    }

    /** Saves a PNG of the viewport to the given file (parent folders are created). */
    public Path screenshot(Path file) {
        try {
            if (file.getParent() != null) Files.createDirectories(file.getParent());
            Path png = driver.getScreenshotAs(OutputType.FILE).toPath();
            Files.move(png, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Presses Tab until the focused element matches: proves it can be reached with the keyboard.
     */
    public static void tabTo(
            org.openqa.selenium.WebDriver d,
            String what,
            java.util.function.Predicate<org.openqa.selenium.WebElement> matches) {
        for (int i = 0; i < 80; i++) {
            new org.openqa.selenium.interactions.Actions(d)
                    .sendKeys(org.openqa.selenium.Keys.TAB)
                    .perform();
            if (matches.test(d.switchTo().activeElement())) return;
        }
        throw new AssertionError(
                "could not reach " + what + " with the Tab key on " + d.getCurrentUrl());
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            deleteQuietly(profile);
        }
    }

    /** Resizes the window so that the viewport itself, not the window, has the requested size. */
    private void fitViewport(int width, int height) {
        for (int attempt = 0; attempt < 3; attempt++) {
            long innerWidth = ((Number) js("return window.innerWidth")).longValue();
            long innerHeight = ((Number) js("return window.innerHeight")).longValue();
            if (innerWidth == width && innerHeight == height) return;
            Dimension window = driver.manage().window().getSize();
            driver.manage()
                    .window()
                    .setSize(
                            new Dimension(
                                    (int) (window.getWidth() + width - innerWidth),
                                    (int) (window.getHeight() + height - innerHeight)));
        }
        throw new IllegalStateException(
                "could not give the viewport the size " + width + "x" + height);
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a leftover temporary profile is harmless
        }
    }
}
