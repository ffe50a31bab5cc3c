package io.doorsync.admin;

import static io.doorsync.support.Browser.leavingThePage;
import static io.doorsync.support.Browser.logIn;
import static io.doorsync.support.Browser.press;
import static io.doorsync.support.Browser.screenshot;
import static io.doorsync.support.Browser.text;
import static io.doorsync.support.Browser.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import io.doorsync.Account;
import io.doorsync.checkins.CheckIns;
import io.doorsync.run.SyncRunner;
import io.doorsync.support.Browser;
import io.doorsync.support.DoorFlowContract;
import io.doorsync.support.OAuthFlow;
import io.doorsync.support.PostgresAndSimulator;
import io.doorsync.support.TestWorld;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The admin page in a real browser, part by part, looking at what is shown ({@link Browser}: Debian's Chromium,
 * required in CI).
 */
@QuarkusTest
@WithTestResource(value = PostgresAndSimulator.class, scope = TestResourceScope.GLOBAL)
class AdminPageBrowserTest {

    static ChromeDriver browser;

    @Inject
    TestWorld world;

    @Inject
    SyncRunner sync;

    @Inject
    CheckIns checkIns;

    @BeforeAll
    static void startBrowser() throws Exception {
        browser = Browser.start();
    }

    @AfterAll
    static void stopBrowser() throws Exception {
        Browser.stop();
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

    @Test
    void connectsThroughDoorFlowsPageSeesTheAccountAndDisconnects() {
        browser.get(OAuthFlow.app() + "/admin");
        assertThat(text("state")).isEqualTo("Not connected through OAuth");

        press(By.id("connect"));
        waitFor(By.id("approve"));
        assertThat(browser.getCurrentUrl()).startsWith(OAuthFlow.simulator() + "/oauth/authorize?");
        assertThat(text("scopes")).contains("account.person");
        press(By.id("approve"));

        waitFor(By.id("account"));
        assertThat(browser.getCurrentUrl()).isEqualTo(OAuthFlow.app() + "/admin?notice=connected");
        assertThat(text("notice")).startsWith("Connected to DoorFlow");
        assertThat(text("state")).isEqualTo("Connected");
        assertThat(text("account")).isEqualTo("acc_demo01");
        assertThat(text("scopes")).contains("account.sync");
        assertThat(browser.getPageSource()).doesNotContain("test-client-secret");

        press(By.id("disconnect"));
        waitFor(By.id("notice"));
        assertThat(text("notice")).startsWith("Disconnected");
        assertThat(text("state")).isEqualTo("Not connected through OAuth");
        assertThat(world.simulator().validRefreshTokens()).isZero();
    }

    @Test
    void denyingOnDoorFlowsPageLeavesDoorsyncDisconnectedAndSaysSo() {
        browser.get(OAuthFlow.app() + "/admin");
        press(By.id("connect"));
        waitFor(By.id("deny"));
        press(By.id("deny"));

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

    @Test
    void theOverviewSaysWhichAuthenticationIsInUseAndTheTokenButtonRefreshesIt() {
        browser.get(OAuthFlow.app() + "/admin");
        assertThat(text("auth")).isEqualTo("personal API key (doorsync.doorflow.api-key)");
        assertThat(browser.findElements(By.id("refresh-token"))).as("no OAuth connection, nothing to refresh").isEmpty();

        press(By.id("connect"));
        waitFor(By.id("approve"));
        press(By.id("approve"));
        waitFor(By.id("account"));
        assertThat(text("auth")).isEqualTo("OAuth (the connection made on this page)");
        press(By.id("refresh-token"));
        waitFor(By.id("notice"));
        assertThat(text("notice")).isEqualTo("The access token was refreshed: its new expiry is shown below.");
        assertThat(world.simulator().refreshGrants()).isEqualTo(1);
        WebElement expires = browser.findElement(By.cssSelector("#expires time"));
        assertThat(expires.getText()).as("in the operator's terms").matches("in (59 min|1 h)");
        assertThat(expires.getAttribute("title")).as("the exact time on hover").matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC");
        assertThat(expires.getAttribute("datetime")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(browser.getPageSource()).doesNotContain("test-client-secret");
    }

    @Test
    void recentRunsShowTheirCountsAndEachLinksToItsChangesAndTheirMembers() {
        world.team("hot", TestWorld.HOT).member("M1", "ada@example.com", "hot").member("M2", "bob@example.com", "hot")
                .credential("M1", "card", "40010001");
        sync.runOnce("test");

        browser.get(OAuthFlow.app() + "/admin");
        WebElement row = browser.findElement(By.id("run-1"));
        assertThat(row.getText()).contains("Run 1").contains("success");
        assertThat(row.findElements(By.tagName("td"))).extracting(WebElement::getText).contains("2", "0");
        assertThat(row.findElement(By.tagName("time")).getText()).matches("just now|\\d+ s ago");
        assertThat(browser.getPageSource()).as("no nanoseconds anywhere").doesNotContainPattern("\\d\\.\\d{6,}Z");

        press(By.id("run-now"));
        waitFor(By.id("run-outcome"));
        assertThat(browser.getCurrentUrl()).isEqualTo(OAuthFlow.app() + "/admin/runs/2?notice=ran");
        assertThat(text("notice")).startsWith("The run has finished");
        assertThat(text("run-outcome")).isEqualTo("success");
        assertThat(text("no-changes")).isEqualTo("This run made no change and reported nothing.");

        browser.get(OAuthFlow.app() + "/admin");
        press(By.linkText("Run 1"));
        waitFor(By.id("changes-table"));
        assertThat(text("run-counts")).startsWith("2 planned, 2 applied, 0 failed");
        assertThat(text("changes-table")).contains("M1").contains("create").contains("applied")
                .contains("card: issued with the CRM's value").doesNotContain("40010001");
        press(By.linkText("M2"));
        waitFor(By.id("verdict"));
        assertThat(text("verdict")).isEqualTo("Has access");
    }

    @Test
    void aMemberIsLookedUpExplainedAndSyncedAlone() {
        world.team("hot", TestWorld.HOT).team("podcast", null).member("M1", "ada@example.com", "hot", "podcast")
                .credential("M1", "card", "40010001");
        sync.runOnce("test");

        browser.get(OAuthFlow.app() + "/admin");
        WebElement lookup = browser.findElement(By.id("member-id"));
        assertThat(browser.findElement(By.cssSelector("label[for=member-id]")).getText()).startsWith("Member id");
        leavingThePage(() -> lookup.sendKeys("M1", Keys.ENTER)); // the keyboard alone is enough
        waitFor(By.id("verdict"));
        assertThat(text("verdict")).isEqualTo("Has access");
        assertThat(text("why")).contains("active in the CRM").contains("is enabled and in groups [101]");
        assertThat(text("crm-teams")).isEqualTo("Team hot (group 101), Team podcast (opens no door)");
        assertThat(text("groups-table")).contains("101 Team hot yes");
        assertThat(text("credentials-table")).contains("card set");
        assertThat(text("next-run")).startsWith("Nothing: DoorFlow already matches the CRM");
        assertThat(browser.getPageSource()).doesNotContain("40010001");
        screenshot("admin-member");

        world.sql("update crm.members set status = 'suspended' where id = 'M1'");
        browser.navigate().refresh();
        assertThat(text("why")).contains("the CRM status is 'suspended'");
        assertThat(text("next-run")).startsWith("disable DoorFlow person #").contains("credential delete card");
        press(By.id("sync-member"));
        waitFor(By.id("notice"));
        assertThat(text("notice")).startsWith("The member was synced");
        assertThat(text("verdict")).isEqualTo("Has no access");
        assertThat(text("person-enabled")).isEqualTo("no");
        assertThat(text("journal-table")).contains("disable applied");

        browser.get(OAuthFlow.app() + "/admin/members?id=NOPE");
        waitFor(By.id("error"));
        assertThat(text("error")).isEqualTo("Member NOPE is neither in the CRM nor linked or quarantined by doorsync.");
    }

    @Test
    void theQuarantineShowsReasonsWithReleaseAndApproveButtons() {
        world.team("hot", TestWorld.HOT).member("BAD", null, "hot");
        long staff = world.simulator().addPerson(Map.of("first_name", "Front", "last_name", "Office", "email",
                "eve@example.com", "enabled", false));
        world.member("M3", "eve@example.com", "hot");
        sync.runOnce("test");

        browser.get(OAuthFlow.app() + "/admin");
        assertThat(text("quarantine-BAD")).contains("email is missing");
        assertThat(text("quarantine-M3")).contains("adoption needs approval: DoorFlow person #" + staff);
        assertThat(browser.findElement(By.id("quarantine-BAD")).findElements(By.tagName("button")))
                .extracting(WebElement::getText).containsExactly("Release");

        press(By.xpath("//tr[@id='quarantine-M3']//button[text()='Approve adoption']"));
        waitFor(By.id("notice"));
        assertThat(text("notice")).startsWith("Adoption approved");
        assertThat(world.rows("select person_id from doorsync.adoption_approval where member_id = 'M3'"))
                .extracting(r -> r.get("person_id")).containsExactly(staff);

        press(By.xpath("//tr[@id='quarantine-BAD']//button[text()='Release']"));
        waitFor(By.id("notice"));
        assertThat(text("notice")).startsWith("Released");
        assertThat(browser.findElements(By.id("quarantine-BAD"))).isEmpty();
    }

    @Test
    void aLongQuarantineIsCutShortWithAPointerToTheApi() {
        world.team("hot", TestWorld.HOT);
        for (int i = 1; i <= 103; i++) {
            world.member(String.format("X%03d", i), null, "hot");
        }
        sync.runOnce("test");

        browser.get(OAuthFlow.app() + "/admin");
        assertThat(browser.findElements(By.cssSelector("#quarantine-table tbody tr"))).hasSize(100);
        assertThat(text("quarantine-more")).isEqualTo("And 3 more: GET /admin/api/quarantine lists them all, a page at a time.");
    }

    @Test
    void aHeldRunIsShownAndCanBeAllowedOnce() {
        world.team("hot", TestWorld.HOT);
        for (int i = 1; i <= 12; i++) {
            world.member("M" + i, "m" + i + "@example.com", "hot");
        }
        sync.runOnce("test");
        world.sql("delete from crm.members");
        sync.runOnce("test");

        browser.get(OAuthFlow.app() + "/admin");
        assertThat(text("held")).contains("Run 2 is held: nothing was applied")
                .contains("would take access from 12 of the 12 people who have access now");
        press(By.id("allow-once"));
        waitFor(By.id("run-outcome"));
        assertThat(text("run-outcome")).isEqualTo("success");
        assertThat(text("run-counts")).startsWith("12 planned, 12 applied");
        assertThat(world.simulator().people()).noneMatch(p -> p.get("enabled").asBoolean());
        browser.get(OAuthFlow.app() + "/admin");
        assertThat(browser.findElements(By.id("held"))).as("no longer held").isEmpty();
    }

    @Test
    void recentCheckInsAreShownWithTheirMember() {
        world.team("hot", TestWorld.HOT).member("M1", "ada@example.com", "hot");
        sync.runOnce("test");
        world.simulator().addDoor(1340, "Front door", java.util.Set.of(TestWorld.HOT));
        world.simulator().addDoor(1341, "Office", java.util.Set.of(TestWorld.OFFICE));
        world.simulator().badge(world.personId("M1"), 1340);
        world.simulator().badge(world.personId("M1"), 1341);
        checkIns.readNew(Account.DEFAULT);

        browser.get(OAuthFlow.app() + "/admin");
        List<String> rows = browser.findElements(By.cssSelector("#check-ins-table tbody tr")).stream()
                .map(WebElement::getText).toList();
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).endsWith("M1 Office rejected");
        assertThat(rows.get(1)).endsWith("M1 Front door admitted");
    }

    @Test
    void thePageWorksWithoutJavaScriptAndFromTheKeyboard() {
        world.team("hot", TestWorld.HOT).member("BAD", null, "hot");
        sync.runOnce("test");
        browser.get(OAuthFlow.app() + "/admin");
        assertThat(browser.getPageSource()).as("no script at all: every action is a form").doesNotContain("<script");
        assertThat(browser.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("en");
        assertThat(browser.findElements(By.cssSelector("main h1"))).hasSize(1);
        // Every button says what it does, to a screen reader too; every field has its label.
        for (WebElement button : browser.findElements(By.tagName("button"))) {
            String name = button.getAttribute("aria-label") != null ? button.getAttribute("aria-label") : button.getText();
            assertThat(name).as("a button's accessible name").isNotBlank();
        }
        for (WebElement input : browser.findElements(By.cssSelector("input[type=text]"))) {
            assertThat(browser.findElements(By.cssSelector("label[for='" + input.getAttribute("id") + "']")))
                    .as("label of " + input.getAttribute("id")).hasSize(1);
        }
        assertThat(browser.findElements(By.cssSelector("table th[scope=col]"))).isNotEmpty();
        // The first Tab lands on the skip link, which leads to the content.
        browser.findElement(By.tagName("body")).sendKeys(Keys.TAB);
        WebElement focused = browser.switchTo().activeElement();
        assertThat(focused.getText()).isEqualTo("Skip to the content");
        focused.sendKeys(Keys.ENTER);
        assertThat(browser.getCurrentUrl()).endsWith("/admin#main");
        browser.get(OAuthFlow.app() + "/admin");
        screenshot("admin-overview");
    }
}
