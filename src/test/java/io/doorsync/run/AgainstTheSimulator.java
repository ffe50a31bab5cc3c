package io.doorsync.run;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

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

    DoorFlowSimulator doorflow;

    @BeforeEach
    void resetTheWorld() {
        world.reset();
        doorflow = world.simulator();
    }

    @AfterEach
    void everyExchangeConformsToOpenApi() {
        DoorFlowContract.assertConforms(doorflow.exchanges());
    }
}
