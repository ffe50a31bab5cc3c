package io.doorsync.accounts;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.util.List;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.doorsync.Account;
import io.doorsync.run.RunReport;
import io.doorsync.checkins.CheckIns;
import io.doorsync.run.RunMetrics;
import io.doorsync.run.SyncRunner;
import io.doorsync.simulator.DoorFlowSimulator;
import io.doorsync.support.CrmRows;
import io.doorsync.support.DoorFlowContract;
import io.doorsync.support.MetricsText;
import io.doorsync.support.PostgresAndSimulator;
import io.doorsync.support.Profiles;
import io.doorsync.support.TestWorld;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Several DoorFlow accounts from one installation: its own, two declared in settings (north, south) and a paused
 * one (east), each with its CRM schema and its own DoorFlow account on the simulator, the same member ids in
 * each. Every account synced converges into its own DoorFlow and nothing crosses; one account's DoorFlow failing
 * stops that account only; an account added at run time keeps its key encrypted, and once paused or removed it is
 * left alone. (Which replica runs which account is AccountOwners', shown by packaging/ManyAccountsIT; with
 * scheduling off, as in the tests, each account is run here by hand.)
 */
@QuarkusTest
@TestProfile(Profiles.DeclaredAccounts.class)
@WithTestResource(value = PostgresAndSimulator.class, scope = TestResourceScope.GLOBAL)
class ManyAccountsTest {

    /** The run metrics' series, which a replica exports only for the accounts it runs. */
    private static final String RUN_SERIES = "(?m)^doorsync_(runs_total|run_duration_seconds[a-z_]*|last_success_"
            + "timestamp_seconds|members_refused|linked_people|quarantined_members|revocation_guard_holding|run_"
            + "(started|progress)_timestamp_seconds|push_failures_total)";

    private static final Account NORTH = new Account("north");
    private static final Account SOUTH = new Account("south");
    private static final Account WEST = new Account("west");

    @Inject
    TestWorld world;

    @Inject
    AccountRegistry accounts;

    @Inject
    SyncRunner sync;

    @Inject
    RunMetrics metrics;

    @Inject
    CheckIns checkIns;

    DoorFlowSimulator own;
    DoorFlowSimulator north;
    DoorFlowSimulator south;

    @BeforeEach
    void setUp() {
        world.reset(); // forgets the simulator's other accounts, and the account rows: the next refresh declares them
        own = world.simulator();
        north = own.addAccount("acc_north", "north-key");
        south = own.addAccount("acc_south", "south-key");
        for (DoorFlowSimulator doorflow : List.of(north, south)) {
            doorflow.addGroup(TestWorld.HOT, "Hot desk");
        }
        for (String schema : List.of("crm_north", "crm_south", "crm_east", "crm_west")) {
            world.emptyCrmSchema(schema);
            world.sql("insert into " + schema + ".teams (id, name, doorflow_group_id) values ('hot', 'Hot', ?)",
                    TestWorld.HOT);
        }
        world.team("hot", TestWorld.HOT).member("M1", "ada@own.example", "hot");
        CrmRows.member("M1", "bea@north.example", "hot").insertInto("crm_north", world::sql);
        CrmRows.member("M2", "cy@north.example", "hot").insertInto("crm_north", world::sql);
        CrmRows.member("M1", "dee@south.example", "hot").insertInto("crm_south", world::sql);
    }

    @AfterEach
    void everyExchangeConformsToOpenApi() {
        DoorFlowContract.assertConforms(own.exchanges());
        DoorFlowContract.assertConforms(north.exchanges());
        DoorFlowContract.assertConforms(south.exchanges());
    }

    @Test
    void everyAccountConvergesIntoItsOwnDoorFlowAndNothingCrosses() {
        assertThat(accounts.refresh()).containsExactly(Account.DEFAULT, NORTH, SOUTH); // east is paused

        runEveryAccount();

        assertThat(emails(own)).containsExactly("ada@own.example");
        assertThat(emails(north)).containsExactlyInAnyOrder("bea@north.example", "cy@north.example");
        assertThat(emails(south)).containsExactly("dee@south.example");
        assertThat(world.rows("select account, member_id from doorsync.person_link order by account, member_id"))
                .extracting(r -> r.get("account") + "/" + r.get("member_id"))
                .containsExactly("default/M1", "north/M1", "north/M2", "south/M1");
        assertThat(world.rows("select account_id from doorsync.account_pin where account = 'north'"))
                .extracting(r -> r.get("account_id")).containsExactly("acc_north");

        // A change in one account's CRM reaches that account's DoorFlow, and no other is written.
        world.sql("update crm_north.members set last_name = 'Changed' where id = 'M2'");
        own.clearCalls();
        south.clearCalls();
        runEveryAccount();
        assertThat(north.people()).anySatisfy(p -> assertThat(p.path("last_name").asText()).isEqualTo("Changed"));
        assertThat(own.calls("PUT /api/3/people/{id}")).isZero();
        assertThat(south.calls("PUT /api/3/people/{id}")).isZero();
    }

    @Test
    void oneAccountsDoorFlowFailingStopsThatAccountOnly() {
        south.failNext("GET /api/3/people", 500, 1000);

        runEveryAccount();

        assertThat(emails(own)).containsExactly("ada@own.example");
        assertThat(emails(south)).isEmpty();
        assertThat(world.rows("select outcome, message from doorsync.sync_run where account = 'south'"))
                .singleElement().satisfies(r -> {
                    assertThat(r.get("outcome")).isEqualTo("failed");
                    assertThat((String) r.get("message")).contains("500");
                });
        assertThat(world.rows("select outcome from doorsync.sync_run where account = 'north'"))
                .extracting(r -> r.get("outcome")).containsExactly("success");

        // Health names south, after doorsync.sync.max-success-age without a complete run; the pod stays ready.
        given().baseUri(management()).get("/health/group/sync").then()
                .body("checks.find { it.name == 'doorsync-accounts' }.status", equalTo("UP"));
        world.sql("update doorsync.sync_run set started_at = started_at - interval '1 day', finished_at = finished_at"
                + " - interval '1 day'");
        runEveryAccount();
        given().baseUri(management()).get("/health/group/sync").then()
                .body("checks.find { it.name == 'doorsync-accounts' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == 'doorsync-accounts' }.data.unhealthyAccounts", equalTo(1))
                .body("checks.find { it.name == 'doorsync-accounts' }.data.south",
                        allOf(startsWith("no complete run yet; the last run: failed: "), containsString("500")))
                .body("checks.find { it.name == 'doorsync-accounts' }.data.north", nullValue());
        given().baseUri(management()).get("/health/ready").then().statusCode(200);
    }

    private static String management() {
        return "http://127.0.0.1:" + ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class)
                + "/q";
    }

    @Test
    void anAccountAddedAtRunTimeKeepsItsKeyEncryptedAndIsLeftAloneOncePausedOrRemoved() {
        DoorFlowSimulator west = own.addAccount("acc_west", "west-key");
        west.addGroup(TestWorld.HOT, "Hot desk");
        CrmRows.member("W1", "eve@west.example", "hot").insertInto("crm_west", world::sql);

        accounts.add(WEST, "crm_west", "west-key");
        assertThat(accounts.synced()).contains(WEST);
        assertThat(world.rows("select doorflow_api_key from doorsync.account where id = 'west'")).singleElement()
                .satisfies(r -> assertThat(new String((byte[]) r.get("doorflow_api_key"))).doesNotContain("west-key"));
        assertThat(sync.runOnce(WEST, "test", false).outcome()).isEqualTo(RunReport.Outcome.SUCCESS);
        assertThat(emails(west)).containsExactly("eve@west.example");

        world.sql("update crm_west.members set status = 'cancelled' where id = 'W1'");
        assertThat(accounts.setPaused(WEST, true)).isTrue();
        assertThat(accounts.synced()).doesNotContain(WEST);
        runEveryAccount();
        assertThat(finished(NORTH)).isEqualTo(1);
        assertThat(finished(WEST)).isEqualTo(1); // not run again while paused: the leaver keeps its access

        assertThat(accounts.remove(WEST)).isTrue();
        assertThat(world.rows("select doorflow_api_key from doorsync.account where id = 'west'")).singleElement()
                .satisfies(r -> assertThat(r.get("doorflow_api_key")).isNull());
        RunReport removed = sync.runOnce(WEST, "test", false);
        assertThat(removed.outcome()).isEqualTo(RunReport.Outcome.FAILED);
        assertThat(removed.message()).contains("doorsync account 'west' has no");
        assertThat(west.people()).singleElement().satisfies(p -> assertThat(p.get("enabled").asBoolean()).isTrue());
    }

    private long finished(Account account) {
        return world.rows("select 1 from doorsync.sync_run where account = ? and finished_at is not null",
                account.id()).size();
    }

    private static List<String> emails(DoorFlowSimulator doorflow) {
        return doorflow.people().stream().map(p -> p.path("email").asText()).toList();
    }

    /** One run of every account synced, as their holders would run them. */
    @Test
    void eachAccountsMetricsCarryItsLabelAndGoWhenItRunsElsewhere() {
        runEveryAccount();

        assertThat(MetricsText.scrape())
                .containsPattern("(?m)^doorsync_runs_total\\{account=\"north\",outcome=\"success\",?} [1-9]")
                .containsPattern("(?m)^doorsync_linked_people\\{account=\"north\",?} 2\\.0$")
                .containsPattern("(?m)^doorsync_linked_people\\{account=\"south\",?} 1\\.0$")
                .containsPattern("(?m)^doorsync_last_success_timestamp_seconds\\{account=\"south\",?} [1-9]")
                .doesNotContainPattern(RUN_SERIES + "\\{account=\"east\"");

        metrics.runningHere(java.util.Set.of(Account.DEFAULT, SOUTH)); // north moved to another replica
        assertThat(MetricsText.scrape()).as("its run metrics (DoorFlow's and the changes' counters stay: they add up)")
                .doesNotContainPattern(RUN_SERIES + "\\{account=\"north\"")
                .containsPattern("(?m)^doorsync_linked_people\\{account=\"south\",?} 1\\.0$")
                .containsPattern("(?m)^doorsync_linked_people\\{account=\"default\",?} 1\\.0$");
    }

    @Test
    void checkInsAreReadAndShownPerAccountThoughTheirEventIdsAreTheSame() {
        runEveryAccount();
        own.addDoor(1340, "Front door", java.util.Set.of(TestWorld.HOT));
        north.addDoor(1340, "North door", java.util.Set.of(TestWorld.HOT));
        long ownEvent = own.badge(world.personId("M1"), 1340).get("id").asLong();
        long northEvent = north.badge(((Number) world.rows("select person_id from doorsync.person_link where account ="
                + " 'north' and member_id = 'M2'").get(0).get("person_id")).longValue(), 1340).get("id").asLong();
        assertThat(northEvent).as("each DoorFlow numbers its own events: the same id in both").isEqualTo(ownEvent);

        assertThat(checkIns.readNew(Account.DEFAULT).added()).isEqualTo(1);
        assertThat(checkIns.readNew(NORTH).added()).isEqualTo(1);

        assertThat(checkIns.recent(NORTH, 10)).extracting(c -> c.memberId() + " " + c.door() + " " + c.admitted())
                .containsExactly("M2 North door true");
        assertThat(checkIns.recent(Account.DEFAULT, 10)).extracting(c -> c.memberId() + " " + c.door())
                .containsExactly("M1 Front door");
        assertThat(checkIns.recent(SOUTH, 10)).isEmpty();
        assertThat(world.rows("select account, event_id from doorsync.check_in order by account"))
                .extracting(r -> r.get("account") + "/" + r.get("event_id"))
                .containsExactly("default/" + ownEvent, "north/" + northEvent);
    }

    private void runEveryAccount() {
        accounts.refresh().forEach(account -> sync.runOnce(account, "test", false));
    }
}
