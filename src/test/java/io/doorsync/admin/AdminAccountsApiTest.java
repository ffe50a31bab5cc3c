package io.doorsync.admin;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.doorsync.simulator.DoorFlowSimulator;
import io.doorsync.support.CrmRows;
import io.doorsync.support.LogCapture;
import io.doorsync.support.OAuthFlow;
import io.doorsync.support.PostgresAndSimulator;
import io.doorsync.support.TestWorld;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Accounts through the admin API: added, listed with their state, paused, resumed and removed; a key never shown. */
@QuarkusTest
@WithTestResource(value = PostgresAndSimulator.class, scope = TestResourceScope.GLOBAL)
class AdminAccountsApiTest {

    private static final String KEY = "a-very-secret-doorflow-key";

    @Inject
    TestWorld world;

    @BeforeEach
    void setUp() {
        world.reset();
    }

    @Test
    void anAccountIsAddedListedPausedResumedAndRemovedWithoutItsKeyEverShown() {
        try (LogCapture logs = LogCapture.start()) {
            addListPauseResumeRemove();
            assertThat(logs.lines()).as("doorsync's log").isNotEmpty().noneMatch(line -> line.contains(KEY));
        }
    }

    private void addListPauseResumeRemove() {
        String added = OAuthFlow.admin().contentType("application/json")
                .body(Map.of("id", "london", "crmSchema", "crm_london", "apiKey", KEY)).post("/admin/api/accounts")
                .then().statusCode(201).body("id", equalTo("london")).body("source", equalTo("api"))
                .body("synced", equalTo(true)).extract().asString();
        assertThat(added).doesNotContain(KEY);
        String stored = world.rows("select encode(doorflow_api_key, 'escape') as k from doorsync.account where id ="
                + " 'london'").get(0).get("k").toString();
        assertThat(stored).doesNotContain(KEY);

        OAuthFlow.admin().contentType("application/json")
                .body(Map.of("id", "london", "crmSchema", "crm_other", "apiKey", "another-key"))
                .post("/admin/api/accounts").then().statusCode(409).body("error", equalTo("account_exists"));

        String listed = OAuthFlow.admin().get("/admin/api/accounts").then().statusCode(200)
                .body("id", hasItems("default", "london")).extract().asString();
        assertThat(listed).doesNotContain(KEY);

        OAuthFlow.admin().post("/admin/api/accounts/london/pause").then().statusCode(204);
        OAuthFlow.admin().get("/admin/api/accounts").then().body("find { it.id == 'london' }.paused", equalTo(true))
                .body("find { it.id == 'london' }.synced", equalTo(false));
        OAuthFlow.admin().post("/admin/api/accounts/london/resume").then().statusCode(204);
        OAuthFlow.admin().get("/admin/api/accounts").then().body("find { it.id == 'london' }.synced", equalTo(true));

        OAuthFlow.admin().delete("/admin/api/accounts/london").then().statusCode(204);
        OAuthFlow.admin().get("/admin/api/accounts").then().body("find { it.id == 'london' }.synced", equalTo(false))
                .body("find { it.id == 'london' }.removedAt", org.hamcrest.Matchers.notNullValue());
        OAuthFlow.admin().delete("/admin/api/accounts/london").then().statusCode(404);
        OAuthFlow.admin().post("/admin/api/accounts/london/run").then().statusCode(404);
        OAuthFlow.admin().post("/admin/api/accounts/london/pause").then().statusCode(404);
    }

    @Test
    void aWrongAccountIsRefusedNamingWhatIsWrong() {
        OAuthFlow.admin().contentType("application/json")
                .body(Map.of("id", "Bad Id", "crmSchema", "crm_x", "apiKey", KEY)).post("/admin/api/accounts")
                .then().statusCode(422).body("message", containsString("lower-case letters"));
        OAuthFlow.admin().contentType("application/json")
                .body(Map.of("id", "paris", "crmSchema", "crm; drop table x", "apiKey", KEY))
                .post("/admin/api/accounts").then().statusCode(422)
                .body("message", containsString("not a plain PostgreSQL identifier"));
        OAuthFlow.admin().contentType("application/json")
                .body(Map.of("id", "default", "crmSchema", "crm_x", "apiKey", KEY)).post("/admin/api/accounts")
                .then().statusCode(422).body("message", containsString("installation's own"));
        OAuthFlow.admin().delete("/admin/api/accounts/default").then().statusCode(422);
        assertThat(world.rows("select id from doorsync.account")).extracting(r -> r.get("id"))
                .containsExactly("default");
    }

    @Test
    void anAccountWithoutAKeyWaitsForItsOAuthConnectionAndIsNotSyncedMeanwhile() {
        OAuthFlow.admin().contentType("application/json").body(Map.of("id", "paris", "crmSchema", "crm_paris"))
                .post("/admin/api/accounts").then().statusCode(201).body("synced", equalTo(false))
                .body("state", containsString("not connected to DoorFlow: press Connect on its page,"
                        + " /admin?account=paris"));
        OAuthFlow.admin().post("/admin/api/accounts/paris/run").then().statusCode(404);
    }

    @Test
    void theRunsQuarantineAndMembersOfAnAccountAreItsOwnThroughTheApi() {
        DoorFlowSimulator london = world.otherTenant("acc_london", KEY, "crm_london");
        CrmRows.member("M1", "bea@london.example", "hot").insertInto("crm_london", world::sql);
        CrmRows.member("NOMAIL", null, "hot").insertInto("crm_london", world::sql);
        world.team("hot", TestWorld.HOT).member("M1", "ada@own.example", "hot");
        OAuthFlow.admin().contentType("application/json")
                .body(Map.of("id", "london", "crmSchema", "crm_london", "apiKey", KEY)).post("/admin/api/accounts")
                .then().statusCode(201);
        OAuthFlow.admin().post("/admin/api/accounts/london/run").then().statusCode(200)
                .body("outcome", equalTo("SUCCESS"));

        OAuthFlow.admin().get("/admin/api/runs?account=london").then().statusCode(200).body("total", equalTo(1));
        OAuthFlow.admin().get("/admin/api/runs").then().statusCode(200).body("total", equalTo(0));
        OAuthFlow.admin().get("/admin/api/quarantine?account=london").then().statusCode(200)
                .header("X-Total-Count", "1").body("memberId", hasItems("NOMAIL"));
        OAuthFlow.admin().get("/admin/api/members/M1?account=london").then().statusCode(200)
                .body("crm.email", equalTo("bea@london.example"));
        OAuthFlow.admin().post("/admin/api/members/M1/sync?account=london").then().statusCode(200);
        OAuthFlow.admin().delete("/admin/api/quarantine/NOMAIL?account=london").then().statusCode(204);
        OAuthFlow.admin().delete("/admin/api/quarantine/NOMAIL").then().statusCode(404);
        OAuthFlow.admin().post("/admin/api/accounts/london/confirm?accountId=acc_other").then().statusCode(409);
        OAuthFlow.admin().post("/admin/api/accounts/london/confirm?accountId=acc_london").then().statusCode(204);
        OAuthFlow.admin().get("/admin/api/runs?account=nowhere").then().statusCode(404)
                .body("error", equalTo("unknown_account"));
        assertThat(london.people()).extracting(p -> p.path("email").asText()).containsExactly("bea@london.example");
    }

    @Test
    void theAccountsAreTheAdminsOnly() {
        given().baseUri(OAuthFlow.app()).get("/admin/api/accounts").then().statusCode(401);
    }
}
