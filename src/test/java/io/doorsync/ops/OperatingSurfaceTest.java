package io.doorsync.ops;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.util.concurrent.atomic.AtomicReference;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.doorsync.run.SyncRunner;
import io.doorsync.support.DoorFlowContract;
import io.doorsync.support.MetricsText;
import io.doorsync.support.PostgresAndSimulator;
import io.doorsync.support.TestWorld;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Health and metrics on the management port, as an operator's probes and Prometheus see them. */
@QuarkusTest
@WithTestResource(value = PostgresAndSimulator.class, scope = TestResourceScope.GLOBAL)
class OperatingSurfaceTest {

    /** The management root, /q (the port comes from PostgresAndSimulator, which @TestHTTPResource does not see). */
    @ConfigProperty(name = "quarkus.management.test-port")
    int managementPort;

    @Inject
    TestWorld world;

    @AfterEach
    void everyExchangeConformsToOpenApi() {
        DoorFlowContract.assertConforms(world.simulator().exchanges());
    }

    @Inject
    SyncRunner sync;

    @Test
    void readinessAndLivenessAreUpAndReportTheSyncLoop() {
        world.reset();
        world.team("hot", TestWorld.HOT).member("M1", "ada@example.com", "hot");
        sync.runOnce("test");

        given().baseUri("http://127.0.0.1:" + managementPort + "/q").get("/health/ready").then().statusCode(200)
                .body("status", equalTo("UP")).body("checks.name", hasItem("Database connections health check"));
        given().baseUri("http://127.0.0.1:" + managementPort + "/q").get("/health/live").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'doorsync-sync-loop' }.data.lastOutcome", equalTo("success"));
    }

    @Test
    void livenessDuringARunShowsItsProgress() {
        world.reset();
        world.team("hot", TestWorld.HOT).member("M1", "ada@example.com", "hot").member("M2", "bob@example.com", "hot");
        AtomicReference<String> duringTheRun = new AtomicReference<>();
        world.simulator().afterNext("POST /api/3/people", () -> duringTheRun.set(given().baseUri("http://127.0.0.1:"
                + managementPort + "/q").get("/health/live").asString()));

        sync.runOnce("test");

        assertThat(duringTheRun.get()).containsPattern("\"status\":\\s*\"UP\"").contains("\"runningSince\"")
                .containsPattern("\"lastProgress\":\\s*\"20\\d\\d-");
    }

    @Test
    void prometheusMetricsCoverRunsChangesAndCounts() {
        world.reset();
        world.team("hot", TestWorld.HOT).member("M1", "ada@example.com", "hot").member("BAD", null, "hot");
        sync.runOnce("test");

        String metrics = given().baseUri("http://127.0.0.1:" + managementPort + "/q").accept("text/plain").get("/metrics").then()
                .statusCode(200).extract().asString();

        assertThat(metrics)
                .containsPattern("(?m)^doorsync_runs_total\\{account=\"default\",outcome=\"success\",?} [1-9]")
                .containsPattern("(?m)^doorsync_runs_total\\{account=\"default\",outcome=\"failed\",?} [0-9]")
                .containsPattern("(?m)^doorsync_changes_total\\{account=\"default\",kind=\"create\",outcome=\"applied\",?} [1-9]")
                .containsPattern("(?m)^doorsync_run_duration_seconds_count\\{account=\"default\",?} [1-9]")
                .containsPattern("(?m)^doorsync_last_success_timestamp_seconds\\{account=\"default\",?} [1-9]")
                .containsPattern("(?m)^doorsync_linked_people\\{account=\"default\",?} 1\\.0$")
                .containsPattern("(?m)^doorsync_quarantined_members\\{account=\"default\",?} 1\\.0$")
                .doesNotContain("ada@example.com").doesNotContain("M1\"");
    }

    @Test
    void doorflowRequestsAreMeasuredByEndpointTemplateAndStatus() {
        world.reset();
        world.team("hot", TestWorld.HOT).member("M1", "ada@example.com", "hot").member("M2", "bob@example.com", "hot");
        world.simulator().setSyncRateLimit(java.time.Duration.ofMinutes(5));
        sync.runOnce("test");
        world.sql("update crm.members set last_name = 'King' where id = 'M1'");
        sync.runOnce("test"); // its push to doors is rate-limited: a 429

        String metrics = metricsText();

        assertThat(metrics)
                .containsPattern("(?m)^http_client_requests_seconds_count\\{[^}]*method=\"PUT\"[^}]*status=\"201\"[^}]*"
                        + "uri=\"/api/3/people/\\{id}\"[^}]*} [1-9]")
                .containsPattern("(?m)^http_client_requests_seconds_count\\{[^}]*status=\"429\"[^}]*uri=\"/api/3/sync\""
                        + "[^}]*} [1-9]")
                .containsPattern("(?m)^doorsync_doorflow_retries_total\\{account=\"default\",reason=\"unauthorized\",?} [0-9]")
                .containsPattern("(?m)^doorsync_revocation_guard_holding\\{account=\"default\",?} 0\\.0$")
                .containsPattern("(?m)^doorsync_doorflow_write_concurrency\\{account=\"default\",?} [1-9][0-9]*\\.0$")
                .doesNotContainPattern("uri=\"/api/3/people/[0-9]");
    }

    /** Prometheus' own linter accepts the exposition: names, units, _total counters, help texts. */
    @Test
    void promtoolAcceptsTheMetrics() throws Exception {
        String promtool = System.getenv().getOrDefault("DOORSYNC_PROMTOOL", "/usr/bin/promtool");
        boolean installed = new java.io.File(promtool).canExecute();
        if (System.getenv("DOORSYNC_REQUIRE_PROMTOOL") != null) {
            assertThat(installed).as("promtool at " + promtool + " (apt-get install prometheus)").isTrue();
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(installed, "promtool is not installed (apt-get install prometheus)");
        world.reset();
        world.team("hot", TestWorld.HOT).member("M1", "ada@example.com", "hot");
        sync.runOnce("test");

        Process check = new ProcessBuilder(promtool, "check", "metrics").redirectErrorStream(true).start();
        try (var in = check.getOutputStream()) {
            in.write(metricsText().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        String verdict = new String(check.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        int exit = check.waitFor();

        assertThat(verdict).as("promtool's findings").isBlank();
        assertThat(exit).as("promtool check metrics exit code; output: " + verdict).isZero();
    }

    /** The alerts and the Grafana dashboard only use metrics doorsync really exposes. */
    @Test
    void alertsAndDashboardUseExistingMetrics() throws Exception {
        world.reset();
        world.team("hot", TestWorld.HOT).member("M1", "ada@example.com", "hot");
        sync.runOnce("test");
        String metrics = metricsText();
        String used = java.nio.file.Files.readString(java.nio.file.Path.of("deploy", "k8s", "prometheusrule.yaml"))
                + java.nio.file.Files.readString(java.nio.file.Path.of("deploy", "grafana", "doorsync-dashboard.json"));
        java.util.regex.Matcher names = java.util.regex.Pattern.compile("\\b(doorsync_[a-z_]+|http_client_requests_seconds_[a-z]+)")
                .matcher(used);
        java.util.Set<String> found = new java.util.TreeSet<>();
        while (names.find()) {
            found.add(names.group(1));
        }
        assertThat(found).hasSizeGreaterThan(10);
        assertThat(found).allSatisfy(name -> assertThat(metrics).as("metric " + name)
                .containsPattern("(?m)^" + name + "[{ ]"));
    }

    @Test
    void theSyncHealthGroupReportsTheConnectionAndTheLastSuccessWithoutTouchingReadiness() {
        world.reset();
        world.team("hot", TestWorld.HOT).member("M1", "ada@example.com", "hot");
        sync.runOnce("test");
        given().baseUri(management()).get("/health/group/sync").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.find { it.name == 'doorsync-last-success' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'doorsync-doorflow-connection' }.data.auth",
                        equalTo("api-key"));

        // No success for longer than doorsync.sync.max-success-age: DOWN for alerting, still ready.
        world.sql("update doorsync.sync_run set finished_at = now() - interval '2 hours'");
        given().baseUri(management()).get("/health/group/sync").then().statusCode(503)
                .body("checks.find { it.name == 'doorsync-last-success' }.status", equalTo("DOWN"));
        given().baseUri(management()).get("/health/ready").then().statusCode(200);
        given().baseUri(management()).get("/health/group/sync").then()
                .body("checks.find { it.name == 'doorsync-doorflow-connection' }.status", equalTo("UP"));

        // A run that is still moving (a long first sync, say) counts as fresh, and the metrics show it moving.
        world.member("M2", "bob@example.com", "hot");
        AtomicReference<String> health = new AtomicReference<>();
        AtomicReference<String> metrics = new AtomicReference<>();
        world.simulator().afterNext("POST /api/3/people", () -> {
            health.set(given().baseUri(management()).get("/health/group/sync").asString());
            metrics.set(metricsText());
        });
        sync.runOnce("test");
        io.restassured.path.json.JsonPath during = io.restassured.path.json.JsonPath.from(health.get());
        assertThat(during.getString("checks.find { it.name == 'doorsync-last-success' }.status")).isEqualTo("UP");
        assertThat(during.getString("checks.find { it.name == 'doorsync-last-success' }.data.runInProgressSince"))
                .startsWith("20");
        assertThat(metrics.get()).containsPattern("(?m)^doorsync_run_progress_timestamp_seconds\\{account=\"default\",?} [1-9]")
                .containsPattern("(?m)^doorsync_run_started_timestamp_seconds\\{account=\"default\",?} [1-9]");
        assertThat(metricsText()).as("no run in progress any more")
                .containsPattern("(?m)^doorsync_run_progress_timestamp_seconds\\{account=\"default\",?} 0\\.0$");
    }

    private String management() {
        return "http://127.0.0.1:" + managementPort + "/q";
    }

    private static String metricsText() {
        return MetricsText.scrape();
    }
}
