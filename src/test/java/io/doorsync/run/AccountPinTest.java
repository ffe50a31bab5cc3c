package io.doorsync.run;

import static io.doorsync.support.TestWorld.HOT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.doorsync.simulator.OAuthApp;
import io.doorsync.support.OAuthFlow;
import io.doorsync.support.PostgresAndSimulator;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * doorsync writes to the DoorFlow account it first connected to: connected to another one, runs stop before any
 * write, saying what to do, until an operator confirms the new account.
 */
@QuarkusTest
@WithTestResource(value = PostgresAndSimulator.class, scope = TestResourceScope.GLOBAL)
class AccountPinTest extends AgainstTheSimulator {

    @BeforeEach
    void setUp() {
        world.team("hot", HOT).member("M1", "ada@example.com", "hot");
    }

    @Test
    void withAnApiKeyTheAccountIsPinnedAndAnotherOneStopsWritesUntilConfirmed() {
        assertThat(sync.runOnce("test").outcome()).isEqualTo(RunReport.Outcome.SUCCESS);
        assertThat(world.rows("select account_id from doorsync.account_pin")).singleElement()
                .satisfies(r -> assertThat(r.get("account_id")).isEqualTo("acc_demo01"));

        // Pinned earlier to another account (say the key was replaced by one of another account).
        world.sql("update doorsync.account_pin set account_id = 'acc_elsewhere'");
        world.member("M2", "bob@example.com", "hot");
        RunReport stopped = sync.runOnce("test");

        assertThat(stopped.outcome()).isEqualTo(RunReport.Outcome.FAILED);
        assertThat(stopped.message()).contains("connected to DoorFlow account acc_demo01, but it syncs account"
                + " acc_elsewhere").contains("POST /admin/api/account?accountId=acc_demo01");
        assertThat(doorflow.people()).noneMatch(p -> "crm:M2".equals(p.path("system_id").asText(null)));

        OAuthFlow.admin().post("/admin/api/account?accountId=acc_elsewhere").then().statusCode(409)
                .body("error", equalTo("other_account"));
        OAuthFlow.admin().post("/admin/api/account?accountId=acc_demo01").then().statusCode(204);
        assertThat(sync.runOnce("test").outcome()).isEqualTo(RunReport.Outcome.SUCCESS);
        assertThat(doorflow.people()).anyMatch(p -> "crm:M2".equals(p.path("system_id").asText(null)));
    }

    @Test
    void reconnectingThroughOAuthToAnotherAccountStopsWritesUntilConfirmed() {
        OAuthFlow.connect();
        assertThat(sync.runOnce("test").outcome()).isEqualTo(RunReport.Outcome.SUCCESS);

        // An admin reconnects on /admin and approves in another DoorFlow account.
        doorflow.setOAuthApp(new OAuthApp("doorsync-demo", "test-client-secret", "acc_other", Duration.ofHours(1), true));
        OAuthFlow.connect();
        world.member("M2", "bob@example.com", "hot");
        RunReport stopped = sync.runOnce("test");

        assertThat(stopped.outcome()).isEqualTo(RunReport.Outcome.FAILED);
        assertThat(stopped.message()).contains("account acc_other, but it syncs account acc_demo01");
        assertThat(doorflow.people()).noneMatch(p -> "crm:M2".equals(p.path("system_id").asText(null)));

        OAuthFlow.admin().post("/admin/api/account?accountId=acc_other").then().statusCode(204);
        assertThat(sync.runOnce("test").outcome()).isEqualTo(RunReport.Outcome.SUCCESS);
    }
}
