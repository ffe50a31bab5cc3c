package io.doorsync.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.doorsync.support.PostgresAndSimulator;

/**
 * The production build (target/quarkus-app, what ./mvnw package and the JVM image ship) against the
 * simulator running as its own process (the README's standalone command, through its main class):
 * <ul>
 * <li>asked to serve a simulator and to load the demo CRM, the production build does neither;</li>
 * <li>it logs JSON with the run id on each line of a run, as deploy/k8s runs it;</li>
 * <li>it syncs a real DoorFlow-shaped peer, and a restart of doorsync finds DoorFlow's state kept: nothing is
 * created twice.</li>
 * </ul>
 */
class ProductionBuildIT {

    private final ObjectMapper json = new ObjectMapper();
    private SimulatorProcess doorflow;
    private Installation doorsync;

    @BeforeEach
    void start() throws Exception {
        assertThat(Installation.APP).as("the packaged production build (run by ./mvnw verify after package)").exists();
        doorflow = SimulatorProcess.start();
        doorsync = new Installation(doorflow.baseUrl()).member("P1", "p1@example.com");
    }

    @AfterEach
    void stop() throws Exception {
        if (doorsync != null) {
            doorsync.close();
        }
        if (doorflow != null) {
            doorflow.close();
        }
    }

    @Test
    void theProductionBuildHasNoSimulatorAndDoorFlowOutlivesARestart() throws Exception {
        int forbiddenSimulatorPort = PostgresAndSimulator.freePort();
        doorsync.with("DOORSYNC_SIMULATOR_ENABLED", "true")
                .with("DOORSYNC_SIMULATOR_PORT", String.valueOf(forbiddenSimulatorPort))
                .with("DOORSYNC_DEMO_ENABLED", "true")
                .with("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "true"); // as deploy/k8s runs it
        doorsync.start();
        doorsync.await("member P1 created in the standalone simulator", () -> doorflow.people("crm:P1").size() == 1);

        assertThatThrownBy(() -> new Socket("127.0.0.1", forbiddenSimulatorPort).close())
                .as("doorsync.simulator.enabled=true must open nothing in a production build")
                .isInstanceOf(ConnectException.class);
        assertThat(doorsync.count("select count(*) from crm.members")).as("doorsync.demo.enabled=true loads no demo CRM")
                .isEqualTo(1);
        assertThat(doorsync.lines()).noneMatch(line -> line.contains("simulator listening"));
        assertThat(doorsync.lines().stream().filter(line -> line.startsWith("{")).map(this::parse)
                .filter(line -> line.path("message").asText().contains("member P1: create applied")))
                .as("JSON log lines, the run id in mdc.runId").singleElement()
                .satisfies(line -> assertThat(line.path("mdc").path("runId").asText()).isNotBlank());

        assertThat(doorsync.stop()).as("doorsync stops on SIGTERM").isTrue();
        doorsync.member("P2", "p2@example.com");
        doorsync.start();
        doorsync.await("member P2 created after the restart", () -> doorflow.people("crm:P2").size() == 1);

        assertThat(doorflow.people("crm:P1")).as("DoorFlow kept P1 while doorsync restarted; it was not created again")
                .hasSize(1);
        assertThat(doorflow.people("crm:P1").get(0).get("groups").toString()).isEqualTo("[101]");
        assertThat(doorflow.people(null)).as("the demo account's hand-made people are still there")
                .anyMatch(p -> "Desk Tablet".equals(p.path("last_name").asText()));
    }

    private JsonNode parse(String line) {
        try {
            return json.readTree(line);
        } catch (IOException e) {
            throw new AssertionError("not a JSON log line: " + line, e);
        }
    }
}
