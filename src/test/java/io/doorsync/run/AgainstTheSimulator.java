package io.doorsync.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import io.doorsync.Account;
import io.doorsync.DoorsyncConfig;
import io.doorsync.doorflow.DoorFlowMirror;
import io.doorsync.doorflow.DoorFlowMirrors;
import io.doorsync.simulator.DoorFlowSimulator;
import io.doorsync.support.DoorFlowContract;
import io.doorsync.support.TestWorld;

/**
 * What the tests of whole runs against the simulator share: the world reset before each test (a subclass's own
 * {@code @BeforeEach} runs after this one, to arrange its teams and members), and every exchange of the test
 * checked against openapi.yaml after it.
 */
abstract class AgainstTheSimulator {

    @Inject
    TestWorld world;

    @Inject
    SyncRunner sync;

    @Inject
    DoorsyncConfig config;

    @Inject
    DoorFlowMirrors mirrors;

    /** DoorFlow as runs keep it between them; a test asks it for a full listing next run. */
    DoorFlowMirror mirror;

    DoorFlowSimulator doorflow;

    /** How many writes a run has in flight at most: doorsync.sync.concurrency. */
    int inFlight() {
        return config.sync().concurrency();
    }

    @BeforeEach
    void resetTheWorld() {
        world.reset();
        doorflow = world.simulator();
        mirror = mirrors.of(Account.DEFAULT);
    }

    /** Every request for people: a listing's pages, its held-still check, a look-up by system_id. */
    static final String PEOPLE = "GET /api/3/people";

    /** What an idle run asks DoorFlow between full reconciles: the groups and the people changed since. */
    static final Map<String, Integer> IDLE_READS = Map.of("GET /api/3/groups", 1, PEOPLE, 1);

    /**
     * Asserts that nothing is left to do: a run that reads back what the last one wrote plans nothing, and the
     * run after it only asks for what changed ({@link #IDLE_READS}). Returns that last run.
     */
    RunReport assertIdle() {
        assertThat(sync.runOnce("test").totals().planned()).as("the run that reads back the last one's writes")
                .isZero();
        doorflow.clearCalls();
        RunReport idle = sync.runOnce("test");
        assertThat(idle.totals().planned()).as("an idle run").isZero();
        assertThat(doorflow.calls()).as("an idle run only asks what changed").isEqualTo(IDLE_READS);
        return idle;
    }

    @AfterEach
    void everyExchangeConformsToOpenApi() {
        DoorFlowContract.assertConforms(doorflow.exchanges());
    }
}
