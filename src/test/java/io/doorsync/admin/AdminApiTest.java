package io.doorsync.admin;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.doorsync.run.guards.ReplicaLock;
import io.doorsync.run.SyncRunner;
import io.doorsync.support.DoorFlowContract;
import io.doorsync.support.OAuthFlow;
import io.doorsync.support.PostgresAndSimulator;
import io.doorsync.support.TestWorld;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The operator's JSON API on the main port, behind the admin password. */
@QuarkusTest
@WithTestResource(value = PostgresAndSimulator.class, scope = TestResourceScope.GLOBAL)
class AdminApiTest {

    @Inject
    TestWorld world;

    @Inject
    SyncRunner sync;

    @Inject
    DataSource dataSource;

    @ConfigProperty(name = "quarkus.management.test-port")
    int managementPort;

    @BeforeEach
    void setUp() {
        world.reset();
        world.team("hot", TestWorld.HOT).member("M1", "ada@example.com", "hot").member("M2", "bob@example.com", "hot")
                .credential("M1", "card", "40010001");
    }

    @AfterEach
    void conforms() {
        DoorFlowContract.assertConforms(world.simulator().exchanges());
    }

    @Test
    void everyAdminCallNeedsTheAdminPassword() throws Exception {
        List<String[]> calls = adminCalls(method -> true);
        assertThat(calls).extracting(c -> c[0] + " " + c[1]).contains("GET /admin/api/status",
                "GET /admin/api/members/M1", "POST /admin/api/members/M1/sync", "POST /admin/api/oauth/refresh",
                "POST /admin/api/demo/reset", "GET /admin", "POST /admin/actions/sync", "GET /admin/members");
        for (String[] call : calls) {
            given().baseUri(OAuthFlow.app()).request(call[0], call[1]).then().statusCode(401);
            given().baseUri(OAuthFlow.app()).auth().preemptive().basic("admin", "wrong").request(call[0], call[1])
                    .then().statusCode(401);
        }
        assertThat(world.simulator().calls()).as("nothing ran").isEmpty();
    }

    /** Every /admin call the OpenAPI document names whose method passes {@code methods}, path ids set to M1. */
    private List<String[]> adminCalls(java.util.function.Predicate<String> methods) throws Exception {
        JsonNode paths = new com.fasterxml.jackson.databind.ObjectMapper().readTree(given()
                .baseUri("http://127.0.0.1:" + managementPort).get("/q/openapi?format=json").then().statusCode(200)
                .extract().asString()).get("paths");
        List<String[]> calls = new java.util.ArrayList<>();
        paths.fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(method -> {
            if (path.getKey().startsWith("/admin") && methods.test(method)) {
                calls.add(new String[] { method.toUpperCase(), path.getKey().replaceAll("\\{[^}]+}", "M1") });
            }
        }));
        return calls;
    }

    @Test
    void statusShowsConnectionLastRunAndCounts() {
        sync.runOnce("test");
        OAuthFlow.admin().get("/admin/api/status").then().statusCode(200)
                .body("connection.auth", equalTo("api-key")).body("connection.state", equalTo("configured"))
                .body("lastRun.outcome", equalTo("success")).body("counts.linked", equalTo(2))
                .body("counts.quarantined", equalTo(0)).body("counts.failedLastRun", equalTo(0))
                .body("counts.pushToDoorsPending", equalTo(false))
                .body(org.hamcrest.Matchers.not(containsString("test-key")));
    }

    @Test
    void aDryRunReturnsThePlanPerMemberAndWritesNothing() {
        String body = OAuthFlow.admin().post("/admin/api/sync?dryRun=true").then().statusCode(200)
                .body("changes", hasSize(2)).body("changes.memberId", hasItem("M1"))
                .body("changes.find { it.memberId == 'M1' }.kind", equalTo("create"))
                .body("changes.find { it.memberId == 'M1' }.details", hasItem("credential create card"))
                .extract().asString();

        assertThat(body).as("credential values never leave").doesNotContain("40010001");
        assertThat(world.simulator().calls().keySet()).as("DoorFlow only read").allMatch(k -> k.startsWith("GET "));
        assertThat(world.simulator().people()).isEmpty();
        for (String table : new String[] { "sync_run", "change_journal", "person_link", "quarantine" }) {
            assertThat(world.rows("select * from doorsync." + table)).as(table + " untouched").isEmpty();
        }
    }

    @Test
    void aDryRunThatCannotReadDoorFlowSaysWhy() {
        world.simulator().failNext("GET /api/3/groups", 401, 1);
        OAuthFlow.admin().post("/admin/api/sync?dryRun=true").then().statusCode(503)
                .body("error", equalTo("dry_run_failed")).body("message", containsString("DoorFlow answered 401"));
    }

    @Test
    void runNowAppliesAndA409AnswersWhileAnotherRunHoldsTheLock() throws Exception {
        OAuthFlow.admin().post("/admin/api/sync").then().statusCode(200).body("outcome", equalTo("SUCCESS"))
                .body("applied", equalTo(2));

        try (Connection other = dataSource.getConnection();
                PreparedStatement lock = other.prepareStatement("select pg_advisory_lock(" + ReplicaLock.KEY + ")")) {
            lock.execute();
            OAuthFlow.admin().post("/admin/api/sync").then().statusCode(409)
                    .body("error", equalTo("run_in_progress"))
                    .body("message", containsString("another doorsync replica is running a sync"));
            OAuthFlow.admin().post("/admin/api/sync?dryRun=true").then().statusCode(409);
            // A pooled connection keeps its session, and with it the lock, unless told otherwise.
            other.prepareStatement("select pg_advisory_unlock_all()").execute();
        }
    }

    @Test
    void runHistoryIsPagedAndEachRunListsItsChanges() {
        sync.runOnce("test");
        world.member("M3", "cy@example.com", "hot");
        sync.runOnce("test");
        sync.runOnce("test");

        OAuthFlow.admin().get("/admin/api/runs?page=0&size=2").then().statusCode(200).body("total", equalTo(3))
                .body("items", hasSize(2)).body("items[0].id", equalTo(3)).body("items[1].id", equalTo(2));
        OAuthFlow.admin().get("/admin/api/runs?page=1&size=2").then().body("items", hasSize(1))
                .body("items[0].id", equalTo(1)).body("items[0].outcome", equalTo("success"));
        OAuthFlow.admin().get("/admin/api/runs/2").then().statusCode(200).body("run.applied", equalTo(1))
                .body("changes.find { it.memberId == 'M3' }.kind", equalTo("create"))
                .body("changes.find { it.memberId == 'M3' }.outcome", equalTo("applied"));
        OAuthFlow.admin().get("/admin/api/runs/1").then()
                .body("changes.find { it.kind == 'credential_create' }.detail", equalTo("card: issued with the CRM's value"));
        OAuthFlow.admin().get("/admin/api/runs/999").then().statusCode(404);
    }

    @Test
    void quarantineIsListedAndAMemberCanBeReleasedForTheNextRun() {
        world.member("BAD", null, "hot");
        sync.runOnce("test");
        OAuthFlow.admin().get("/admin/api/quarantine").then().statusCode(200).body("", hasSize(1))
                .body("[0].memberId", equalTo("BAD")).body("[0].reason", equalTo("email is missing"))
                .body("[0].since", notNullValue());

        OAuthFlow.admin().delete("/admin/api/quarantine/BAD").then().statusCode(204);
        OAuthFlow.admin().get("/admin/api/quarantine").then().body("", hasSize(0));
        OAuthFlow.admin().delete("/admin/api/quarantine/BAD").then().statusCode(404);

        sync.runOnce("test");
        assertThat(world.journal("BAD")).as("looked at afresh, still wrong, reported again")
                .containsExactly("quarantine held: email is missing", "quarantine held: email is missing");
    }

    @Test
    void theRevocationGuardHoldsARunThatWouldRemoveTooManyAndAnOperatorCanAllowIt() {
        for (int i = 3; i <= 14; i++) {
            world.member("M" + i, "m" + i + "@example.com", "hot");
        }
        sync.runOnce("test");
        world.sql("delete from crm.members"); // the CRM emptied by mistake

        OAuthFlow.admin().post("/admin/api/sync").then().statusCode(200).body("outcome", equalTo("HELD"))
                .body("message", containsString("would take access from 14 of the 14 people who have access now"));
        assertThat(world.simulator().people()).as("nothing applied").allMatch(p -> p.get("enabled").asBoolean());
        String metrics = given().baseUri("http://127.0.0.1:" + managementPort + "/q")
                .header("Accept", "text/plain; version=0.0.4").get("/metrics").then().extract().asString();
        assertThat(metrics).containsPattern("(?m)^doorsync_revocation_guard_holding\\{account=\"default\",?} 1\\.0$")
                .containsPattern("(?m)^doorsync_runs_total\\{account=\"default\",outcome=\"held\",?} [1-9]");

        OAuthFlow.admin().post("/admin/api/sync?allowRevocations=true").then().statusCode(200)
                .body("outcome", equalTo("SUCCESS")).body("applied", equalTo(14));
        assertThat(world.simulator().people()).noneMatch(p -> p.get("enabled").asBoolean());
    }

    @Test
    void theQuarantineAndTheDryRunComeBounded() {
        for (int i = 1; i <= 5; i++) {
            world.member("Q" + i, null, "hot"); // no email: quarantined
        }
        sync.runOnce("test");
        OAuthFlow.admin().get("/admin/api/quarantine?size=2&page=1").then().statusCode(200)
                .header("X-Total-Count", "5").body("memberId", contains("Q3", "Q4"));
        world.sql("delete from crm.members where id like 'Q%'");
        for (int i = 1; i <= 7; i++) {
            world.member("N" + i, "n" + i + "@example.com", "hot");
        }
        OAuthFlow.admin().post("/admin/api/sync?dryRun=true&limit=3").then().statusCode(200)
                .body("changes", hasSize(3)).body("changesTotal", equalTo(7));
    }

    @Test
    void aRunsChangesComeAPageAtATimeInTheApiAndOnThePage() {
        long run = sync.runOnce("test").runId();
        world.sql("delete from doorsync.change_journal where run_id = ?", run);
        world.sql("insert into doorsync.change_journal (account, run_id, member_id, kind, outcome, detail) select 'default', ?, 'J' || g,"
                + " 'update', 'applied', 'line ' || g from generate_series(1, 450) g", run);

        OAuthFlow.admin().get("/admin/api/runs/" + run).then().statusCode(200).body("changes", hasSize(200))
                .body("total", equalTo(450)).body("page", equalTo(0)).body("size", equalTo(200));
        OAuthFlow.admin().get("/admin/api/runs/" + run + "?page=2").then().statusCode(200)
                .body("changes", hasSize(50)).body("changes[49].detail", equalTo("line 450"));
        OAuthFlow.admin().get("/admin/runs/" + run + "?page=1").then().statusCode(200)
                .body(containsString("Changes 201–400 of 450")).body(containsString("?page=0"))
                .body(containsString("?page=2"));
    }

    @Test
    void anAdoptionThatWouldHandOverAccessWaitsForAnOperatorAndIsThenApplied() {
        long staff = world.simulator().addPerson(Map.of("first_name", "Front", "last_name", "Office", "email",
                "eve@example.com", "enabled", false, "group_ids", List.of(TestWorld.BIKES)));
        world.member("M3", "eve@example.com", "hot");
        sync.runOnce("test");
        assertThat(world.quarantineReason("M3")).startsWith("adoption needs approval: DoorFlow person #" + staff
                + " has the member's email, but it is disabled in DoorFlow; its name 'Front Office' is not the"
                + " member's; it is in groups [900] that the member's teams do not give").contains("It holds groups"
                + " [900]");
        assertThat(world.simulator().person(staff).get("system_id").isNull()).as("nothing written").isTrue();
        OAuthFlow.admin().post("/admin/api/sync?dryRun=true").then().statusCode(200)
                .body("quarantined.find { it.memberId == 'M3' }.reason", startsWith("adoption needs approval"));

        OAuthFlow.admin().post("/admin/api/adoptions/M3?personId=" + (staff + 1)).then().statusCode(409)
                .body("error", equalTo("no_adoption_waiting"));
        OAuthFlow.admin().post("/admin/api/adoptions/M3?personId=" + staff).then().statusCode(204);
        sync.runOnce("test");

        JsonNode adopted = world.simulator().person(staff);
        assertThat(adopted.get("system_id").asText()).isEqualTo("crm:M3");
        assertThat(adopted.get("enabled").asBoolean()).as("re-enabled, because an operator approved").isTrue();
        assertThat(world.quarantineReason("M3")).isNull();
        assertThat(world.rows("select * from doorsync.adoption_approval")).as("an approval is used once").isEmpty();
    }

    @Test
    void everyStateChangingAdminCallRefusesARequestFromAnotherSite() throws Exception {
        List<String[]> changing = adminCalls(method -> !method.equals("get"));
        assertThat(changing).extracting(c -> c[0] + " " + c[1]).contains("POST /admin/api/sync",
                "DELETE /admin/api/quarantine/M1", "POST /admin/api/adoptions/M1", "POST /admin/connect",
                "POST /admin/disconnect", "POST /admin/refresh", "POST /admin/api/oauth/refresh",
                "POST /admin/api/members/M1/sync", "POST /admin/api/demo/reset", "POST /admin/actions/sync",
                "POST /admin/actions/allow-once", "POST /admin/actions/release", "POST /admin/actions/approve",
                "POST /admin/actions/sync-member");
        for (String[] call : changing) {
            OAuthFlow.admin().header("Sec-Fetch-Site", "cross-site").request(call[0], call[1] + "?allowRevocations=true")
                    .then().statusCode(403);
            OAuthFlow.admin().header("Origin", "https://evil.example").request(call[0], call[1]).then().statusCode(403);
        }
        assertThat(world.rows("select * from doorsync.sync_run")).as("no run was started").isEmpty();
        OAuthFlow.admin().header("Sec-Fetch-Site", "same-origin").post("/admin/api/sync").then().statusCode(200);
    }

    @Test
    void theDemoResetIsNotThereOutsideDemoMode() {
        sync.runOnce("test");
        OAuthFlow.admin().post("/admin/api/demo/reset").then().statusCode(404).body("error", equalTo("not_demo_mode"));
        assertThat(world.simulator().people()).as("nothing reset").hasSize(2);
        assertThat(world.rows("select * from doorsync.person_link")).hasSize(2);
    }

    @Test
    void theApiIsDescribedAsOpenApi() {
        given().baseUri("http://127.0.0.1:" + managementPort).get("/q/openapi").then().statusCode(200)
                .body(containsString("/admin/api/status")).body(containsString("/admin/api/sync"))
                .body(containsString("dryRun")).body(containsString("/admin/api/runs/{id}"))
                .body(containsString("/admin/api/quarantine/{memberId}"));
    }
}
