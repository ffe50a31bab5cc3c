package io.doorsync.run;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.notNullValue;

import java.time.Duration;
import java.time.Instant;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.doorsync.support.DoorFlowContract;
import io.doorsync.support.OAuthFlow;
import io.doorsync.support.PostgresAndSimulator;
import io.doorsync.support.Profiles;
import io.doorsync.support.TestWorld;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** With the scheduler on, the daemon syncs by itself every doorsync.sync.interval. */
@QuarkusTest
@TestProfile(Profiles.ScheduledEverySecond.class)
@WithTestResource(value = PostgresAndSimulator.class, scope = TestResourceScope.GLOBAL)
class ScheduledSyncTest {

    @Inject
    TestWorld world;

    @AfterEach
    void everyExchangeConformsToOpenApi() {
        DoorFlowContract.assertConforms(world.simulator().exchanges());
    }

    @Test
    void aNewMemberReachesDoorFlowWithoutAnyoneAsking() throws InterruptedException {
        world.reset();
        world.team("hot", TestWorld.HOT).member("M1", "ada@example.com", "hot");

        Instant deadline = Instant.now().plus(Duration.ofSeconds(30)); // a bound on waiting, not a speed target
        while (world.simulator().people().isEmpty() && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
        }

        assertThat(world.simulator().people()).singleElement()
                .satisfies(p -> assertThat(p.get("system_id").asText()).isEqualTo("crm:M1"));
        assertThat(world.rows("select trigger from doorsync.sync_run")).extracting(r -> r.get("trigger"))
                .contains("schedule");

        // Liveness sees the scheduler firing, and the admin API announces the next run.
        given().baseUri("http://127.0.0.1:" + managementPort + "/q").get("/health/live").then().statusCode(200)
                .body("checks.find { it.name == 'doorsync-sync-loop' }.data.lastTick", notNullValue());
        OAuthFlow.admin().get("/admin/api/status").then().statusCode(200).body("nextRunAt", notNullValue());
    }

    @ConfigProperty(name = "quarkus.management.test-port")
    int managementPort;
}
