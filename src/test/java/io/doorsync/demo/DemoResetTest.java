package io.doorsync.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.doorsync.run.RunReport;
import io.doorsync.run.SyncRunner;
import io.doorsync.simulator.DoorFlowSimulator;
import io.doorsync.support.OAuthFlow;
import io.doorsync.support.PostgresAndSimulator;
import io.doorsync.support.Profiles;
import io.doorsync.support.TestWorld;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** Demo mode: the demo's CRM and DoorFlow, changed and synced, are put back to the start by the reset. */
@QuarkusTest
@TestProfile(Profiles.DemoMode.class)
@WithTestResource(value = PostgresAndSimulator.class, scope = TestResourceScope.GLOBAL)
class DemoResetTest {

    @Inject
    TestWorld world;

    @Inject
    DoorFlowSimulator doorflow;

    @Inject
    SyncRunner sync;

    @Test
    void aChangedAndSyncedDemoIsPutBackAndSyncsAsItFirstDid() {
        assertThat(sync.runOnce("test").outcome()).isEqualTo(RunReport.Outcome.SUCCESS);
        List<String> firstSync = summary(doorflow.people());
        assertThat(firstSync).hasSizeGreaterThan(30);
        Object linked = world.rows("select count(*) as n from doorsync.person_link").get(0).get("n");

        world.sql("update demo_crm.members set status = 'cancelled' where id = 'M010'");
        world.sql("delete from demo_crm.team_members where member_id = 'M011'");
        doorflow.addPerson(Map.of("first_name", "Hand", "last_name", "Made", "email", "hand@example.com"));
        assertThat(sync.runOnce("test").outcome()).isEqualTo(RunReport.Outcome.SUCCESS);
        assertThat(summary(doorflow.people())).isNotEqualTo(firstSync);

        OAuthFlow.admin().post("/admin/api/demo/reset").then().statusCode(200)
                .body("message", containsString("back at the start"));

        assertThat(world.rows("select status from demo_crm.members where id = 'M010'")).extracting(r -> r.get("status"))
                .containsExactly("active");
        assertThat(world.rows("select * from demo_crm.team_members where member_id = 'M011'")).isNotEmpty();
        assertThat(doorflow.people()).as("the seed's three hand-made people, nobody else")
                .extracting(p -> p.get("first_name").asText()).containsExactlyInAnyOrder("Front", "Olivia", "Noah");
        for (String table : List.of("person_link", "sync_run", "change_journal", "quarantine")) {
            assertThat(world.rows("select * from doorsync." + table)).as(table).isEmpty();
        }

        assertThat(sync.runOnce("test").outcome()).isEqualTo(RunReport.Outcome.SUCCESS);
        assertThat(summary(doorflow.people())).as("the same as the demo's first sync").isEqualTo(firstSync);
        assertThat(world.rows("select count(*) as n from doorsync.person_link").get(0).get("n")).isEqualTo(linked);
    }

    /** Each person as "system_id name enabled groups", sorted: what a sync decides, without DoorFlow's ids. */
    private static List<String> summary(List<JsonNode> people) {
        return people.stream().map(p -> p.path("system_id").asText("-") + " " + p.get("first_name").asText() + " "
                + p.path("last_name").asText() + " " + p.get("enabled").asBoolean() + " " + p.get("groups"))
                .sorted().toList();
    }
}
