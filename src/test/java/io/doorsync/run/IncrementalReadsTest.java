package io.doorsync.run;

import static io.doorsync.support.TestWorld.CARD;
import static io.doorsync.support.TestWorld.HOT;
import static io.doorsync.support.TestWorld.OFFICE;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.doorsync.support.PostgresAndSimulator;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Between full reconciles a run reads only what changed (since_utc, and the credentials of the people that
 * changed or that doorsync wrote), and still sees every hand edit DoorFlow reports as a change to a person. What
 * such a listing cannot show, a person or credential deleted by hand, is put back at the next full reconcile.
 */
@QuarkusTest
@WithTestResource(value = PostgresAndSimulator.class, scope = TestResourceScope.GLOBAL)
class IncrementalReadsTest extends AgainstTheSimulator {

    private static final String FULL_CREDENTIAL_LISTING = "GET /api/3/credentials";

    @BeforeEach
    void setUp() {
        world.team("hot", HOT).team("office", OFFICE);
    }

    @Test
    void anIdleRunCostsTwoCallsWhateverTheSizeOfTheAccount() {
        for (int i = 0; i < 250; i++) {
            world.member("M" + i, "m" + i + "@example.com", "hot").credential("M" + i, "card", "4001" + (1000 + i));
        }
        sync.runOnce("test");
        sleepPastTheOverlap(); // or the next listings would show the 250 people just written
        doorflow.clearCalls();
        mirror.reconcileFullyNextRun("the test compares a full listing");
        sync.runOnce("test");
        assertThat(doorflow.calls(PEOPLE)).as("a full listing: 250 people, 100 a page,"
                + " and the check that nobody changed meanwhile").isEqualTo(4);

        assertIdle(); // one groups call, one (empty) page of people changed since
    }

    @Test
    void handEditsToAPersonAreSeenByTheNextRunWithoutAFullListing() {
        world.member("M1", "ada@example.com", "hot").member("M2", "bob@example.com", "hot").credential("M2", "card",
                "40010002");
        world.member("M3", "cy@example.com", "hot");
        sync.runOnce("test");
        world.sql("update crm.members set status = 'cancelled' where id = 'M3'");
        sync.runOnce("test");
        assertIdle();

        doorflow.editPerson(world.personId("M3"), Map.of("enabled", true, "group_ids", List.of(HOT))); // leaver back
        repairedWithOneCredentialRead();
        assertThat(world.person("M3").get("enabled").asBoolean()).isFalse();
        assertThat(world.person("M3").get("groups")).isEmpty();
        assertIdle();

        doorflow.editPerson(world.personId("M1"), Map.of("group_ids", List.of(HOT, OFFICE)));
        repairedWithOneCredentialRead();
        assertThat(world.person("M1").get("groups")).extracting(JsonNode::asLong).containsExactly(HOT);
        assertIdle();
    }

    /** The next run repairs one hand-edited person, reading that person's credentials and nobody else's. */
    private void repairedWithOneCredentialRead() {
        doorflow.clearCalls();
        assertThat(sync.runOnce("test").totals().applied()).isEqualTo(1);
        assertThat(doorflow.calls()).as("only the changed person's credentials are read")
                .doesNotContainKeys(FULL_CREDENTIAL_LISTING, "GET /api/3/credential_types")
                .containsEntry("GET /api/3/people/{person_id}/credentials", 1);
    }

    private void anotherReplicaRan() {
        world.sql("insert into doorsync.sync_run (account, trigger, started_at, finished_at, outcome) values"
                + " ('default', 'schedule', now(), now(), 'success')");
    }

    private void sleepPastTheOverlap() {
        try {
            // doorsync.doorflow.since-overlap, plus the Date header's whole second
            Thread.sleep(config.doorflow().sinceOverlap().toMillis() + 1_100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aPersonOrCredentialDeletedByHandIsPutBackAtTheNextFullReconcile() {
        world.member("M1", "ada@example.com", "hot").member("M2", "bob@example.com", "hot").credential("M2", "card",
                "40010002");
        sync.runOnce("test");
        assertIdle();
        long deleted = world.personId("M1");
        doorflow.deletePerson(deleted);
        doorflow.deleteCredential(world.personId("M2"), doorflow.credentialsOf(world.personId("M2")).get(0).get("id")
                .asText());

        assertThat(sync.runOnce("test").totals().planned()).as("DoorFlow's listing of changes shows no delete")
                .isZero();

        mirror.reconcileFullyNextRun("the test");
        doorflow.clearCalls();
        RunReport full = sync.runOnce("test");
        assertThat(doorflow.calls()).containsKeys(FULL_CREDENTIAL_LISTING, "GET /api/3/credential_types");
        assertThat(full.totals().applied()).isEqualTo(2);
        assertThat(world.personId("M1")).as("created again").isNotEqualTo(deleted);
        assertThat(doorflow.credentialsOf(world.personId("M2"))).extracting(c -> c.get("credential_type_id").asLong())
                .containsExactly(CARD);
        assertIdle();
    }

    @Test
    void aFullListingThatFailsIsListedInFullByTheNextRun() {
        world.member("M1", "ada@example.com", "hot");
        sync.runOnce("test");
        assertIdle();
        doorflow.deletePerson(world.personId("M1"));
        anotherReplicaRan();
        doorflow.failNext("GET /api/3/credential_types", 403, 1); // after the people were listed

        assertThat(sync.runOnce("test").outcome()).isEqualTo(RunReport.Outcome.FAILED);
        RunReport next = sync.runOnce("test");

        assertThat(next.totals().applied()).as("the deleted person is seen and created again").isEqualTo(1);
        assertIdle();
    }

    @Test
    void aWriteThatFailsOnAPersonDeletedByHandLooksThePersonUpAndCreatesItAgain() {
        world.member("M1", "ada@example.com", "hot");
        sync.runOnce("test");
        assertIdle();
        long deleted = world.personId("M1");
        doorflow.deletePerson(deleted);
        world.sql("update crm.members set last_name = 'Byron' where id = 'M1'");

        RunReport failed = sync.runOnce("test");
        assertThat(failed.totals().failed()).as("the update meets a 404").isEqualTo(1);
        doorflow.clearCalls();
        RunReport recreated = sync.runOnce("test");

        assertThat(doorflow.calls()).as("the person is looked up, not the whole account listed")
                .containsEntry("GET /api/3/people/{id}", 1).doesNotContainKey(FULL_CREDENTIAL_LISTING);
        assertThat(recreated.totals().applied()).isEqualTo(1);
        assertThat(world.personId("M1")).isNotEqualTo(deleted);
        assertThat(world.person("M1").get("last_name").asText()).isEqualTo("Byron");
        assertIdle();
    }

    @Test
    void aRunByAnotherReplicaMakesTheNextRunListEverything() {
        world.member("M1", "ada@example.com", "hot");
        sync.runOnce("test");
        assertIdle();
        anotherReplicaRan(); // and may have written anything, deletes included
        doorflow.deletePerson(world.personId("M1"));

        doorflow.clearCalls();
        RunReport next = sync.runOnce("test");

        assertThat(doorflow.calls()).containsKeys(FULL_CREDENTIAL_LISTING, "GET /api/3/credential_types");
        assertThat(next.totals().applied()).as("the deleted person is seen and created again").isEqualTo(1);
        assertIdle();
    }
}
