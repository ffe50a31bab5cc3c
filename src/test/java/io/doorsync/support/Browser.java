package io.doorsync.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The admin page's browser tests' browser: Debian's Chromium, driven through its chromedriver (nothing is
 * downloaded), one per test class. Where Chromium is not installed a test is skipped, unless
 * DOORSYNC_REQUIRE_BROWSER is set, as .ci/run does: in CI it always runs.
 */
public final class Browser {

    static final String CHROMIUM = System.getenv().getOrDefault("DOORSYNC_CHROMIUM", "/usr/bin/chromium");
    static final String CHROMEDRIVER = System.getenv().getOrDefault("DOORSYNC_CHROMEDRIVER", "/usr/bin/chromedriver");

    private static ChromeDriver browser;
    private static Path profile;

    private Browser() {
    }

    /** Starts Chromium (or skips the test class where it is not installed and not required). */
    public static ChromeDriver start() throws Exception {
        boolean installed = new File(CHROMIUM).canExecute() && new File(CHROMEDRIVER).canExecute();
        if (System.getenv("DOORSYNC_REQUIRE_BROWSER") != null) {
            assertThat(installed).as("Chromium and chromedriver at " + CHROMIUM + " and " + CHROMEDRIVER
                    + " (apt-get install chromium chromium-driver)").isTrue();
        }
        Assumptions.assumeTrue(installed, "Chromium is not installed; apt-get install chromium chromium-driver");
        profile = Files.createTempDirectory("doorsync-chromium");
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM).addArguments("--headless=new", "--no-sandbox",
                "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        browser.manage().window().setSize(new Dimension(1280, 1100));
        return browser;
    }

    public static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
            browser = null;
        }
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    /** The admin logs in: the browser sends HTTP Basic credentials with every request from now on. */
    public static void logIn() {
        String basic = Base64.getEncoder().encodeToString(("admin:" + OAuthFlow.ADMIN_PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
        browser.executeCdpCommand("Network.enable", Map.of());
        browser.executeCdpCommand("Network.setExtraHTTPHeaders", Map.of("headers", Map.of("Authorization",
                "Basic " + basic)));
    }

    /** Keeps a picture of the page in target/ for a person to look at. */
    public static void screenshot(String name) {
        try {
            Files.write(Path.of("target", name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Presses a button or follows a link, and waits until the browser has left the page it was on. */
    public static void press(By element) {
        leavingThePage(() -> browser.findElement(element).click());
    }

    /**
     * Does {@code action} and waits for the next document: the old one is marked, and the new one has no mark.
     * (Waiting for an old element to go stale fails now and then: chromedriver may report a node of a document
     * being replaced as an inspector error instead.)
     */
    public static void leavingThePage(Runnable action) {
        browser.executeScript("window.doorsyncTestLeft = true");
        action.run();
        new WebDriverWait((WebDriver) browser, Duration.ofSeconds(15)).ignoring(WebDriverException.class)
                .until(d -> !Boolean.TRUE.equals(browser.executeScript("return window.doorsyncTestLeft === true")));
    }

    /** The visible text of the element with this id. */
    public static String text(String id) {
        return browser.findElement(By.id(id)).getText().trim();
    }

    public static void waitFor(By element) {
        new WebDriverWait((WebDriver) browser, Duration.ofSeconds(15))
                .until(ExpectedConditions.presenceOfElementLocated(element));
    }
}
