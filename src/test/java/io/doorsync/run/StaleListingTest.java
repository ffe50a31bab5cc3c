package io.doorsync.run;

import static io.doorsync.support.TestWorld.BIKES;
import static io.doorsync.support.TestWorld.HOT;
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
 * DoorFlow changes between a run's listing and its writes (the run's last listing is its people): no
 * lost update, because a person is re-read right before it is written; no duplicate, because a person is looked
 * up by system_id right before it is created whenever the listing may have missed one (ListingHeldStillTest).
 */
@QuarkusTest
@WithTestResource(value = PostgresAndSimulator.class, scope = TestResourceScope.GLOBAL)
class StaleListingTest extends AgainstTheSimulator {

    @BeforeEach
    void setUp() {
        world.team("hot", HOT);
    }

    @Test
    void aGroupAddedByHandSinceTheListingSurvivesTheWrite() {
        world.member("M1", "ada@example.com", "hot");
        sync.runOnce("test");
        long ada = people("crm:M1").get(0).get("id").asLong();
        world.sql("update crm.members set last_name = 'King' where id = 'M1'");
        doorflow.afterNext(PEOPLE, () -> doorflow.editPerson(ada, Map.of("group_ids", List.of(HOT, BIKES))));

        assertThat(sync.runOnce("test").outcome()).isEqualTo(RunReport.Outcome.SUCCESS);

        JsonNode person = doorflow.person(ada);
        assertThat(person.get("last_name").asText()).isEqualTo("King");
        assertThat(person.get("groups").toString()).as("the bike storage added a moment ago is kept").isEqualTo("[101,900]");
    }

    @Test
    void aPersonTheListingMissedIsNotCreatedTwice() {
        world.member("M2", "bob@example.com", "hot");
        // An earlier run created M2's person and died before linking it; this run's listing misses it.
        world.sql("insert into doorsync.stamp_in_flight (account, member_id, started_at) values ('default', 'M2', now())");
        doorflow.afterNext(PEOPLE, () -> doorflow.addPerson(Map.of("first_name", "FirstM2", "last_name",
                "LastM2", "email", "bob@example.com", "system_id", "crm:M2")));

        assertThat(sync.runOnce("test").outcome()).isEqualTo(RunReport.Outcome.SUCCESS);

        assertThat(people("crm:M2")).as("relinked, not created twice").hasSize(1);
        assertThat(people("crm:M2").get(0).get("groups").toString()).isEqualTo("[101]");
        assertThat(world.rows("select * from doorsync.person_link where member_id = 'M2'")).hasSize(1);
    }

    @Test
    void aMarkedPersonTheListingMissedAndThisInstallationNeverCreatedIsLeftAlone() {
        long first = doorflow.addPerson(Map.of("first_name", "Other", "last_name", "Person"));
        for (int i = 0; i < 150; i++) {
            doorflow.addPerson(Map.of("first_name", "Other", "last_name", "Person" + i)); // two pages
        }
        world.member("M3", "cy@example.com", "hot");
        // Stamped by another installation with the same prefix once page 1 is read: the listing did not hold still.
        doorflow.afterNext(PEOPLE, () -> doorflow.editPerson(first, Map.of("system_id", "crm:M3")));

        RunReport run = sync.runOnce("test");

        assertThat(run.outcome()).isEqualTo(RunReport.Outcome.PARTIAL);
        assertThat(people("crm:M3")).singleElement().satisfies(p -> assertThat(p.get("first_name").asText())
                .isEqualTo("Other"));
        assertThat(world.journal("M3")).singleElement().asString().startsWith("create failed: not created: DoorFlow already holds 1"
                + " person(s) with system_id crm:M3 that this installation did not create");
    }

    private List<JsonNode> people(String systemId) {
        return doorflow.people().stream().filter(p -> systemId.equals(p.path("system_id").asText(null))).toList();
    }
}
