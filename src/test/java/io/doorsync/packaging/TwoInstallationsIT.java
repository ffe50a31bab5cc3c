package io.doorsync.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Two doorsync installations (two locations, two CRMs) on one DoorFlow account, both with the default
 * system_id prefix "crm" and even a member id in common: neither revokes, nor takes over, the other's people.
 */
class TwoInstallationsIT {

    private SimulatorProcess doorflow;
    private Installation north;
    private Installation south;

    @BeforeEach
    void start() throws Exception {
        assertThat(Installation.APP).as("the packaged production build (run by ./mvnw verify after package)").exists();
        doorflow = SimulatorProcess.start();
        north = new Installation(doorflow.baseUrl()).member("A1", "ann@north.example").member("A2", "abe@north.example");
        south = new Installation(doorflow.baseUrl()).member("B1", "bea@south.example");
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] { north, south, doorflow }) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Test
    void neitherRevokesNorTakesOverTheOthersPeople() throws Exception {
        north.start();
        north.await("north's members in DoorFlow", () -> doorflow.people("crm:A2").size() == 1);
        // North stops, so its drift repair cannot mask what south would do to its people.
        assertThat(north.stop()).isTrue();
        // South's CRM also has an A1 — someone else, with the same id.
        south.member("A1", "alf@south.example");
        south.start();
        south.await("south's member in DoorFlow", () -> doorflow.people("crm:B1").size() == 1);
        long after = south.finishedRuns();
        south.await("three more south runs", () -> south.finishedRuns() >= after + 3);

        for (String id : new String[] { "crm:A1", "crm:A2" }) {
            JsonNode person = doorflow.people(id).get(0);
            assertThat(person.get("enabled").asBoolean()).as(id + " not revoked by south").isTrue();
            assertThat(person.get("groups").toString()).as(id + " keeps its doors").isEqualTo("[101]");
        }
        assertThat(doorflow.people("crm:A1").get(0).get("email").asText()).as("not taken over by south's A1")
                .isEqualTo("ann@north.example");
        assertThat(south.text("select reason from doorsync.quarantine where member_id = 'A1'"))
                .contains("this installation did not create it").contains("system-id-prefix");

        north.sql("update crm.members set status = 'cancelled' where id = 'A2'");
        north.start();
        north.await("north disables its leaver", () -> !doorflow.people("crm:A2").get(0).get("enabled").asBoolean());
        assertThat(doorflow.people("crm:B1").get(0).get("enabled").asBoolean()).as("north leaves B1 alone").isTrue();
    }
}
