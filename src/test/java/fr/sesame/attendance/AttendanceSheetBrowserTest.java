package fr.sesame.attendance;

import static org.assertj.core.api.Assertions.assertThat;

import fr.sesame.demo.DemoSeed;
import fr.sesame.support.Browser;
import fr.sesame.support.SesameTest;
import fr.sesame.support.SignIn;
import fr.sesame.support.Sql;
import fr.sesame.support.TestApp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chromium.ChromiumDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The trainer's roster in a real Chromium at tablet size: marking, a walk-in, the charter pad, and
 * offline marking.
 */
@SesameTest(demo = true, browser = true)
class AttendanceSheetBrowserTest {
    private static TestApp app;

    private static void signInAsTrainer(Browser browser) {
        WebDriver driver = browser.driver();
        browser.go(app.url("/sign-in/staff"));
        driver.findElement(By.id("f-email")).sendKeys(DemoSeed.TRAINER_EMAIL);
        driver.findElement(By.id("f-password")).sendKeys(DemoSeed.TRAINER_PASSWORD, Keys.ENTER);
        // the heading may be read while the next page replaces it
        new WebDriverWait(driver, Duration.ofSeconds(10))
                .ignoring(StaleElementReferenceException.class)
                .until(d -> "Mes séances".equals(d.findElement(By.tagName("h1")).getText()));
    }

    private static void waitUntil(String what, BooleanSupplier condition) {
        long deadline = System.currentTimeMillis() + 15_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline)
                throw new AssertionError("timed out waiting until " + what);
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /**
     * Offline, searches the walk-in box (the page's own list of the school's families) and adds the
     * guardian.
     */
    private static void addWalkInOffline(WebDriver driver, String query, long guardian) {
        WebElement box = driver.findElement(By.id("walkin-q"));
        box.clear();
        box.sendKeys(query, Keys.ENTER);
        WebElement add =
                new WebDriverWait(driver, Duration.ofSeconds(10))
                        .until(
                                d ->
                                        d.findElement(
                                                By.cssSelector(
                                                        "form.walkin-add[data-guardian='"
                                                                + guardian
                                                                + "'] button")));
        assertThat(driver.findElement(By.cssSelector(".walkin-offline")).getText())
                .startsWith("Hors connexion");
        add.click();
        new WebDriverWait(driver, Duration.ofSeconds(10))
                .until(d -> !d.findElements(By.id("g-" + guardian)).isEmpty());
    }

    private static WebElement button(WebDriver driver, long guardian, String mark) {
        return driver.findElement(
                By.cssSelector("#g-" + guardian + " button[value='" + mark + "']"));
    }

    private static String markAt(long session, long guardian) {
        return app.jdbi()
                .withHandle(
                        h ->
                                h.createQuery(
                                                "select coalesce(mark, 'cleared') from attendance "
                                                        + "where session_id = :s and guardian_id = :g")
                                        .bind("s", session)
                                        .bind("g", guardian)
                                        .mapTo(String.class)
                                        .findOne()
                                        .orElse("none"));
    }

    private static String mark(long guardian) {
        return app.jdbi()
                .withHandle(
                        h ->
                                h.createQuery(
                                                "select coalesce(mark, 'cleared') from attendance "
                                                        + "where guardian_id = :g")
                                        .bind("g", guardian)
                                        .mapTo(String.class)
                                        .findOne()
                                        .orElse("none"));
    }

    @Test
    void a_trainer_signs_in_opens_the_roster_and_marks_by_keyboard_alone() {
        long session = AttendanceFixture.session(app.jdbi(), true, false);
        long first = AttendanceFixture.guardian(app.jdbi(), 20, 0);
        long second = AttendanceFixture.guardian(app.jdbi(), 24, 0);
        AttendanceFixture.book(app.jdbi(), session, first);
        AttendanceFixture.book(app.jdbi(), session, second);
        try (Browser browser = Browser.open(800, 1280)) {
            WebDriver driver = browser.driver();
            browser.go(app.url("/sign-in/staff"));
            Browser.tabTo(driver, "the e-mail field", e -> "f-email".equals(e.getAttribute("id")));
            driver.switchTo().activeElement().sendKeys(DemoSeed.TRAINER_EMAIL);
            Browser.tabTo(
                    driver, "the password field", e -> "f-password".equals(e.getAttribute("id")));
            driver.switchTo().activeElement().sendKeys(DemoSeed.TRAINER_PASSWORD, Keys.ENTER);
            new WebDriverWait(driver, Duration.ofSeconds(10))
                    .ignoring(StaleElementReferenceException.class)
                    .until(d -> "Mes séances".equals(d.findElement(By.tagName("h1")).getText()));
            Browser.tabTo(
                    driver,
                    "the session's link",
                    e ->
                            String.valueOf(e.getAttribute("href"))
                                    .endsWith("/trainer/sessions/" + session));
            new org.openqa.selenium.interactions.Actions(driver).sendKeys(Keys.ENTER).perform();
            browser.waitForHeading("Atelier test");
            Browser.tabTo(
                    driver,
                    "the first guardian's present button",
                    e -> e.equals(button(driver, first, "present")));
            new org.openqa.selenium.interactions.Actions(driver).sendKeys(Keys.ENTER).perform();
            waitUntil("the first mark is saved", () -> mark(first).equals("present"));
            Browser.tabTo(
                    driver,
                    "the second guardian's absent button",
                    e -> e.equals(button(driver, second, "absent")));
            new org.openqa.selenium.interactions.Actions(driver).sendKeys(Keys.SPACE).perform();
            waitUntil("the second mark is saved", () -> mark(second).equals("absent"));
            // the focus stays visible on the button it pressed
            assertThat(browser.js("return getComputedStyle(document.activeElement).outlineStyle"))
                    .isNotEqualTo("none");
        }
    }

    @Test
    void a_trainer_marks_with_one_tap_and_undoes_on_a_landscape_tablet() {
        long session = AttendanceFixture.session(app.jdbi(), true, false);
        long first = AttendanceFixture.guardian(app.jdbi(), 21, 0);
        long second = AttendanceFixture.guardian(app.jdbi(), 22, 0);
        AttendanceFixture.book(app.jdbi(), session, first);
        AttendanceFixture.book(app.jdbi(), session, second);
        try (Browser browser = Browser.open(1024, 768)) {
            WebDriver driver = browser.driver();
            signInAsTrainer(browser);
            driver.findElement(By.cssSelector("a[href='/trainer/sessions/" + session + "']"))
                    .click();
            browser.waitForHeading("Atelier test");
            assertThat(browser.scrollsHorizontally()).isFalse();
            assertThat(browser.axeSeriousViolations()).isEmpty();
            for (WebElement b : driver.findElements(By.cssSelector(".mark-buttons button"))) {
                assertThat(b.getRect().getHeight()).as("touch target").isGreaterThanOrEqualTo(44);
                assertThat(b.getRect().getWidth()).as("touch target").isGreaterThanOrEqualTo(44);
            }

            button(driver, first, "present").click();
            waitUntil("the mark is saved", () -> mark(first).equals("present"));
            assertThat(AttendanceFixture.familyDevices(app.jdbi(), 21)).isEqualTo("home_use");
            new WebDriverWait(driver, Duration.ofSeconds(10))
                    .until(
                            d ->
                                    d.findElement(By.cssSelector("#g-" + first + " .home"))
                                                    .getText()
                                                    .contains("Ordinateur à la maison")
                                            && d.findElement(
                                                            By.cssSelector(
                                                                    "#g-" + first + " .home"))
                                                    .getText()
                                                    .startsWith("✓"));
            assertThat(button(driver, first, "present").getAttribute("aria-pressed"))
                    .isEqualTo("true");
            button(driver, second, "excused").click();
            waitUntil("the second mark is saved", () -> mark(second).equals("excused"));

            button(driver, first, "clear").click();
            waitUntil("the undo is saved", () -> mark(first).equals("cleared"));
            assertThat(AttendanceFixture.familyDevices(app.jdbi(), 21)).isEqualTo("school_only");
            assertThat(driver.findElement(By.cssSelector("#g-" + first + " .mark-label")).getText())
                    .isEqualTo("Pas encore marqué");
            assertThat(browser.axeSeriousViolations()).isEmpty();
            browser.screenshot(Path.of("target", "screenshots", "roster-1024x768.png"));
            assertThat(browser.consoleErrors()).isEmpty();
        }
    }

    @Test
    void
            each_line_says_one_true_thing_and_the_charter_button_shows_only_where_a_signature_is_still_needed() {
        long session = AttendanceFixture.session(app.jdbi(), true, true);
        long notMarked = AttendanceFixture.guardian(app.jdbi(), 30, 0);
        long presentUnsigned = AttendanceFixture.guardian(app.jdbi(), 31, 0);
        long absent = AttendanceFixture.guardian(app.jdbi(), 33, 0);
        long lateSigned = AttendanceFixture.guardian(app.jdbi(), 35, 0);
        long excused = AttendanceFixture.guardian(app.jdbi(), 37, 0);
        long revoked = AttendanceFixture.guardian(app.jdbi(), 38, 0);
        for (long g :
                new long[] {notMarked, presentUnsigned, absent, lateSigned, excused, revoked}) {
            AttendanceFixture.book(app.jdbi(), session, g);
        }
        fr.sesame.support.Http trainer = SignIn.trainer(app);
        AttendanceFixture.open(trainer, session);
        AttendanceFixture.mark(trainer, session, presentUnsigned, "present");
        AttendanceFixture.mark(trainer, session, absent, "absent");
        AttendanceFixture.mark(trainer, session, lateSigned, "late");
        assertThat(
                        AttendanceFixture.sign(
                                        trainer,
                                        session,
                                        lateSigned,
                                        AttendanceFixture.png(true, 400, 130))
                                .statusCode())
                .isEqualTo(200);
        AttendanceFixture.mark(trainer, session, excused, "excused");
        AttendanceFixture.mark(trainer, session, revoked, "present");
        AttendanceFixture.sign(trainer, session, revoked, AttendanceFixture.png(true, 400, 130));
        long family = Sql.count(app.jdbi(), "select family_id from guardian where id = " + revoked);
        long adminId =
                Sql.count(app.jdbi(), "select min(id) from staff_account where role = 'admin'");
        fr.sesame.devices.HomeUse.decide(
                app.jdbi(),
                family,
                false,
                "Ordinateur perdu une fois",
                fr.sesame.audit.Actor.staff(adminId));

        try (Browser browser = Browser.open(1024, 768)) {
            WebDriver driver = browser.driver();
            signInAsTrainer(browser);
            browser.go(app.url("/trainer/sessions/" + session));
            browser.waitForHeading("Atelier test");
            Map<Long, String[]> expected =
                    Map.of(
                            notMarked,
                                    new String[] {
                                        "Pas encore marqué",
                                        "Charte à signer",
                                        "✗ Ordinateur à l'école\u00a0: aucun parent n'est encore venu"
                                    },
                            presentUnsigned,
                                    new String[] {
                                        "Présent",
                                        "Charte à signer",
                                        "✗ Ordinateur à l'école\u00a0: la charte n'est pas encore signée"
                                    },
                            absent,
                                    new String[] {
                                        "Absent",
                                        "Charte à signer",
                                        "✗ Ordinateur à l'école\u00a0: aucun parent"
                                    },
                            lateSigned,
                                    new String[] {
                                        "En retard",
                                        "Charte signée",
                                        "✓ Ordinateur à la maison\u00a0: un parent est venu à un atelier"
                                    },
                            excused,
                                    new String[] {
                                        "Excusé", "Charte à signer", "✗ Ordinateur à l'école"
                                    },
                            revoked,
                                    new String[] {
                                        "Présent",
                                        "Charte signée",
                                        "✗ Ordinateur à l'école\u00a0: décision du service éducation"
                                    });
            for (Map.Entry<Long, String[]> e : expected.entrySet()) {
                String id = "#g-" + e.getKey();
                String[] line = e.getValue();
                assertThat(driver.findElement(By.cssSelector(id + " .mark-label")).getText())
                        .isEqualTo(line[0]);
                assertThat(driver.findElement(By.cssSelector(id + " .charter")).getText())
                        .isEqualTo(line[1]);
                assertThat(
                                driver.findElement(By.cssSelector(id + " .home"))
                                        .getText()
                                        .replace('\u00a0', ' '))
                        .startsWith(line[2].replace('\u00a0', ' '));
                assertThat(driver.findElement(By.cssSelector(id + " .sign-button")).isDisplayed())
                        .as("charter button of " + line[0] + ", " + line[1])
                        .isEqualTo(e.getKey() == presentUnsigned);
            }
            assertThat(driver.findElement(By.id("roster-list")).getText())
                    .doesNotContain("Présent, charte non signée");
            browser.screenshot(Path.of("target", "screenshots", "roster-lines-1024x768.png"));

            // marking the absent guardian late on the tablet brings the button to that line, and
            // only there
            button(driver, absent, "late").click();
            new WebDriverWait(driver, Duration.ofSeconds(10))
                    .until(d -> d.findElement(By.id("charter-dialog")).isDisplayed());
            driver.findElement(By.id("pad-cancel")).click();
            waitUntil("the mark is saved", () -> "late".equals(markAt(session, absent)));
            new WebDriverWait(driver, Duration.ofSeconds(10))
                    .until(
                            d ->
                                    d.findElement(By.cssSelector("#g-" + absent + " .home"))
                                            .getText()
                                            .contains("charte n'est pas encore signée"));
            assertThat(
                            driver.findElement(By.cssSelector("#g-" + absent + " .sign-button"))
                                    .isDisplayed())
                    .isTrue();
            assertThat(
                            driver.findElement(By.cssSelector("#g-" + lateSigned + " .sign-button"))
                                    .isDisplayed())
                    .isFalse();
            assertThat(
                            driver.findElement(By.cssSelector("#g-" + notMarked + " .sign-button"))
                                    .isDisplayed())
                    .isFalse();
            assertThat(browser.consoleErrors()).isEmpty();
        }
    }

    @Test
    void a_walk_in_found_by_name_is_added_present_on_a_portrait_tablet() {
        long session = AttendanceFixture.session(app.jdbi(), true, false);
        AttendanceFixture.book(app.jdbi(), session, AttendanceFixture.guardian(app.jdbi(), 23, 0));
        long walkIn = AttendanceFixture.guardian(app.jdbi(), 34, 0); // Da Silva, not booked
        try (Browser browser = Browser.open(768, 1024)) {
            WebDriver driver = browser.driver();
            signInAsTrainer(browser);
            browser.go(app.url("/trainer/sessions/" + session));
            driver.findElement(By.id("walkin-q")).sendKeys("Da Silva", Keys.ENTER);
            browser.waitForPage();
            WebElement add =
                    new WebDriverWait(driver, Duration.ofSeconds(10))
                            .until(
                                    d ->
                                            d.findElement(
                                                    By.cssSelector(
                                                            "form.walkin-add[data-guardian='"
                                                                    + walkIn
                                                                    + "'] button")));
            assertThat(browser.scrollsHorizontally()).isFalse();
            assertThat(browser.axeSeriousViolations()).isEmpty();
            add.click();
            waitUntil("the walk-in is saved", () -> "present".equals(mark(walkIn)));
            assertThat(
                            Sql.bool(
                                    app.jdbi(),
                                    "select walk_in from attendance where guardian_id = " + walkIn))
                    .isTrue();
            assertThat(driver.findElement(By.id("g-" + walkIn)).getText())
                    .contains("sans inscription");
            assertThat(AttendanceFixture.familyDevices(app.jdbi(), 34)).isEqualTo("home_use");
            browser.screenshot(Path.of("target", "screenshots", "roster-walkin-768x1024.png"));
            assertThat(browser.consoleErrors()).isEmpty();
        }
    }

    /**
     * The guardian reads and signs the charter in their own language: a Portuguese-speaking
     * guardian's charter is in Portuguese (its title, text and signer line, marked lang="pt"),
     * while the trainer's page and buttons stay French.
     */
    @Test
    void
            the_charter_opens_in_the_guardians_language_portuguese_and_the_buttons_stay_the_trainers() {
        long session = AttendanceFixture.session(app.jdbi(), true, true);
        long guardian = AttendanceFixture.guardian(app.jdbi(), 36, 0);
        app.jdbi()
                .useHandle(
                        h ->
                                h.execute(
                                        "update guardian set language = 'pt' where id = ?",
                                        guardian));
        AttendanceFixture.book(app.jdbi(), session, guardian);
        try (Browser browser = Browser.open(1024, 768)) {
            WebDriver driver = browser.driver();
            signInAsTrainer(browser);
            browser.go(app.url("/trainer/sessions/" + session));
            button(driver, guardian, "present").click();
            WebElement dialog =
                    new WebDriverWait(driver, Duration.ofSeconds(10))
                            .until(
                                    d ->
                                            d.findElement(By.id("charter-dialog")).isDisplayed()
                                                    ? d.findElement(By.id("charter-dialog"))
                                                    : null);
            assertThat(dialog.getText())
                    .contains(
                            "Regulamento do empréstimo do computador (versão 1)",
                            "A câmara empresta este computador ao seu filho para aprender.",
                            "Assinatura de")
                    .doesNotContain("L'ordinateur est prêté")
                    .contains("Valider la signature", "Effacer");
            WebElement shown = dialog.findElement(By.cssSelector(".charter-lang[data-lang='pt']"));
            assertThat(shown.isDisplayed()).isTrue();
            assertThat(shown.getAttribute("lang")).isEqualTo("pt");
            assertThat(dialog.getAttribute("aria-labelledby")).isEqualTo("charter-title-pt");
            assertThat(driver.findElement(By.tagName("h1")).getText()).isNotBlank();
            assertThat(driver.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("fr");
            assertThat(browser.axeSeriousViolations()).isEmpty();
            driver.findElement(By.id("pad-cancel")).click();
        }
    }

    @Test
    void present_opens_the_charter_and_a_signature_drawn_on_the_pad_unlocks_the_devices() {
        long session = AttendanceFixture.session(app.jdbi(), true, true);
        long guardian = AttendanceFixture.guardian(app.jdbi(), 26, 0);
        AttendanceFixture.book(app.jdbi(), session, guardian);
        try (Browser browser = Browser.open(1024, 768)) {
            WebDriver driver = browser.driver();
            signInAsTrainer(browser);
            browser.go(app.url("/trainer/sessions/" + session));
            button(driver, guardian, "present").click();
            WebElement dialog =
                    new WebDriverWait(driver, Duration.ofSeconds(10))
                            .until(
                                    d ->
                                            d.findElement(By.id("charter-dialog")).isDisplayed()
                                                    ? d.findElement(By.id("charter-dialog"))
                                                    : null);
            assertThat(dialog.getText())
                    .contains("Charte de mise à disposition (version 1)", "L'ordinateur est prêté");
            waitUntil("the mark is saved", () -> "present".equals(mark(guardian)));
            assertThat(AttendanceFixture.familyDevices(app.jdbi(), 26))
                    .as("present, charter not signed")
                    .isEqualTo("school_only");
            assertThat(browser.axeSeriousViolations()).isEmpty();

            // an empty pad is refused on the spot
            driver.findElement(By.id("pad-save")).click();
            assertThat(driver.findElement(By.id("pad-error")).isDisplayed()).isTrue();

            WebElement pad = driver.findElement(By.id("signature-pad"));
            int w = pad.getRect().getWidth();
            int h = pad.getRect().getHeight();
            new Actions(driver)
                    .moveToElement(pad, -w / 3, 0)
                    .clickAndHold()
                    .moveByOffset(w / 8, -h / 4)
                    .moveByOffset(w / 8, h / 3)
                    .moveByOffset(w / 8, -h / 5)
                    .moveByOffset(w / 8, h / 6)
                    .release()
                    .perform();
            browser.screenshot(Path.of("target", "screenshots", "charter-pad-1024x768.png"));
            // the "empty" message went away with the drawing
            assertThat(driver.findElement(By.id("pad-error")).isDisplayed()).isFalse();
            driver.findElement(By.id("pad-save")).click();
            waitUntil(
                    "the signature is stored",
                    () ->
                            Sql.count(
                                            app.jdbi(),
                                            "select count(*) from charter_signature where guardian_id = "
                                                    + guardian)
                                    == 1);
            waitUntil(
                    "the devices are unlocked",
                    () -> "home_use".equals(AttendanceFixture.familyDevices(app.jdbi(), 26)));
            assertThat(dialog.isDisplayed()).isFalse();
            assertThat(
                            Sql.count(
                                    app.jdbi(),
                                    "select octet_length(image_png) from charter_signature where guardian_id = "
                                            + guardian))
                    .isGreaterThan(500);
            assertThat(browser.consoleErrors()).isEmpty();
        }
    }

    @Test
    void
            marks_and_walk_ins_made_offline_survive_a_reload_and_are_sent_once_when_the_network_returns() {
        long session = AttendanceFixture.session(app.jdbi(), true, false);
        long[] guardians = {
            AttendanceFixture.guardian(app.jdbi(), 27, 0),
            AttendanceFixture.guardian(app.jdbi(), 28, 0),
            AttendanceFixture.guardian(app.jdbi(), 29, 0)
        };
        for (long g : guardians) AttendanceFixture.book(app.jdbi(), session, g);
        // Two walk-ins from families of the session's school, found while offline: one by name, one
        // by letter code.
        java.util.List<Map<String, Object>> school =
                app.jdbi()
                        .withHandle(
                                h ->
                                        h.createQuery(
                                                        """
                select g.id, g.last_name, g.first_name, f.letter_code from guardian g join family f on f.id = g.family_id
                where f.letter_code is not null and f.reference not in ('DEMO-027', 'DEMO-028', 'DEMO-029')
                  and exists (select 1 from child c where c.family_id = f.id
                              and c.school_id = (select school_id from workshop_session where id = :s))
                  and not exists (select 1 from booking b where b.session_id = :s and b.family_id = f.id)
                order by f.id, g.id""")
                                                .bind("s", session)
                                                .mapToMap()
                                                .list());
        long byName = ((Number) school.get(0).get("id")).longValue();
        String name = school.get(0).get("first_name") + " " + school.get(0).get("last_name");
        Map<String, Object> other =
                school.stream()
                        .filter(r -> !r.get("letter_code").equals(school.get(0).get("letter_code")))
                        .findFirst()
                        .orElseThrow();
        long byCode = ((Number) other.get("id")).longValue();
        String code = (String) other.get("letter_code");
        try (Browser browser = Browser.open(1024, 768)) {
            WebDriver driver = browser.driver();
            signInAsTrainer(browser);
            String url = app.url("/trainer/sessions/" + session);
            browser.go(url);
            // the offline worker is installed, takes control, and the page is cached for a reload
            // without network
            ((org.openqa.selenium.JavascriptExecutor) driver)
                    .executeAsyncScript(
                            "var done = arguments[arguments.length - 1]; navigator.serviceWorker.ready.then(function () { done(true); });");
            browser.go(url);
            new WebDriverWait(driver, Duration.ofSeconds(10))
                    .until(
                            d ->
                                    Boolean.TRUE.equals(
                                            browser.js(
                                                    "return !!navigator.serviceWorker.controller")));
            new WebDriverWait(driver, Duration.ofSeconds(10))
                    .until(
                            d ->
                                    Boolean.TRUE.equals(
                                            ((org.openqa.selenium.JavascriptExecutor) d)
                                                    .executeAsyncScript(
                                                            "var done = arguments[arguments.length - 1];"
                                                                    + "caches.match(location.pathname).then(function (r) { done(!!r); });")));

            ChromiumDriver chromium = (ChromiumDriver) driver;
            chromium.executeCdpCommand("Network.enable", Map.of());
            chromium.executeCdpCommand(
                    "Network.emulateNetworkConditions",
                    Map.of(
                            "offline",
                            true,
                            "latency",
                            0,
                            "downloadThroughput",
                            -1,
                            "uploadThroughput",
                            -1));

            button(driver, guardians[0], "present").click();
            button(driver, guardians[1], "absent").click();
            button(driver, guardians[2], "late").click();
            // The page keeps the school's families for an offline search, but neither a letter code
            // nor its whole
            // digest (from which every code could be found again by trying them all): 16 bits of
            // it.
            String digest = fr.sesame.auth.Tokens.sha256(code);
            assertThat(driver.getPageSource())
                    .contains("data-guardian=\"" + byCode + "\"")
                    .contains("data-code=\"" + digest.substring(0, 4) + "\"")
                    .doesNotContain(code)
                    .doesNotContain(digest);
            addWalkInOffline(driver, name, byName);
            addWalkInOffline(
                    driver, code.substring(0, 4) + "-" + code.substring(4).toLowerCase(), byCode);
            new WebDriverWait(driver, Duration.ofSeconds(10))
                    .until(
                            d ->
                                    d.findElement(By.id("sync-status"))
                                            .getText()
                                            .contains("5 en attente d'envoi"));
            assertThat(driver.findElement(By.id("g-" + byName)).getText())
                    .contains("sans inscription");
            assertThat(
                            Sql.count(
                                    app.jdbi(),
                                    "select count(*) from attendance where session_id = "
                                            + session))
                    .isZero();

            driver.navigate().refresh();
            browser.waitForHeading("Atelier test");
            // The queue survived the reload: every mark is still waiting on the page, or already
            // saved when Chromium's
            // emulation let the first request of the new document through (its answer may even have
            // been cut off,
            // in which case the mark stays queued and its resend is answered from the stored
            // result, not applied twice).
            new WebDriverWait(driver, Duration.ofSeconds(10))
                    .until(d -> !d.findElement(By.id("sync-status")).getText().isEmpty());
            @SuppressWarnings("unchecked")
            java.util.List<Number> queued =
                    (java.util.List<Number>)
                            browser.js(
                                    "return JSON.parse(localStorage.getItem("
                                            + "'sesame.attendance.queue')).map(function (item) { return item.body.guardianId; })");
            assertThat(queued.size()).isGreaterThanOrEqualTo(4);
            for (long g : new long[] {guardians[0], guardians[1], guardians[2], byName, byCode}) {
                boolean waiting = queued.stream().anyMatch(n -> n.longValue() == g);
                assertThat(waiting || !markAt(session, g).equals("none"))
                        .as("the mark of guardian " + g + " is kept")
                        .isTrue();
            }
            assertThat(
                            driver.findElements(By.cssSelector(".roster-line .pending")).stream()
                                    .filter(WebElement::isDisplayed)
                                    .count())
                    .isEqualTo(queued.size());
            assertThat(
                            driver.findElement(
                                            By.cssSelector("#g-" + guardians[2] + " .mark-label"))
                                    .getText())
                    .isEqualTo("En retard");
            browser.screenshot(Path.of("target", "screenshots", "roster-offline-1024x768.png"));

            chromium.executeCdpCommand(
                    "Network.emulateNetworkConditions",
                    Map.of(
                            "offline",
                            false,
                            "latency",
                            0,
                            "downloadThroughput",
                            -1,
                            "uploadThroughput",
                            -1));
            waitUntil(
                    "every mark is sent",
                    () ->
                            Sql.count(
                                            app.jdbi(),
                                            "select count(*) from attendance where session_id = "
                                                    + session
                                                    + " and mark is not null")
                                    == 5);
            new WebDriverWait(driver, Duration.ofSeconds(15))
                    .until(
                            d ->
                                    d.findElement(By.id("sync-status"))
                                            .getText()
                                            .contains("Tout est envoyé"));
            assertThat(mark(guardians[0])).isEqualTo("present");
            assertThat(mark(guardians[1])).isEqualTo("absent");
            assertThat(mark(guardians[2])).isEqualTo("late");
            assertThat(markAt(session, byName)).isEqualTo("present");
            assertThat(markAt(session, byCode)).isEqualTo("present");
            assertThat(
                            Sql.count(
                                    app.jdbi(),
                                    "select count(*) from attendance where walk_in and session_id = "
                                            + session))
                    .isEqualTo(2);
            assertThat(
                            Sql.count(
                                    app.jdbi(),
                                    "select count(*) from attendance_mark where session_id = "
                                            + session))
                    .isEqualTo(5);
            assertThat(AttendanceFixture.familyDevices(app.jdbi(), 27)).isEqualTo("home_use");
            assertThat(AttendanceFixture.familyDevices(app.jdbi(), 28)).isEqualTo("school_only");
            assertThat(AttendanceFixture.familyDevices(app.jdbi(), 29)).isEqualTo("home_use");
        }
    }

    @Test
    void
            signing_out_warns_of_unsent_marks_then_sends_them_and_leaves_no_offline_copy_on_the_tablet() {
        long session = AttendanceFixture.session(app.jdbi(), true, false);
        long guardian = AttendanceFixture.guardian(app.jdbi(), 39, 0);
        AttendanceFixture.book(app.jdbi(), session, guardian);
        try (Browser browser = Browser.open(1024, 768)) {
            WebDriver driver = browser.driver();
            org.openqa.selenium.JavascriptExecutor js =
                    (org.openqa.selenium.JavascriptExecutor) driver;
            signInAsTrainer(browser);
            String url = app.url("/trainer/sessions/" + session);
            browser.go(url);
            js.executeAsyncScript(
                    "var done = arguments[arguments.length - 1];"
                            + " navigator.serviceWorker.ready.then(function () { done(true); });");
            new WebDriverWait(driver, Duration.ofSeconds(10))
                    .until(
                            d ->
                                    Boolean.TRUE.equals(
                                            js.executeAsyncScript(
                                                    "var done = arguments[arguments.length - 1];"
                                                            + "caches.match(location.pathname).then(function (r) { done(!!r); });")));

            ChromiumDriver chromium = (ChromiumDriver) driver;
            chromium.executeCdpCommand("Network.enable", Map.of());
            chromium.executeCdpCommand(
                    "Network.emulateNetworkConditions",
                    Map.of(
                            "offline",
                            true,
                            "latency",
                            0,
                            "downloadThroughput",
                            -1,
                            "uploadThroughput",
                            -1));
            button(driver, guardian, "present").click();
            waitUntil(
                    "the mark waits in the queue",
                    () ->
                            ((Number)
                                                    browser.js(
                                                            "return JSON.parse(localStorage.getItem('sesame.attendance.queue') || '[]').length"))
                                            .intValue()
                                    == 1);

            // Offline: signing out would lose the mark, so the trainer is asked; saying no keeps
            // everything.
            driver.findElement(By.cssSelector("form[action='/sign-out'] button")).click();
            org.openqa.selenium.Alert warning =
                    new WebDriverWait(driver, Duration.ofSeconds(10))
                            .until(
                                    org.openqa.selenium.support.ui.ExpectedConditions
                                            .alertIsPresent());
            assertThat(warning.getText()).contains("pas encore envoyées").contains("1");
            warning.dismiss();
            assertThat(driver.getCurrentUrl()).isEqualTo(url);
            assertThat(
                            ((Number)
                                            browser.js(
                                                    "return JSON.parse(localStorage.getItem('sesame.attendance.queue')"
                                                            + " || '[]').length"))
                                    .intValue())
                    .isEqualTo(1);
            assertThat(mark(guardian)).isEqualTo("none");

            // Back online: signing out sends the mark first, then the tablet forgets the roster.
            chromium.executeCdpCommand(
                    "Network.emulateNetworkConditions",
                    Map.of(
                            "offline",
                            false,
                            "latency",
                            0,
                            "downloadThroughput",
                            -1,
                            "uploadThroughput",
                            -1));
            driver.findElement(By.cssSelector("form[action='/sign-out'] button")).click();
            new WebDriverWait(driver, Duration.ofSeconds(15))
                    .until(d -> !d.getCurrentUrl().startsWith(url));
            browser.waitForPage();
            assertThat(mark(guardian)).isEqualTo("present");
            assertThat(browser.js("return localStorage.getItem('sesame.attendance.queue')"))
                    .isNull();
            assertThat(
                            js.executeAsyncScript(
                                    "var done = arguments[arguments.length - 1];"
                                            + " caches.keys().then(function (k) { done(k.length); });"))
                    .isEqualTo(0L);
            assertThat(
                            js.executeAsyncScript(
                                    "var done = arguments[arguments.length - 1];"
                                            + " navigator.serviceWorker.getRegistrations().then(function (r) { done(r.length); });"))
                    .isEqualTo(0L);
            // and the roster is not there to read: the page asks for a sign-in again
            browser.go(url);
            assertThat(driver.findElements(By.id("g-" + guardian))).isEmpty();
        }
    }
}
