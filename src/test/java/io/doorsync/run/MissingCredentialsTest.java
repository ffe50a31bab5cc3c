package io.doorsync.run;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.doorsync.support.PostgresAndSimulator;
import io.doorsync.support.Profiles;
import io.doorsync.support.TestWorld;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** No API key and no token configured: runs fail, naming the settings to provide; nothing is written. */
@QuarkusTest
@TestProfile(Profiles.NoDoorFlowApiKey.class)
@WithTestResource(value = PostgresAndSimulator.class, scope = TestResourceScope.GLOBAL)
class MissingCredentialsTest {

    @Inject
    TestWorld world;

    @Inject
    SyncRunner sync;

    @Test
    void theRunFailsWithTheSettingToProvide() {
        world.reset();
        world.team("hot", TestWorld.HOT).member("M1", "ada@example.com", "hot");

        RunReport report = sync.runOnce("test");

        assertThat(report.outcome()).isEqualTo(RunReport.Outcome.FAILED);
        assertThat(report.message()).contains("doorsync.doorflow.api-key (DOORSYNC_DOORFLOW_API_KEY)");
        assertThat(world.simulator().calls()).as("no request without credentials").isEmpty();
    }
}
