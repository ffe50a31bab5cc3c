package io.doorsync.simulator;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * The simulator as a process of its own, for anyone who wants a local DoorFlow to integrate against and for
 * tests that restart doorsync while DoorFlow keeps its state:
 * {@code ./mvnw -q compile exec:java@simulator} (see the README). Settings are the doorsync.simulator.* keys of
 * {@link SimulatorConfig}, as system properties or environment variables; by default it serves the demo
 * account on 127.0.0.1:8089 with API key "demo". SmallRye Config reads them without Quarkus, which this
 * process does not start.
 */
public final class StandaloneSimulator {

    private StandaloneSimulator() {
    }

    public static void main(String[] args) throws Exception {
        // Quarkus' converter, so durations read "30s" or "1h" here exactly as they do embedded.
        SmallRyeConfig config = new SmallRyeConfigBuilder().addDefaultSources().withMapping(SimulatorConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withDefaultValue("doorsync.simulator.seed", "simulator/demo-seed.json")
                .withDefaultValue("doorsync.simulator.oauth.client-secret", "demo-client-secret").build();
        SimulatorConfig settings = config.getConfigMapping(SimulatorConfig.class);
        DoorFlowSimulator simulator = SimulatorSetup.build(settings, new ObjectMapper());
        SimulatorServer server = SimulatorServer.start(simulator, settings.host(), settings.port());
        settings.badgeEvery().ifPresent(every -> server.badgeEvery(simulator, every, System.nanoTime()));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (Exception e) {
                System.err.println("simulator: " + e.getMessage());
            }
            stopped.countDown();
        }));
        // Parsed by tests that start this process: keep the words.
        System.out.printf("DoorFlow simulator listening on http://%s:%d%n", settings.host(), server.port());
        System.out.flush();
        stopped.await();
    }
}
