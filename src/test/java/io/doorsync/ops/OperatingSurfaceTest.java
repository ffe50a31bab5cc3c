package io.doorsync.ops;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.doorsync.apply.SyncService;
import io.doorsync.support.DoorFlowContract;
import io.doorsync.support.PostgresAndSimulator;
import io.doorsync.support.TestWorld;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Health and metrics on the management port, as an operator's probes and Prometheus see them. */
@QuarkusTest
@WithTestResource(value = PostgresAndSimulator.class, scope = TestResourceScope.GLOBAL)
class OperatingSurfaceTest {

    /** The management root, /q (the port comes from PostgresAndSimulator, which @TestHTTPResource does not see). */
    @ConfigProperty(name = "quarkus.management.test-port")
    int managementPort;

    @Inject
    TestWorld world;

    @AfterEach
    void everyExchangeConformsToOpenApi() {
        DoorFlowContract.assertConforms(world.simulator().exchanges());
    }

    @Inject
    SyncService sync;

    @Test
    void readinessAndLivenessAreUpAndReportTheSyncLoop() {
        world.reset();
        world.team("hot", TestWorld.HOT).member("M1", "ada@example.com", "hot");
        sync.runOnce("test");

        given().baseUri("http://127.0.0.1:" + managementPort + "/q").get("/health/ready").then().statusCode(200)
                .body("status", equalTo("UP")).body("checks.name", hasItem("Database connections health check"));
        given().baseUri("http://127.0.0.1:" + managementPort + "/q").get("/health/live").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'doorsync-sync-loop' }.data.lastOutcome", equalTo("success"));
    }

    @Test
    void prometheusMetricsCoverRunsChangesAndCounts() {
        world.reset();
        world.team("hot", TestWorld.HOT).member("M1", "ada@example.com", "hot").member("BAD", null, "hot");
        sync.runOnce("test");

        String metrics = given().baseUri("http://127.0.0.1:" + managementPort + "/q").accept("text/plain").get("/metrics").then()
                .statusCode(200).extract().asString();

        assertThat(metrics)
                .containsPattern("(?m)^doorsync_runs_total\\{outcome=\"success\",?} [1-9]")
                .containsPattern("(?m)^doorsync_runs_total\\{outcome=\"failed\",?} [0-9]")
                .containsPattern("(?m)^doorsync_changes_total\\{kind=\"create\",outcome=\"applied\",?} [1-9]")
                .containsPattern("(?m)^doorsync_run_duration_seconds_count [1-9]")
                .containsPattern("(?m)^doorsync_last_success_timestamp_seconds [1-9]")
                .containsPattern("(?m)^doorsync_linked_people 1\\.0$")
                .containsPattern("(?m)^doorsync_quarantined_members 1\\.0$")
                .doesNotContain("ada@example.com").doesNotContain("M1\"");
    }
}
