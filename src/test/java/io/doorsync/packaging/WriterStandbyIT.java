package io.doorsync.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two production processes on one database, the CRM with its wake-up triggers, as deploy/k8s ships them: one is
 * the writer; the other stands by making no DoorFlow call at all (no ticks, no wake-up runs); when the writer is
 * killed (SIGKILL) the other takes over and a CRM change reaches DoorFlow within 15 s; nobody is duplicated.
 */
class WriterStandbyIT {

    private static final Duration TAKEOVER = Duration.ofSeconds(15);

    private SimulatorProcess doorflow;
    private Installation first;
    private Installation second;

    @BeforeEach
    void start() throws Exception {
        assertThat(Installation.APP).as("the packaged production build (run by ./mvnw verify after package)").exists();
        doorflow = SimulatorProcess.start();
        first = new Installation(doorflow.baseUrl()).with("DOORSYNC_SYNC_INTERVAL", "30s")
                .with("DOORSYNC_SYNC_STANDBY_POLL", "2s");
        try (InputStream ddl = getClass().getResourceAsStream("/crm/wake-ups/notify-trigger.sql")) {
            first.sql(new String(ddl.readAllBytes(), StandardCharsets.UTF_8).replace("${crm_schema}", "crm"));
        }
        for (int i = 1; i <= 5; i++) {
            first.member("W" + i, "w" + i + "@standby.example");
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
    void oneWriterAStandbyThatCallsNobodyAndATakeoverWithinSecondsOfTheWritersDeath() throws Exception {
        first.start();
        first.await("the first replica is the writer", () -> first.lines().stream().anyMatch(l -> l.contains("this"
                + " replica is the writer")));
        first.await("the CRM in DoorFlow", () -> doorflow.managedPeople().size() == 5);
        second.start();
        second.await("the second replica started", () -> second.lines().stream().anyMatch(l -> l.contains("started in")));

        first.member("W6", "w6@standby.example"); // a wake-up: on the writer only
        first.await("W6 in DoorFlow", () -> doorflow.managedPeople().size() == 6);
        Thread.sleep(5_000); // standby polls and, were it ticking, wake-ups and ticks would have run by now
        assertThat(second.lines()).as("the standby ran nothing").noneMatch(l -> l.contains("sync run"));
        assertThat(metrics(second)).as("the standby's metrics").contains("doorsync_writer 0.0")
                .noneMatch(l -> l.startsWith("http_client_requests_seconds_count") && l.contains("/api/3"));
        assertThat(metrics(first)).contains("doorsync_writer 1.0");

        first.kill();
        Instant killed = Instant.now();
        first.member("W7", "w7@standby.example");
        second.await("W7 in DoorFlow after the writer's death", () -> doorflow.managedPeople().size() == 7);
        Duration takeover = Duration.between(killed, Instant.now());
        assertThat(takeover).as("from SIGKILL to the CRM change in DoorFlow").isLessThan(TAKEOVER);
        assertThat(second.lines()).anyMatch(l -> l.contains("this replica is the writer"));
        assertThat(doorflow.managedPeople().stream().map(p -> p.get("system_id").asText())).doesNotHaveDuplicates();
        System.out.printf("writer killed; the standby wrote W7 %d ms later%n", takeover.toMillis());
    }

    private static List<String> metrics(Installation replica) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                replica.managementUrl() + "/q/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        return response.body().lines().toList();
    }
}
