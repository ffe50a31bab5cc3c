package io.doorsync.run;

import static io.doorsync.support.TestWorld.HOT;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.doorsync.support.PostgresAndSimulator;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** A push to the doors is never lost: owed before the first write, retried until DoorFlow takes it, and visible. */
@QuarkusTest
@WithTestResource(value = PostgresAndSimulator.class, scope = TestResourceScope.GLOBAL)
class PushToDoorsTest extends AgainstTheSimulator {

    static final String PUSH = "POST /api/3/sync";

    @Inject
    MeterRegistry meters;

    @ConfigProperty(name = "quarkus.management.test-port")
    int managementPort;

    @BeforeEach
    void setUp() {
        world.team("hot", HOT);
    }

    @Test
    void aRefusedPushStaysOwedTurnsTheSyncHealthGroupDownAndIsCounted() {
        double before = forbidden();
        world.member("M1", "ada@example.com", "hot");
        doorflow.failNext(PUSH, 403, 1);

        assertThat(sync.runOnce("test").outcome()).isEqualTo(RunReport.Outcome.SUCCESS);

        given().baseUri("http://127.0.0.1:" + managementPort).get("/q/health/group/sync").then().statusCode(503)
                .body("checks.find { it.name == 'doorsync-push-to-doors' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == 'doorsync-push-to-doors' }.data.problem",
                        containsString("account.sync scope"));
        assertThat(forbidden() - before).isEqualTo(1);
        assertThat(world.rows("select outcome, detail from doorsync.change_journal where kind = 'push'"))
                .singleElement().satisfies(r -> assertThat(r.get("outcome")).isEqualTo("failed"));

        doorflow.clearCalls();
        sync.runOnce("test"); // nothing changed in the CRM: the push is still owed
        assertThat(doorflow.calls(PUSH)).isEqualTo(1);
        given().baseUri("http://127.0.0.1:" + managementPort).get("/q/health/group/sync").then()
                .body("checks.find { it.name == 'doorsync-push-to-doors' }.status", equalTo("UP"));
    }

    @Test
    void aFailureBetweenTheWritesAndThePushStillPushesOnTheNextRun() {
        world.member("M1", "ada@example.com", "hot");
        // doorsync's own database fails right after DoorFlow created the person: the run cannot record it.
        doorflow.afterNext("POST /api/3/people", () -> world.sql("alter table doorsync.change_journal rename to"
                + " change_journal_away"));

        RunReport failed = sync.runOnce("test");

        assertThat(failed.outcome()).isEqualTo(RunReport.Outcome.FAILED);
        assertThat(doorflow.calls(PUSH)).as("the run died before its push").isZero();
        world.sql("alter table doorsync.change_journal_away rename to change_journal");

        doorflow.clearCalls();
        RunReport next = sync.runOnce("test");
        assertThat(next.outcome()).isEqualTo(RunReport.Outcome.SUCCESS);
        assertThat(doorflow.calls(PUSH)).as("owed since before the first write").isEqualTo(1);
        assertThat(doorflow.people()).filteredOn(p -> "crm:M1".equals(p.path("system_id").asText(null)))
                .as("relinked, not created twice").hasSize(1);
    }

    private double forbidden() {
        var counter = meters.find("doorsync.push.failures").tag("account", "default").tag("reason", "forbidden").counter();
        return counter == null ? 0 : counter.count();
    }
}
