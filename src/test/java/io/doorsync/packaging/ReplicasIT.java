package io.doorsync.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Two replicas of one installation (two production processes, one database) while the CRM keeps changing and
 * DoorFlow keeps failing now and then: never two runs at once, never a duplicate, and DoorFlow ends up as the
 * CRM says.
 */
class ReplicasIT {

    private SimulatorProcess doorflow;
    private Installation first;
    private Installation second;

    @BeforeEach
    void start() throws Exception {
        assertThat(Installation.APP).as("the packaged production build (run by ./mvnw verify after package)").exists();
        doorflow = SimulatorProcess.start();
        doorflow.setFaults("{\"seed\": 2, \"rules\": [{\"route\": \"WRITE *\", \"latency_ms\": 20, \"jitter_ms\": 30,"
                + " \"error_rate\": 0.05, \"lost_answer_rate\": 0.05, \"rate_limit_rate\": 0.05, \"retry_in\": 0},"
                + " {\"route\": \"GET *\", \"error_rate\": 0.05, \"reset_rate\": 0.02}]}");
        first = new Installation(doorflow.baseUrl()); // a run every second on each replica
        for (int i = 1; i <= 10; i++) {
            first.member("R" + i, "r" + i + "@replica.example");
        }
        second = Installation.replicaOf(first);
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] { first, second, doorflow }) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Test
    void neverRunAtOnceNeverDuplicateAndConverge() throws Exception {
        first.start();
        second.start();
        for (Installation replica : List.of(first, second)) {
            replica.await("the replica started", () -> replica.lines().stream().anyMatch(l -> l.contains("started in")));
        }
        Random random = new Random(11);
        Set<String> active = new TreeSet<>();
        Set<String> left = new TreeSet<>();
        for (int i = 1; i <= 10; i++) {
            active.add("R" + i);
        }
        for (int step = 0, next = 11; step < 30; step++) {
            switch (random.nextInt(3)) {
                case 0 -> {
                    first.member("R" + next, "r" + next + "@replica.example");
                    active.add("R" + next++);
                }
                case 1 -> move(active, left, random, "cancelled");
                default -> move(left, active, random, "active");
            }
            Thread.sleep(400);
        }
        doorflow.setFaults("{\"rules\": []}");

        first.await("DoorFlow as the CRM says", () -> converged(active, left));
        assertThat(first.count("select count(*) from doorsync.sync_run where finished_at is not null"))
                .as("runs happened while the CRM changed").isGreaterThan(5);
        assertThat(first.count("select count(*) from doorsync.sync_run a join doorsync.sync_run b on a.id < b.id"
                + " where a.started_at < b.finished_at and b.started_at < a.finished_at")).as("runs that overlapped")
                .isZero();
        assertThat(doorflow.managedPeople().stream().map(p -> p.get("system_id").asText())).doesNotHaveDuplicates();
    }

    private void move(Set<String> from, Set<String> to, Random random, String status) {
        if (from.isEmpty()) {
            return;
        }
        String id = List.copyOf(from).get(random.nextInt(from.size()));
        first.sql("update crm.members set status = '" + status + "' where id = '" + id + "'");
        from.remove(id);
        to.add(id);
    }

    /** Every active member has an enabled person; a leaver's person (if it ever got one) is disabled. */
    private boolean converged(Set<String> active, Set<String> left) {
        List<JsonNode> people = doorflow.managedPeople();
        Set<String> enabled = new TreeSet<>();
        for (JsonNode p : people) {
            String member = p.get("system_id").asText().substring("crm:".length());
            if (p.get("enabled").asBoolean()) {
                enabled.add(member);
            } else if (!left.contains(member)) {
                return false;
            }
        }
        return enabled.equals(active);
    }
}
