package io.doorsync.run;

import static io.doorsync.support.TestWorld.HOT;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.doorsync.simulator.FaultRule;
import io.doorsync.support.PostgresAndSimulator;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** One fault at a time, over HTTP: what doorsync retries, what it waits for, and what it never sends twice. */
@QuarkusTest
@WithTestResource(value = PostgresAndSimulator.class, scope = TestResourceScope.GLOBAL)
class RidingOutFaultsTest extends AgainstTheSimulator {

    private static final String CREATE = "POST /api/3/people";

    @Inject
    MeterRegistry registry;

    @BeforeEach
    void setUp() {
        world.team("hot", HOT);
    }

    @Test
    void aListingPageIsRetriedAfterAResetA429AndA503() {
        world.member("M1", "ada@example.com", "hot");
        doorflow.resetNext(PEOPLE, 1);
        doorflow.setFaults(List.of(FaultRule.on(PEOPLE).withRateLimits(1, 0)), 1);
        doorflow.afterNext(PEOPLE, () -> doorflow.setFaults(List.of(), 1)); // one 429 only
        doorflow.failNext(PEOPLE, 500, 1);
        double rateLimited = retries("rate_limited");
        double unavailable = retries("unavailable");

        RunReport report = sync.runOnce("test");

        assertThat(report.outcome()).as(report.message()).isEqualTo(RunReport.Outcome.SUCCESS);
        assertThat(doorflow.calls(PEOPLE)).as("the page, read again after each fault; one page cannot"
                + " have missed anyone, so no look-up by system_id before the create").isEqualTo(4);
        assertThat(doorflow.faultsInjected()).containsEntry("reset", 1).containsEntry("rate_limit", 1);
        assertThat(retries("rate_limited") - rateLimited).isEqualTo(1);
        assertThat(retries("unavailable") - unavailable).isEqualTo(2);
        assertThat(doorflow.people()).hasSize(1);
    }

    @Test
    void aRateLimitedWriteWaitsWhatDoorFlowAskedAndIsSentAgainOnce() {
        world.member("M1", "ada@example.com", "hot");
        doorflow.setFaults(List.of(FaultRule.on(CREATE).withRateLimits(1, 1)), 1);
        doorflow.afterNext(CREATE, () -> doorflow.setFaults(List.of(), 1)); // only the first create is limited

        Instant started = Instant.now();
        RunReport report = sync.runOnce("test");

        assertThat(report.outcome()).as(report.message()).isEqualTo(RunReport.Outcome.SUCCESS);
        assertThat(doorflow.calls(CREATE)).isEqualTo(2);
        assertThat(doorflow.people()).hasSize(1);
        assertThat(Duration.between(started, Instant.now())).as("retry_in 1 was honoured")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aCreateWhoseAnswerIsLostIsNotSentAgainButFoundByTheNextRun() {
        world.member("M1", "ada@example.com", "hot");
        doorflow.loseAnswerNext(CREATE, 1);

        RunReport lost = sync.runOnce("test");

        assertThat(lost.outcome()).isEqualTo(RunReport.Outcome.PARTIAL);
        assertThat(doorflow.calls(CREATE)).as("not repeated blindly").isEqualTo(1);
        assertThat(world.journal("M1")).singleElement().asString()
                .startsWith("create failed: no answer from DoorFlow").contains("it may have been applied");
        assertThat(doorflow.people()).as("DoorFlow did apply it").hasSize(1);

        RunReport next = sync.runOnce("test");

        assertThat(next.outcome()).isEqualTo(RunReport.Outcome.SUCCESS);
        assertThat(doorflow.calls(CREATE)).as("found by system_id, not created twice").isEqualTo(1);
        assertThat(doorflow.people()).singleElement().satisfies(p -> assertThat(p.get("system_id").asText())
                .isEqualTo("crm:M1"));
        assertThat(world.rows("select 1 from doorsync.person_link where member_id = 'M1'")).hasSize(1);
    }

    @Test
    void anUpdateWhoseAnswerIsLostIsPlannedAgainFromTheNextListing() {
        world.member("M1", "ada@example.com", "hot");
        sync.runOnce("test");
        world.sql("update crm.members set first_name = 'Ada' where id = 'M1'");
        doorflow.loseAnswerNext("PUT /api/3/people/{id}", 1);

        assertThat(sync.runOnce("test").outcome()).isEqualTo(RunReport.Outcome.PARTIAL);
        assertThat(world.person("M1").get("first_name").asText()).isEqualTo("Ada");
        doorflow.clearCalls();

        RunReport next = sync.runOnce("test");

        assertThat(next.outcome()).isEqualTo(RunReport.Outcome.SUCCESS);
        assertThat(doorflow.calls("PUT /api/3/people/{id}")).as("DoorFlow already matches").isZero();
        assertThat(world.journal("M1")).last().asString().contains("DoorFlow already matches");
    }

    @Test
    void aDoorFlowThatIsDownFailsTheRunQuicklyWithItsOwnWords() {
        world.member("M1", "ada@example.com", "hot");
        doorflow.setFaults(List.of(FaultRule.on("*").withResets(1)), 1);

        RunReport report = sync.runOnce("test");

        assertThat(report.outcome()).isEqualTo(RunReport.Outcome.FAILED);
        assertThat(report.message()).startsWith("DoorFlow could not be reached");
        assertThat(doorflow.calls().values().stream().mapToInt(Integer::intValue).sum())
                .as("the first read, and its 5 retries").isEqualTo(6);
        assertThat(Duration.between(report.startedAt(), report.finishedAt())).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void writesStopWhenSeveralChangesInARowCannotReachDoorFlow() {
        for (int i = 1; i <= 20; i++) {
            world.member("M" + i, "m" + i + "@example.com", "hot");
        }
        doorflow.setFaults(List.of(FaultRule.on("WRITE *").withErrors(1, 503)), 1);

        RunReport report = sync.runOnce("test");

        assertThat(report.outcome()).isEqualTo(RunReport.Outcome.PARTIAL);
        assertThat(doorflow.calls(CREATE)).as("not twenty failures in a row: three, and those already in flight")
                .isLessThanOrEqualTo(3 + inFlight()).isLessThan(20);
        // Three in a row stop the writes; those already in flight may fail too and be counted in the message.
        assertThat(world.rows("select detail from doorsync.change_journal where outcome = 'skipped'"))
                .isNotEmpty().allSatisfy(r -> assertThat((String) r.get("detail"))
                        .matches("not attempted: DoorFlow looks down: ([3-9]|1[0-1]) changes in a row could not reach"
                                + " it .*"));

        doorflow.setFaults(List.of(), 1);
        assertThat(sync.runOnce("test").outcome()).isEqualTo(RunReport.Outcome.SUCCESS);
        assertThat(doorflow.people()).hasSize(20);
    }

    @Test
    void aReturningMemberGetsAPhoneAgainOnceDoorFlowHasFinishedRevokingTheOldOne() throws Exception {
        doorflow.setMobileRevocationTime(Duration.ofMillis(300), false);
        world.member("M1", "ada@example.com", "hot").credential("M1", "mobile", null);
        sync.runOnce("test");
        world.sql("update crm.members set status = 'cancelled' where id = 'M1'");
        sync.runOnce("test");
        world.sql("update crm.members set status = 'active' where id = 'M1'");
        sync.runOnce("test");
        assertThat(phones()).as("DoorFlow is still revoking the old phone").containsExactly("revoking");

        Thread.sleep(400); // DoorFlow's revocation time passes; no test hook finishes it
        sync.runOnce("test");

        assertThat(phones()).containsExactlyInAnyOrder("revoked", "invited");
    }

    private List<String> phones() {
        return doorflow.credentialsOf(world.personId("M1")).stream().map(c -> c.get("status").asText()).toList();
    }

    private double retries(String reason) {
        var counter = registry.find("doorsync.doorflow.retries").tag("account", "default").tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }
}
