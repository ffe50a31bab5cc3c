package io.doorsync.run;

import static io.doorsync.support.TestWorld.HOT;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.doorsync.support.PostgresAndSimulator;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A create looks its member up by system_id first only when the run's listing may have missed a person: DoorFlow
 * pages by offset, so a person deleted from a page already read shifts the rest and one goes unseen. A listing
 * that held still (one page; or the same Total on every page, that many people, and nobody changed since it
 * began) saves the look-up, a third of a first sync's calls.
 */
@QuarkusTest
@WithTestResource(value = PostgresAndSimulator.class, scope = TestResourceScope.GLOBAL)
class ListingHeldStillTest extends AgainstTheSimulator {

    @BeforeEach
    void setUp() {
        world.team("hot", HOT);
    }

    @Test
    void aCreateAfterAListingThatHeldStillIsSentWithoutALookUp() {
        handMadePeople(230);
        pastTheSecond(); // the check asks for people changed since the listing's second: not those just made
        world.member("M1", "ada@example.com", "hot");

        assertThat(sync.runOnce("test").outcome()).isEqualTo(RunReport.Outcome.SUCCESS);

        assertThat(doorflow.calls(PEOPLE)).as("3 pages of 100, and the check that nobody changed meanwhile;"
                + " no look-up before the create").isEqualTo(4);
        assertThat(doorflow.calls("POST /api/3/people")).isEqualTo(1);
        mirror.reconcileFullyNextRun("the test lists every page again");
        assertThat(sync.runOnce("test").totals().planned()).as("the person created was seen on page 3").isZero();
    }

    @Test
    void aListingThatMovedUnderfootMakesTheCreateLookItsMemberUpAndNoDuplicateIsMade() {
        List<Long> before = handMadePeople(100);
        world.member("M1", "ada@example.com", "hot");
        sync.runOnce("test"); // M1's person is the 101st: the first of page 2
        handMadePeople(130);
        mirror.reconcileFullyNextRun("the test lists every page");
        // Right after page 1 is answered, a colleague deletes someone on it: page 2 now starts one person later.
        doorflow.afterNext(PEOPLE, () -> doorflow.deletePerson(before.get(0)));
        doorflow.clearCalls();

        RunReport missed = sync.runOnce("test");

        assertThat(doorflow.calls("POST /api/3/people")).as(missed.message()).isZero();
        assertThat(marked("crm:M1")).as("M1's person, the listing's miss, is not made a second time").isEqualTo(1);
        assertThat(missed.outcome()).as("the look-up found M1's own linked person: " + missed.message())
                .isEqualTo(RunReport.Outcome.SUCCESS);
        assertThat(world.journal("M1")).anySatisfy(line -> assertThat(line).contains("the listing missed it"));
        assertThat(sync.runOnce("test").totals().planned()).as("seen again without a full listing").isZero();
    }

    private List<Long> handMadePeople(int count) {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(doorflow.addPerson(Map.of("first_name", "Other", "last_name", "Person" + i)));
        }
        return ids;
    }

    private long marked(String systemId) {
        return doorflow.people().stream().filter(p -> systemId.equals(p.path("system_id").asText(null))).count();
    }

    private static void pastTheSecond() {
        try {
            Thread.sleep(1_100); // DoorFlow's Date header and since_utc are in whole seconds
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
