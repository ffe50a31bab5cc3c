package io.doorsync.run;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.doorsync.support.DoorFlowContract;
import io.doorsync.support.PostgresAndSimulator;
import io.doorsync.support.Profiles;
import io.doorsync.support.TestWorld;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** doorsync.sync.leave-policy=delete: a leaver is soft-deleted in DoorFlow, once. */
@QuarkusTest
@TestProfile(Profiles.LeavePolicyDelete.class)
@WithTestResource(value = PostgresAndSimulator.class, scope = TestResourceScope.GLOBAL)
class LeavePolicyDeleteTest {

    @Inject
    TestWorld world;

    @Inject
    SyncRunner sync;

    @AfterEach
    void conforms() {
        DoorFlowContract.assertConforms(world.simulator().exchanges());
    }

    @Test
    void aCancelledMemberIsDeletedOnceAndComesBackAsANewPersonIfReinstated() {
        world.reset();
        world.team("hot", TestWorld.HOT).member("M1", "ada@example.com", "hot").member("M2", "bob@example.com", "hot")
                .credential("M1", "card", "40010001");
        sync.runOnce("test");
        long ada = world.simulator().people().stream().filter(p -> "crm:M1".equals(p.path("system_id").asText()))
                .findFirst().orElseThrow().get("id").asLong();
        assertThat(world.simulator().credentialsOf(ada)).hasSize(1);

        world.sql("update crm.members set status = 'cancelled' where id = 'M1'");
        world.sql("delete from crm.members where id = 'M2'");
        RunReport report = sync.runOnce("test");

        assertThat(report.totals().applied()).isEqualTo(2);
        assertThat(world.simulator().isDeleted(ada)).isTrue();
        assertThat(world.simulator().people()).isEmpty();
        assertThat(world.rows("select * from doorsync.person_link")).as("links of deleted people dropped").isEmpty();
        assertThat(world.journal("M1")).as("the card is deleted before the person, freeing its number")
                .endsWith("credential_delete applied: card: credential "
                        + world.simulator().exchanges().stream().filter(e -> e.request().method().equals("DELETE")
                                && e.request().path().contains("/credentials/")).findFirst().orElseThrow()
                                .request().path().replaceAll(".*/", "") + " deleted",
                        "delete applied: deleted (DoorFlow soft delete)");
        assertThat(world.simulator().credentialsOf(ada)).isEmpty();

        world.simulator().clearCalls();
        assertThat(sync.runOnce("test").totals().planned()).isZero();
        assertThat(world.simulator().calls()).doesNotContainKey("DELETE /api/3/people/{id}");

        world.sql("update crm.members set status = 'active' where id = 'M1'");
        sync.runOnce("test");
        assertThat(world.simulator().people()).singleElement()
                .satisfies(p -> assertThat(p.get("id").asLong()).isNotEqualTo(ada));
    }
}
