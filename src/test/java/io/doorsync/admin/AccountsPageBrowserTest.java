package io.doorsync.admin;

import static io.doorsync.support.Browser.leavingThePage;
import static io.doorsync.support.Browser.logIn;
import static io.doorsync.support.Browser.press;
import static io.doorsync.support.Browser.screenshot;
import static io.doorsync.support.Browser.text;
import static io.doorsync.support.Browser.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

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

import io.doorsync.accounts.AccountRegistry;
import io.doorsync.simulator.DoorFlowSimulator;
import io.doorsync.support.Browser;
import io.doorsync.support.CrmRows;
import io.doorsync.support.DoorFlowContract;
import io.doorsync.support.OAuthFlow;
import io.doorsync.support.PostgresAndSimulator;
import io.doorsync.support.TestWorld;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Connecting more DoorFlow accounts on the admin page, in a real browser ({@link Browser}): two accounts added with
 * their API keys, each run, listed with its state, and every view (runs, quarantine, member lookup) showing that
 * account's own; pausing, resuming and removing one; the key never shown again.
 */
@QuarkusTest
@WithTestResource(value = PostgresAndSimulator.class, scope = TestResourceScope.GLOBAL)
class AccountsPageBrowserTest {

    static ChromeDriver browser;

    @Inject
    TestWorld world;

    @Inject
    AccountRegistry accounts;

    DoorFlowSimulator north;
    DoorFlowSimulator south;

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
        world.reset(); // also forgets the simulator's other accounts and doorsync's account rows
        accounts.refresh();
        north = world.otherTenant("acc_north", "north-secret-key", "crm_north");
        south = world.otherTenant("acc_south", "south-secret-key", "crm_south");
        world.team("hot", TestWorld.HOT).member("M1", "ada@own.example", "hot");
        CrmRows.member("M1", "bea@north.example", "hot").insertInto("crm_north", world::sql);
        CrmRows.member("M2", "cy@north.example", "hot").insertInto("crm_north", world::sql);
        CrmRows.member("NOMAIL", null, "hot").insertInto("crm_north", world::sql);
        CrmRows.member("M1", "dee@south.example", "hot").insertInto("crm_south", world::sql);
        logIn();
    }

    @AfterEach
    void conforms() {
        DoorFlowContract.assertConforms(north.exchanges());
        DoorFlowContract.assertConforms(south.exchanges());
    }

    @Test
    void twoAccountsAreConnectedOnThePageAndEachViewShowsItsOwn() {
        browser.get(OAuthFlow.app() + "/admin");
        assertThat(rows()).containsExactly("account-default");
        assertThat(browser.findElement(By.id("add-account")).getAttribute("open")).as("open while there is one")
                .isNotNull();

        connect("north", "crm_north", "north-secret-key");
        assertThat(browser.getCurrentUrl()).isEqualTo(OAuthFlow.app() + "/admin?account=north&notice=account-added");
        assertThat(text("notice")).startsWith("The account was added");
        assertThat(text("account-shown")).isEqualTo("north");
        assertThat(text("state")).isEqualTo("waiting for its first run");
        assertThat(text("auth")).startsWith("personal API key (added on this page");
        assertThat(text("crm-schema")).isEqualTo("crm_north");

        press(By.id("run-now"));
        waitFor(By.id("run-outcome"));
        assertThat(browser.getCurrentUrl()).matches(".*/admin/runs/\\d+\\?account=north&notice=ran");
        assertThat(text("run-outcome")).isEqualTo("success");
        assertThat(text("changes-table")).contains("M2").contains("create");
        press(By.linkText("M2")); // the member link stays in the account
        waitFor(By.id("verdict"));
        assertThat(browser.getCurrentUrl()).endsWith("/admin/members?id=M2&account=north");
        assertThat(text("verdict")).isEqualTo("Has access");
        assertThat(text("crm")).contains("cy@north.example");

        browser.get(OAuthFlow.app() + "/admin");
        browser.findElement(By.cssSelector("#add-account summary")).click(); // folded once there are two
        connect("south", "crm_south", "south-secret-key");
        press(By.id("run-now"));
        waitFor(By.id("run-outcome"));
        assertThat(text("run-outcome")).isEqualTo("success");

        browser.get(OAuthFlow.app() + "/admin");
        assertThat(rows()).containsExactly("account-default", "account-north", "account-south");
        assertThat(text("account-north")).contains("north (api)").contains("in step").contains("acc_north")
                .contains("crm_north").doesNotContain("PT").containsPattern("success, (just now|\\d+ s ago)");
        assertThat(text("account-south")).contains("in step").contains("acc_south");
        assertThat(text("account-default")).contains("waiting for its first run");
        assertThat(browser.getPageSource()).as("a key is never shown again").doesNotContain("secret-key");
        screenshot("admin-accounts");

        // Each DoorFlow holds its own account's members, and the views show each account's own.
        assertThat(north.people()).extracting(p -> p.path("email").asText())
                .containsExactlyInAnyOrder("bea@north.example", "cy@north.example");
        assertThat(south.people()).extracting(p -> p.path("email").asText()).containsExactly("dee@south.example");
        assertThat(world.simulator().people()).isEmpty();
        assertThat(browser.findElements(By.id("quarantine-NOMAIL"))).as("north's, not the installation's").isEmpty();
        press(By.linkText("north"));
        assertThat(text("quarantine-NOMAIL")).contains("email is missing");
        press(By.xpath("//tr[@id='quarantine-NOMAIL']//button[text()='Release']"));
        waitFor(By.id("notice"));
        assertThat(browser.getCurrentUrl()).endsWith("/admin?account=north&notice=released#quarantine");
        assertThat(world.rows("select member_id from doorsync.quarantine where account = 'north'")).isEmpty();
        WebElement lookup = browser.findElement(By.id("member-id"));
        leavingThePage(() -> lookup.sendKeys("M1", Keys.ENTER));
        waitFor(By.id("verdict"));
        assertThat(text("crm")).as("north's M1, not the installation's or south's").contains("bea@north.example");
    }

    @Test
    void anAccountIsPausedResumedAndRemovedAndAKnownIdIsRefused() {
        browser.get(OAuthFlow.app() + "/admin");
        connect("north", "crm_north", "north-secret-key");

        press(By.id("pause"));
        waitFor(By.id("notice"));
        assertThat(text("notice")).startsWith("The account is paused");
        assertThat(text("state")).startsWith("paused");
        assertThat(accounts.synced()).extracting(a -> a.id()).doesNotContain("north");
        press(By.id("resume"));
        waitFor(By.id("notice"));
        assertThat(text("state")).isEqualTo("waiting for its first run");
        assertThat(accounts.synced()).extracting(a -> a.id()).contains("north");

        browser.get(OAuthFlow.app() + "/admin");
        browser.findElement(By.cssSelector("#add-account summary")).click();
        connect("north", "crm_south", "another-secret-key");
        waitFor(By.id("error"));
        assertThat(text("error")).contains("account 'north' exists already");
        assertThat(browser.getPageSource()).doesNotContain("secret-key");

        browser.get(OAuthFlow.app() + "/admin?account=north");
        press(By.id("remove"));
        waitFor(By.id("notice"));
        assertThat(text("notice")).startsWith("The account was removed");
        assertThat(text("account-north")).contains("removed");
        assertThat(accounts.synced()).extracting(a -> a.id()).doesNotContain("north");
        assertThat(north.people()).as("removing an account removes nobody's access").isEmpty();

        browser.get(OAuthFlow.app() + "/admin?account=nowhere");
        waitFor(By.id("error"));
        assertThat(text("error")).startsWith("There is no such doorsync account");
    }

    @Test
    void anotherAccountIsConnectedThroughOAuthOnThePageAndSyncsIntoItsOwnDoorFlow() {
        browser.get(OAuthFlow.app() + "/admin");
        connect("north", "crm_north", ""); // no key: signed in at DoorFlow instead
        waitFor(By.id("approve-acc_north"));
        assertThat(browser.getCurrentUrl()).startsWith(OAuthFlow.simulator() + "/oauth/authorize?");
        press(By.id("approve-acc_north")); // DoorFlow's page, signed in to that account

        waitFor(By.id("notice"));
        assertThat(browser.getCurrentUrl()).isEqualTo(OAuthFlow.app() + "/admin?account=north&notice=connected");
        assertThat(text("auth")).isEqualTo("OAuth (the connection made on this page)");
        assertThat(text("oauth-account")).isEqualTo("acc_north");
        assertThat(text("scopes")).contains("account.person");
        assertThat(text("state")).isEqualTo("waiting for its first run");
        assertThat(world.rows("select account_id from doorsync.oauth_connection where account = 'north'"))
                .extracting(r -> r.get("account_id")).containsExactly("acc_north");

        press(By.id("run-now"));
        waitFor(By.id("run-outcome"));
        assertThat(text("run-outcome")).isEqualTo("success");
        assertThat(north.people()).extracting(p -> p.path("email").asText())
                .containsExactlyInAnyOrder("bea@north.example", "cy@north.example");
        assertThat(world.simulator().people()).as("the installation's own DoorFlow untouched").isEmpty();
        assertThat(north.calls("GET /api/3/people")).as("north's DoorFlow reached with north's token").isPositive();

        browser.get(OAuthFlow.app() + "/admin?account=north");
        assertThat(browser.getPageSource()).doesNotContain("test-client-secret");
        press(By.id("disconnect"));
        waitFor(By.id("notice"));
        assertThat(text("notice")).startsWith("Disconnected");
        assertThat(text("state")).startsWith("not synced: it is not connected to DoorFlow");
        assertThat(accounts.synced()).extracting(a -> a.id()).doesNotContain("north");
        assertThat(world.rows("select 1 from doorsync.oauth_connection where account = 'north'")).isEmpty();
        assertThat(world.rows("select 1 from doorsync.oauth_connection where account = 'default'"))
                .as("the installation's own connection is another's").isEmpty();
    }

    /** Fills in and sends the page's "Connect another DoorFlow account" form. */
    private static void connect(String id, String schema, String apiKey) {
        browser.findElement(By.id("new-account-id")).sendKeys(id);
        browser.findElement(By.id("new-account-schema")).sendKeys(schema);
        browser.findElement(By.id("new-account-key")).sendKeys(apiKey);
        press(By.id("add-account-submit"));
    }

    private static List<String> rows() {
        return browser.findElements(By.cssSelector("#accounts-table tbody tr")).stream()
                .map(r -> r.getAttribute("id")).toList();
    }
}
