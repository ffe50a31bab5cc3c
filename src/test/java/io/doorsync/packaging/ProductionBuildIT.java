package io.doorsync.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.doorsync.support.PostgresAndSimulator;
import io.doorsync.support.ThrowawayDatabase;

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

    private static final Path APP = Path.of("target", "quarkus-app", "quarkus-run.jar");
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    private ThrowawayDatabase database;
    private Process simulator;
    private int simulatorPort;
    private Process doorsync;
    private final List<String> doorsyncLog = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void start() throws Exception {
        assertThat(APP).as("the packaged production build (run by ./mvnw verify after package)").exists();
        database = ThrowawayDatabase.create();
        Flyway.configure().dataSource(database.jdbcUrl, database.username, database.password).schemas("crm")
                .locations("classpath:crm/contract").placeholders(Map.of("crm_schema", "crm")).load().migrate();
        sql("insert into crm.teams (id, name, doorflow_group_id) values ('hot-desk', 'Hot desk', 101)");
        member("P1");
        startSimulator();
    }

    @AfterEach
    void stop() throws Exception {
        for (Process p : new Process[] { doorsync, simulator }) {
            if (p != null) {
                p.destroy();
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    void theProductionBuildHasNoSimulatorAndDoorFlowOutlivesARestart() throws Exception {
        int forbiddenSimulatorPort = PostgresAndSimulator.freePort();
        startDoorsync(forbiddenSimulatorPort);
        await("member P1 created in the standalone simulator", () -> people("crm:P1").size() == 1);

        assertThatThrownBy(() -> new Socket("127.0.0.1", forbiddenSimulatorPort).close())
                .as("doorsync.simulator.enabled=true must open nothing in a production build")
                .isInstanceOf(ConnectException.class);
        assertThat(count("select count(*) from crm.members")).as("doorsync.demo.enabled=true loads no demo CRM")
                .isEqualTo(1);
        assertThat(doorsyncLog).noneMatch(line -> line.contains("simulator listening"));
        assertThat(doorsyncLog.stream().filter(line -> line.startsWith("{")).map(this::parse)
                .filter(line -> line.path("message").asText().contains("member P1: create applied")))
                .as("JSON log lines, the run id in mdc.runId").singleElement()
                .satisfies(line -> assertThat(line.path("mdc").path("runId").asText()).isNotBlank());

        stopDoorsync();
        member("P2");
        startDoorsync(forbiddenSimulatorPort);
        await("member P2 created after the restart", () -> people("crm:P2").size() == 1);

        assertThat(people("crm:P1")).as("DoorFlow kept P1 while doorsync restarted; it was not created again")
                .hasSize(1);
        assertThat(people("crm:P1").get(0).get("groups").toString()).isEqualTo("[101]");
        assertThat(people(null)).as("the demo account's hand-made people are still there")
                .anyMatch(p -> "Desk Tablet".equals(p.path("last_name").asText()));
    }

    private void startSimulator() throws Exception {
        simulator = new ProcessBuilder(java(), "-cp", System.getProperty("java.class.path"),
                "-Ddoorsync.simulator.port=0", "io.doorsync.simulator.StandaloneSimulator").redirectErrorStream(true)
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(simulator.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try {
                for (String line; (line = out.readLine()) != null;) {
                    if (line.startsWith("DoorFlow simulator listening on http://")) {
                        port.complete(Integer.parseInt(line.replaceAll(".*:(\\d+)$", "$1")));
                    }
                }
            } catch (IOException e) {
                port.completeExceptionally(e);
            }
            port.completeExceptionally(new IllegalStateException("the standalone simulator exited"));
        });
        reader.setDaemon(true);
        reader.start();
        simulatorPort = port.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    }

    private void startDoorsync(int forbiddenSimulatorPort) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(java(), "-jar", APP.toString()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("QUARKUS_DATASOURCE_JDBC_URL", database.jdbcUrl);
        env.put("QUARKUS_DATASOURCE_USERNAME", database.username);
        env.put("QUARKUS_DATASOURCE_PASSWORD", database.password);
        env.put("QUARKUS_HTTP_PORT", String.valueOf(PostgresAndSimulator.freePort()));
        env.put("QUARKUS_MANAGEMENT_PORT", String.valueOf(PostgresAndSimulator.freePort()));
        env.put("DOORSYNC_DOORFLOW_BASE_URL", "http://127.0.0.1:" + simulatorPort);
        env.put("DOORSYNC_DOORFLOW_API_KEY", "demo");
        env.put("DOORSYNC_SYNC_INTERVAL", "1s");
        env.put("DOORSYNC_SYNC_INITIAL_DELAY", "0s");
        env.put("DOORSYNC_SIMULATOR_ENABLED", "true");
        env.put("DOORSYNC_SIMULATOR_PORT", String.valueOf(forbiddenSimulatorPort));
        env.put("DOORSYNC_DEMO_ENABLED", "true");
        env.put("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "true"); // as deploy/k8s runs it
        doorsync = pb.start();
        Process started = doorsync;
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(started.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null;) {
                    doorsyncLog.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
    }

    private void stopDoorsync() throws InterruptedException {
        doorsync.destroy(); // SIGTERM, as Kubernetes stops a pod
        assertThat(doorsync.waitFor(30, TimeUnit.SECONDS)).as("doorsync stops on SIGTERM").isTrue();
        doorsync = null;
    }

    private List<JsonNode> people(String systemId) {
        try {
            String query = systemId == null ? "per_page=100" : "system_id=" + systemId;
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + simulatorPort + "/api/3/people?" + query)).header("Authorization", "Basic "
                            + Base64.getEncoder().encodeToString("demo:".getBytes(StandardCharsets.UTF_8))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            List<JsonNode> people = new ArrayList<>();
            json.readTree(response.body()).forEach(people::add);
            return people;
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode parse(String line) {
        try {
            return json.readTree(line);
        } catch (IOException e) {
            throw new AssertionError("not a JSON log line: " + line, e);
        }
    }

    private void await(String what, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(PATIENCE);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline) || (doorsync != null && !doorsync.isAlive())) {
                throw new AssertionError(what + " did not happen; doorsync's log:\n"
                        + String.join("\n", List.copyOf(doorsyncLog)));
            }
            Thread.sleep(200);
        }
    }

    private void member(String id) throws Exception {
        sql("insert into crm.members (id, email, first_name, last_name) values ('" + id + "', '" + id.toLowerCase()
                + "@example.com', 'First', 'Last" + id + "')");
        sql("insert into crm.team_members (team_id, member_id) values ('hot-desk', '" + id + "')");
    }

    private void sql(String sql) throws Exception {
        try (Connection c = database.connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private long count(String sql) throws Exception {
        try (Connection c = database.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
