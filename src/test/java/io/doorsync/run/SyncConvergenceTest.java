package io.doorsync.run;

import io.doorsync.run.guards.ReplicaLock;
import static io.doorsync.support.TestWorld.BIKES;
import static io.doorsync.support.TestWorld.HOT;
import static io.doorsync.support.TestWorld.LAB;
import static io.doorsync.support.TestWorld.OFFICE;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.doorsync.execute.Applier;
import io.doorsync.support.LogCapture;
import io.doorsync.support.PostgresAndSimulator;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The daemon end to end: CRM in PostgreSQL → plan → DoorFlow simulator over HTTP, run after run. */
@QuarkusTest
@WithTestResource(value = PostgresAndSimulator.class, scope = TestResourceScope.GLOBAL)
class SyncConvergenceTest extends AgainstTheSimulator {

    /** The calls of a run with nothing to do: one listing each, no read per member. */
    @Inject
    DataSource dataSource;

    @BeforeEach
    void setUp() {
        world.team("hot", HOT).team("office", OFFICE).team("lab", LAB).team("podcast", null);
    }

    @Test
    void convergesRunAfterRunAndLeavesTheUnchangedAlone() {
        world.member("M1", "ada@example.com", "hot", "lab")
                .member("M2", "bob@example.com", "office")
                .member("M3", "cy@example.com", "hot", "podcast")
                .member("M4", "dee@example.com", "office");
        long walkIn = doorflow.addPerson(Map.of("first_name", "Walk", "last_name", "In", "group_ids", List.of(HOT)));
        long dee = doorflow.addPerson(Map.of("first_name", "firstm4", "last_name", " LastM4", "email", "DEE@example.com",
                "group_ids", List.of(BIKES, LAB)));
        // Dee is in Bike storage, which no team gives: an operator approved her adoption (see AdminApiTest).
        world.sql("insert into doorsync.adoption_approval (account, member_id, person_id, approved_at) values"
                + " ('default', 'M4', ?, now())",
                dee);

        RunReport first = sync.runOnce("test");

        assertThat(first.outcome()).isEqualTo(RunReport.Outcome.SUCCESS);
        assertThat(first.totals().applied()).isEqualTo(4);
        assertThat(groupsOf("M1")).containsExactlyInAnyOrder(HOT, LAB);
        assertThat(groupsOf("M2")).containsExactly(OFFICE);
        assertThat(groupsOf("M3")).containsExactly(HOT);
        assertThat(person("M1").get("first_name").asText()).isEqualTo("FirstM1");
        assertThat(person("M4").get("id").asLong()).as("adopted, not duplicated").isEqualTo(dee);
        assertThat(groupsOf("M4")).as("unmanaged Bike storage kept, managed LAB not given by a team removed")
                .containsExactlyInAnyOrder(OFFICE, BIKES);
        assertThat(doorflow.person(walkIn).get("groups")).as("hand-made person untouched").hasSize(1);
        assertThat(world.journal("M4")).containsExactly("adopt applied: adopted unmanaged person by email; groups now [102, 900]");
        assertThat(doorflow.calls("POST /api/3/sync")).as("pushed to doors after changes").isEqualTo(1);
        assertThat(world.rows("select * from doorsync.change_journal where team_id is not null"))
                .as("a team mapped to no group is not a problem").isEmpty();

        RunReport idle = assertIdle();
        assertThat(idle.outcome()).isEqualTo(RunReport.Outcome.SUCCESS);
        assertThat(idle.totals().unchanged()).isEqualTo(4);

        // The CRM moves on: a new member, a team change, a cancellation, a deleted row, an email change.
        world.member("M5", "eve@example.com", "lab");
        world.sql("delete from crm.team_members where member_id = 'M1' and team_id = 'lab'");
        world.sql("insert into crm.team_members values ('office', 'M1')");
        world.sql("update crm.members set status = 'cancelled' where id = 'M2'");
        world.sql("delete from crm.team_members where member_id = 'M3'");
        world.sql("delete from crm.members where id = 'M3'");
        world.sql("update crm.members set email = 'dee.new@example.com' where id = 'M4'");
        doorflow.clearCalls();

        RunReport second = sync.runOnce("test");

        assertThat(second.outcome()).isEqualTo(RunReport.Outcome.SUCCESS);
        assertThat(second.totals().applied()).isEqualTo(5);
        assertThat(groupsOf("M5")).containsExactly(LAB);
        assertThat(groupsOf("M1")).containsExactlyInAnyOrder(HOT, OFFICE);
        assertThat(person("M2").get("enabled").asBoolean()).isFalse();
        assertThat(groupsOf("M2")).isEmpty();
        assertThat(person("M3").get("enabled").asBoolean()).isFalse();
        assertThat(person("M4").get("email").asText()).isEqualTo("dee.new@example.com");
        assertThat(groupsOf("M4")).containsExactlyInAnyOrder(OFFICE, BIKES);
        assertThat(doorflow.calls()).containsEntry("POST /api/3/people", 1)
                .containsEntry("PUT /api/3/people/{id}", 4)
                .as("one read right before each write, none for the unchanged")
                .containsEntry("GET /api/3/people/{id}", 4)
                .as("one page of people, which cannot have missed anyone: no look-up before the create")
                .containsEntry("GET /api/3/people", 1)
                .doesNotContainKey("DELETE /api/3/people/{id}");

        assertIdle();
        assertThat(doorflow.people()).hasSize(6);
    }

    @Test
    void everyLogLineOfARunCarriesItsRunId() {
        world.member("M1", "ada@example.com", "hot").member("M2", "bob@example.com", "office").member("BAD", null);
        try (LogCapture logs = LogCapture.start()) {
            RunReport report = sync.runOnce("test");
            assertThat(logs.doorsync()).as("the run logged its changes and the quarantine").hasSizeGreaterThanOrEqualTo(4)
                    .allSatisfy(r -> assertThat(r.getMdc(Applier.RUN_ID)).as(r.getFormattedMessage())
                            .isEqualTo(String.valueOf(report.runId())));
        }
    }

    @Test
    void runHistoryOlderThanTheRetentionIsPruned() {
        world.sql("insert into doorsync.sync_run (account, id, trigger, started_at, finished_at, outcome) values"
                + " ('default', 900, 'schedule', now() - interval '31 days', now() - interval '31 days', 'success'),"
                + " ('default', 901, 'schedule', now() - interval '29 days', now() - interval '29 days', 'success')");
        world.sql("insert into doorsync.change_journal (account, run_id, member_id, kind, outcome) values ('default',"
                + " 900, 'OLD', 'create', 'applied'), ('default', 901, 'KEPT', 'create', 'applied')");

        RunReport report = sync.runOnce("test");

        assertThat(world.rows("select id from doorsync.sync_run order by id")).extracting(r -> ((Number) r.get("id")).longValue())
                .containsExactly(report.runId(), 901L);
        assertThat(world.rows("select member_id from doorsync.change_journal where member_id in ('OLD', 'KEPT')"))
                .extracting(r -> r.get("member_id")).containsExactly("KEPT");
    }

    @Test
    void validityOnTheMinuteTravelsAsRfc3339BothWays() {
        world.member("M1", "ada@example.com", "hot");
        world.sql("update crm.members set valid_from = '2026-01-01T00:00:00Z', valid_to = '2027-06-30T23:59:00Z'");

        assertThat(sync.runOnce("test").outcome()).isEqualTo(RunReport.Outcome.SUCCESS);

        assertThat(person("M1").get("valid_from").asText()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(person("M1").get("valid_to").asText()).isEqualTo("2027-06-30T23:59:00Z");
        doorflow.clearCalls();
        assertThat(sync.runOnce("test").totals().planned()).as("no repair of what DoorFlow normalized").isZero();
        // Every request doorsync sent and every answer are checked against openapi.yaml, formats included.
    }

    @Test
    void badCrmRowsAreQuarantinedWithAReasonAndTheRunGoesOn() {
        world.member("GOOD", "good@example.com", "hot")
                .member("NOEMAIL", null, "hot")
                .member("BADEMAIL", "not-an-email", "hot")
                .member("DUP1", "same@example.com", "hot")
                .member("DUP2", "SAME@example.com", "office")
                .member("LONG", "long@example.com", "hot")
                .member("GHOSTTEAM", "ghost@example.com", "ghosts")
                .member("NONAME", "noname@example.com");
        world.sql("update crm.members set first_name = repeat('x', 10000) where id = 'LONG'");
        world.sql("update crm.members set first_name = null, last_name = '' where id = 'NONAME'");

        RunReport report = sync.runOnce("test");

        assertThat(report.outcome()).isEqualTo(RunReport.Outcome.SUCCESS);
        assertThat(report.totals().quarantined()).isEqualTo(7);
        assertThat(person("GOOD")).isNotNull();
        assertThat(doorflow.people()).hasSize(1);
        assertThat(world.quarantineReason("NOEMAIL")).isEqualTo("email is missing");
        assertThat(world.quarantineReason("BADEMAIL")).isEqualTo("email 'not-an-email' is not a valid address");
        assertThat(world.quarantineReason("DUP1")).contains("also the email of member(s) DUP2");
        assertThat(world.quarantineReason("DUP2")).contains("also the email of member(s) DUP1");
        assertThat(world.quarantineReason("LONG")).isEqualTo("first_name is 10000 characters long (at most 255)");
        assertThat(world.quarantineReason("GHOSTTEAM")).isEqualTo("belongs to team 'ghosts', which is not in teams");
        assertThat(world.quarantineReason("NONAME")).isEqualTo("first_name is missing; last_name is missing");
        assertThat(world.journal("NOEMAIL")).containsExactly("quarantine held: email is missing");

        sync.runOnce("test");
        assertThat(world.journal("NOEMAIL")).as("reported once, not every tick").hasSize(1);

        world.sql("update crm.members set email = 'fixed@example.com' where id = 'NOEMAIL'");
        sync.runOnce("test");
        assertThat(world.quarantineReason("NOEMAIL")).as("released once fixed").isNull();
        assertThat(person("NOEMAIL").get("email").asText()).isEqualTo("fixed@example.com");
    }

    @Test
    void conflictWithAPersonOwnedByAnotherSystemIsQuarantinedAndNothingIsOverwritten() {
        long hr = doorflow.addPerson(Map.of("first_name", "Ada", "last_name", "HR", "email", "ada@example.com",
                "system_id", "hr:77", "group_ids", List.of(BIKES)));
        world.member("M1", "Ada@Example.com", "hot");

        sync.runOnce("test");

        assertThat(world.quarantineReason("M1")).contains("DoorFlow person #" + hr + " (system_id 'hr:77')");
        assertThat(doorflow.person(hr).get("system_id").asText()).isEqualTo("hr:77");
        assertThat(doorflow.person(hr).get("last_name").asText()).isEqualTo("HR");
        assertThat(doorflow.calls("PUT /api/3/people/{id}") + doorflow.calls("POST /api/3/people")).isZero();
    }

    @Test
    void aTeamMappedToAMissingGroupIsReportedAndStripsNobody() {
        world.member("M1", "ada@example.com", "hot", "lab");
        sync.runOnce("test");
        assertThat(groupsOf("M1")).containsExactlyInAnyOrder(HOT, LAB);

        world.sql("update crm.teams set doorflow_group_id = 999 where id = 'lab'");
        RunReport report = sync.runOnce("test");

        assertThat(report.outcome()).isEqualTo(RunReport.Outcome.SUCCESS);
        assertThat(groupsOf("M1")).as("nobody stripped").containsExactlyInAnyOrder(HOT, LAB);
        assertThat(world.rows("select detail from doorsync.change_journal where team_id = 'lab'"))
                .singleElement().extracting(r -> r.get("detail")).asString()
                .contains("mapped to DoorFlow group 999, which does not exist in DoorFlow");
    }

    @Test
    void aDoorFlowFailureIsRecordedAgainstThatMemberOnlyAndRetriedNextRun() {
        world.member("M1", "ada@example.com", "hot").member("M2", "bob@example.com", "office")
                .member("M3", "cy@example.com", "lab");
        doorflow.failNext("POST /api/3/people", 500, 1);

        RunReport report = sync.runOnce("test");

        assertThat(report.outcome()).isEqualTo(RunReport.Outcome.PARTIAL);
        assertThat(report.totals().applied()).isEqualTo(2);
        assertThat(report.totals().failed()).isEqualTo(1);
        List<Map<String, Object>> failed = world.rows(
                "select member_id, detail from doorsync.change_journal where outcome = 'failed'");
        assertThat(failed).singleElement().satisfies(r -> assertThat((String) r.get("detail"))
                .startsWith("DoorFlow answered 500: internal_server_error"));
        assertThat(doorflow.people()).hasSize(2);

        RunReport retry = sync.runOnce("test");
        assertThat(retry.outcome()).isEqualTo(RunReport.Outcome.SUCCESS);
        assertThat(retry.totals().applied()).isEqualTo(1);
        assertThat(doorflow.people()).hasSize(3);
    }

    @Test
    void aDoorFlowValidationErrorNamesTheMemberAndTheField() {
        world.member("M1", "ada@example.com", "hot");
        // Someone creates the same email in DoorFlow between the listing and the create.
        doorflow.failNext("POST /api/3/people", 422, 1);

        RunReport report = sync.runOnce("test");

        assertThat(report.outcome()).isEqualTo(RunReport.Outcome.PARTIAL);
        assertThat(world.journal("M1")).containsExactly(
                "create failed: DoorFlow answered 422: Validation failed: email has already been taken");
    }

    @Test
    void refusedCredentialsFailTheRunWithAClearMessage() {
        world.member("M1", "ada@example.com", "hot");
        doorflow.failNext("GET /api/3/groups", 401, 1);

        RunReport report = sync.runOnce("test");

        assertThat(report.outcome()).isEqualTo(RunReport.Outcome.FAILED);
        assertThat(report.message()).startsWith("DoorFlow answered 401");
        assertThat(doorflow.people()).isEmpty();
        assertThat(world.rows("select outcome, message from doorsync.sync_run")).singleElement()
                .satisfies(r -> assertThat(r.get("outcome")).isEqualTo("failed"));
    }

    @Test
    void onlyOneReplicaWritesAtATime() throws Exception {
        world.member("M1", "ada@example.com", "hot");
        try (Connection other = dataSource.getConnection();
                PreparedStatement lock = other.prepareStatement("select pg_advisory_lock(?)")) {
            lock.setLong(1, ReplicaLock.KEY);
            lock.execute();
            RunReport skipped = sync.runOnce("test");
            assertThat(skipped.outcome()).isEqualTo(RunReport.Outcome.SKIPPED);
            assertThat(doorflow.calls()).isEmpty();
            try (PreparedStatement unlock = other.prepareStatement("select pg_advisory_unlock(?)")) {
                unlock.setLong(1, ReplicaLock.KEY);
                unlock.execute();
            }
        }
        assertThat(sync.runOnce("test").outcome()).isEqualTo(RunReport.Outcome.SUCCESS);
    }

    @Test
    void aRateLimitedPushIsDeferredWithoutFailingTheRun() {
        doorflow.setSyncRateLimit(java.time.Duration.ofMinutes(5));
        world.member("M1", "ada@example.com", "hot");
        sync.runOnce("test");
        assertThat(doorflow.calls("POST /api/3/sync")).isEqualTo(1);

        world.member("M2", "bob@example.com", "hot");
        RunReport report = sync.runOnce("test");

        assertThat(report.outcome()).isEqualTo(RunReport.Outcome.SUCCESS);
        assertThat(doorflow.calls("POST /api/3/sync")).isEqualTo(2);
        assertThat(world.rows("select outcome, detail from doorsync.change_journal where kind = 'push' order by id"))
                .extracting(r -> r.get("outcome")).containsExactly("applied", "deferred");

        sync.runOnce("test");
        assertThat(doorflow.calls("POST /api/3/sync")).as("retry_in honoured: no push before it passes")
                .isEqualTo(2);
    }

    private JsonNode person(String memberId) {
        Optional<JsonNode> found = doorflow.people().stream()
                .filter(p -> ("crm:" + memberId).equals(p.path("system_id").asText(null))).findFirst();
        return found.orElse(null);
    }

    private List<Long> groupsOf(String memberId) {
        JsonNode p = person(memberId);
        assertThat(p).as("DoorFlow person of " + memberId).isNotNull();
        return StreamSupport.stream(p.get("groups").spliterator(), false).map(JsonNode::asLong).toList();
    }
}
