package io.doorsync.run;

import static io.doorsync.support.TestWorld.CARD;
import static io.doorsync.support.TestWorld.HOT;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.doorsync.simulator.FaultRule;
import io.doorsync.support.OAuthFlow;
import io.doorsync.support.PostgresAndSimulator;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Freshness tells the truth: a member whose card number another person holds makes every run partial, but the
 * runs are complete (everything that could be applied was, and the push went out), so the last success moves on
 * and the health check stays up; that member is counted on its own, shown on the page and alerted on. A write
 * that could not reach DoorFlow is not complete.
 */
@QuarkusTest
@WithTestResource(value = PostgresAndSimulator.class, scope = TestResourceScope.GLOBAL)
class RefusedMemberTest extends AgainstTheSimulator {

    @Inject
    MeterRegistry meters;

    @ConfigProperty(name = "quarkus.management.test-port")
    int managementPort;

    @BeforeEach
    void setUp() {
        world.team("hot", HOT);
    }

    @Test
    void aMemberRefusedRunAfterRunIsCountedOnItsOwnAndTheRunsStayFresh() {
        long walkIn = doorflow.addPerson(Map.of("first_name", "Walk", "last_name", "In"));
        doorflow.addCredential(walkIn, CARD, "1111");
        world.member("OK", "ok@example.com", "hot").member("DUPCARD", "dup@example.com", "hot")
                .credential("DUPCARD", "card", "1111");

        for (int run = 1; run <= 2; run++) {
            RunReport report = sync.runOnce("test");
            assertThat(report.outcome()).as("run %d", run).isEqualTo(RunReport.Outcome.PARTIAL);
            assertThat(report.complete()).as("only DUPCARD's card was refused").isTrue();
            assertThat(lastSuccess()).as("the last success is this run").isEqualTo(
                    report.finishedAt().getEpochSecond());
        }

        assertThat(meters.get("doorsync.members.refused").tag("account", "default").gauge().value()).isEqualTo(1);
        assertThat(world.rows("select complete from doorsync.sync_run order by id")).extracting(r -> r.get("complete"))
                .containsOnly(true);
        given().baseUri("http://127.0.0.1:" + managementPort).get("/q/health/group/sync").then()
                .body("checks.find { it.name == 'doorsync-last-success' }.status", equalTo("UP"));
        OAuthFlow.admin().get("/admin").then().statusCode(200).body(containsString("id=\"refused-DUPCARD\""))
                .body(containsString("value is already in use"));

        world.sql("update crm.member_credentials set value = '2222' where member_id = 'DUPCARD'");
        sync.runOnce("test");
        assertThat(meters.get("doorsync.members.refused").tag("account", "default").gauge().value()).as("fixed, and counted no more").isZero();
    }

    @Test
    void aRunWhoseWriteCouldNotReachDoorFlowIsNotComplete() {
        world.member("M1", "m1@example.com", "hot");
        doorflow.setFaults(List.of(FaultRule.on("POST /api/3/people").withErrors(1, 503)), 1);
        double before = lastSuccess();

        RunReport report = sync.runOnce("test");

        assertThat(report.outcome()).isEqualTo(RunReport.Outcome.PARTIAL);
        assertThat(report.complete()).as("DoorFlow did not take what could have been applied").isFalse();
        assertThat(lastSuccess()).as("no new success").isEqualTo(before);
        assertThat(meters.get("doorsync.members.refused").tag("account", "default").gauge().value()).isZero();
    }

    private double lastSuccess() {
        return meters.get("doorsync.last.success.timestamp").tag("account", "default").gauge().value();
    }
}
