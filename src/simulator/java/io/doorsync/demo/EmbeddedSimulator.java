package io.doorsync.demo;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.doorsync.simulator.DoorFlowSimulator;
import io.doorsync.simulator.SimulatorConfig;
import io.doorsync.simulator.SimulatorServer;
import io.doorsync.simulator.SimulatorSetup;
import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Runs the DoorFlow simulator inside doorsync's process when doorsync.simulator.enabled is true, and hands the
 * tests its instance. Only in dev, test and demo builds (a Quarkus build-time condition): a production build
 * ({@code ./mvnw package}, the native build, the images) has no such bean, so no setting can switch a
 * simulator on there.
 */
@IfBuildProfile(anyOf = { "dev", "test", "demo" })
@ApplicationScoped
public class EmbeddedSimulator {

    private static final Logger LOG = Logger.getLogger(EmbeddedSimulator.class);

    private final SimulatorConfig config;
    private SimulatorServer server;

    EmbeddedSimulator(SimulatorConfig config) {
        this.config = config;
    }

    @Produces
    @Singleton
    DoorFlowSimulator simulator(ObjectMapper json) {
        return SimulatorSetup.build(config, json);
    }

    /** Starts before the sync scheduler and the demo CRM, so the first tick finds DoorFlow up. */
    void start(@Observes @Priority(10) StartupEvent event, DoorFlowSimulator simulator) throws Exception {
        if (!config.enabled()) {
            return;
        }
        server = SimulatorServer.start(simulator, config.host(), config.port());
        config.badgeEvery().ifPresent(every -> server.badgeEvery(simulator, every, System.nanoTime()));
        LOG.infof("DoorFlow simulator listening on http://%s:%d (API keys accepted: %d configured)", config.host(),
                server.port(), config.apiKeys().size());
    }

    void stop(@Observes ShutdownEvent event) throws Exception {
        if (server != null) {
            server.close();
        }
    }
}
