package io.doorsync.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.doorsync.support.DoorFlowContract;
import io.doorsync.support.OAuthFlow;
import io.doorsync.support.PostgresAndSimulator;
import io.doorsync.support.TestWorld;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The bootstrap page in a real browser: Debian's Chromium, driven through its chromedriver (nothing is
 * downloaded). Where Chromium is not installed the test is skipped, unless DOORSYNC_REQUIRE_BROWSER is set,
 * as .ci/run does: in CI it always runs.
 */
@QuarkusTest
@WithTestResource(value = PostgresAndSimulator.class, scope = TestResourceScope.GLOBAL)
class AdminPageBrowserTest {

    static final String CHROMIUM = System.getenv().getOrDefault("DOORSYNC_CHROMIUM", "/usr/bin/chromium");
    static final String CHROMEDRIVER = System.getenv().getOrDefault("DOORSYNC_CHROMEDRIVER", "/usr/bin/chromedriver");

    static ChromeDriver browser;
    static Path profile;

    @Inject
    TestWorld world;

    @BeforeAll
    static void startBrowser() throws Exception {
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
    }

    @AfterAll
    static void stopBrowser() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    @BeforeEach
    void setUp() {
        world.reset();
        logIn();
    }

    @AfterEach
    void conforms() {
        DoorFlowContract.assertConforms(world.simulator().exchanges());
    }

    /** The admin logs in: the browser sends HTTP Basic credentials with every request from now on. */
    private void logIn() {
        String basic = Base64.getEncoder().encodeToString(("admin:" + OAuthFlow.ADMIN_PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
        browser.executeCdpCommand("Network.enable", Map.of());
        browser.executeCdpCommand("Network.setExtraHTTPHeaders", Map.of("headers", Map.of("Authorization",
                "Basic " + basic)));
    }

    @Test
    void connectsThroughDoorFlowsPageSeesTheAccountAndDisconnects() {
        browser.get(OAuthFlow.app() + "/admin");
        assertThat(text("state")).isEqualTo("Not connected through OAuth");

        browser.findElement(By.id("connect")).click();
        waitFor(By.id("approve"));
        assertThat(browser.getCurrentUrl()).startsWith(OAuthFlow.simulator() + "/oauth/authorize?");
        assertThat(text("scopes")).contains("account.person");
        browser.findElement(By.id("approve")).click();

        waitFor(By.id("account"));
        assertThat(browser.getCurrentUrl()).isEqualTo(OAuthFlow.app() + "/admin?notice=connected");
        assertThat(text("notice")).startsWith("Connected to DoorFlow");
        assertThat(text("state")).isEqualTo("Connected");
        assertThat(text("account")).isEqualTo("acc_demo01");
        assertThat(text("scopes")).contains("account.sync");
        assertThat(browser.getPageSource()).doesNotContain("test-client-secret");

        browser.findElement(By.id("disconnect")).click();
        waitFor(By.id("notice"));
        assertThat(text("notice")).startsWith("Disconnected");
        assertThat(text("state")).isEqualTo("Not connected through OAuth");
        assertThat(world.simulator().validRefreshTokens()).isZero();
    }

    @Test
    void denyingOnDoorFlowsPageLeavesDoorsyncDisconnectedAndSaysSo() {
        browser.get(OAuthFlow.app() + "/admin");
        browser.findElement(By.id("connect")).click();
        waitFor(By.id("deny"));
        browser.findElement(By.id("deny")).click();

        waitFor(By.id("error"));
        assertThat(text("error")).contains("DoorFlow access was denied");
        assertThat(text("state")).isEqualTo("Not connected through OAuth");
    }

    @Test
    void aForgedStateIsRefused() {
        browser.get(OAuthFlow.app() + "/admin/oauth/callback?code=stolen&state=forged");
        waitFor(By.id("error"));
        assertThat(text("error")).contains("does not match a Connect started here");
        assertThat(text("state")).isEqualTo("Not connected through OAuth");
    }

    private String text(String id) {
        return browser.findElement(By.id(id)).getText().trim();
    }

    private static void waitFor(By element) {
        new WebDriverWait((WebDriver) browser, Duration.ofSeconds(15))
                .until(ExpectedConditions.presenceOfElementLocated(element));
    }
}
