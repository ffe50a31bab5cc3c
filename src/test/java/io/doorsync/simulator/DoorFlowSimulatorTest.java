package io.doorsync.simulator;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.doorsync.support.DoorFlowContract;
import io.doorsync.support.PostgresAndSimulator;
import io.doorsync.support.TestWorld;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;

/** The simulator over HTTP answers like DoorFlow: status codes, bodies, headers, filters, rate limit. */
@QuarkusTest
@WithTestResource(value = PostgresAndSimulator.class, scope = TestResourceScope.GLOBAL)
class DoorFlowSimulatorTest {

    @Inject
    TestWorld world;

    @ConfigProperty(name = "doorsync.simulator.port")
    int port;

    DoorFlowSimulator simulator;

    @BeforeEach
    void setUp() {
        world.reset();
        simulator = world.simulator();
    }

    @AfterEach
    void everyResponseConformsToOpenApi() {
        DoorFlowContract.assertConforms(simulator.exchanges());
    }

    RequestSpecification api() {
        return given().baseUri("http://127.0.0.1:" + port).auth().preemptive().basic("test-key", "")
                .contentType("application/json");
    }

    @Test
    void eachApiKeyReachesItsOwnAccountAndNothingElse() {
        DoorFlowSimulator second = simulator.addAccount("acc_second", "second-key");
        second.addGroup(TestWorld.HOT, "Their hot desk");
        api().body(Map.of("first_name", "Ours", "last_name", "O", "email", "same@example.com")).post("/api/3/people")
                .then().statusCode(201);
        theirs().body(Map.of("first_name", "Theirs", "last_name", "T", "email", "same@example.com"))
                .post("/api/3/people").then().statusCode(201); // the same email is no clash across accounts
        theirs().get("/api/3/account").then().statusCode(200).body("id", equalTo("acc_second"));

        api().get("/api/3/people").then().statusCode(200).body("first_name", contains("Ours"));
        theirs().get("/api/3/people").then().statusCode(200).body("first_name", contains("Theirs"));
        assertThat(simulator.people()).extracting(p -> p.get("first_name").asText()).containsExactly("Ours");
        assertThat(second.people()).extracting(p -> p.get("first_name").asText()).containsExactly("Theirs");
        // A person id of one account is not found in the other.
        long theirId = second.people().get(0).get("id").asLong();
        api().get("/api/3/people/" + theirId).then().statusCode(404);

        // Faults and call counts are each account's own.
        second.failNext("GET /api/3/groups", 500, 1);
        api().get("/api/3/groups").then().statusCode(200);
        theirs().get("/api/3/groups").then().statusCode(500);
        assertThat(second.calls("GET /api/3/groups")).isEqualTo(1);
        assertThat(simulator.calls("GET /api/3/groups")).isEqualTo(1);

        // The control API reaches the other account by id; the second's key opens nothing of the first.
        given().baseUri("http://127.0.0.1:" + port).get("/_simulator/calls?account=acc_second").then()
                .statusCode(200).body("'GET /api/3/people'", equalTo(1));
        given().baseUri("http://127.0.0.1:" + port).contentType("application/json")
                .body(Map.of("id", "acc_third", "api_key", "third-key")).post("/_simulator/accounts").then()
                .statusCode(201);
        given().baseUri("http://127.0.0.1:" + port).contentType("application/json")
                .body(Map.of("id", "acc_fourth", "api_key", "third-key")).post("/_simulator/accounts").then()
                .statusCode(422);
        given().baseUri("http://127.0.0.1:" + port).get("/_simulator/accounts").then().statusCode(200)
                .body("$", contains("acc_second", "acc_third"));
        DoorFlowContract.assertConforms(second.exchanges());

        world.reset(); // a reset forgets the other accounts
        given().baseUri("http://127.0.0.1:" + port).auth().preemptive().basic("second-key", "").get("/api/3/people")
                .then().statusCode(401);
    }

    /** Requests with the second account's API key. */
    RequestSpecification theirs() {
        return given().baseUri("http://127.0.0.1:" + port).auth().preemptive().basic("second-key", "")
                .contentType("application/json");
    }

    @Test
    void refusesRequestsWithoutValidCredentials() {
        given().baseUri("http://127.0.0.1:" + port).get("/api/3/people").then().statusCode(401)
                .body("error", equalTo("unauthorized"));
        given().baseUri("http://127.0.0.1:" + port).auth().preemptive().basic("wrong", "").get("/api/3/groups")
                .then().statusCode(401);
        given().baseUri("http://127.0.0.1:" + port).header("Authorization", "Bearer nope").get("/api/3/groups")
                .then().statusCode(401).body("error_description", equalTo("The access token is invalid"));
    }

    @Test
    void aBadgeAdmitsOnlyAnEnabledPersonInAGroupOfThatDoorAndTheEventsAreListedDoorFlowsWay() {
        simulator.addDoor(7, "Front door", java.util.Set.of(TestWorld.HOT));
        long ada = simulator.addPerson(Map.of("first_name", "Ada", "last_name", "L", "group_ids",
                java.util.List.of(TestWorld.HOT)));
        long bob = simulator.addPerson(Map.of("first_name", "Bob", "last_name", "B", "group_ids",
                java.util.List.of(TestWorld.OFFICE)));
        long cy = simulator.addPerson(Map.of("first_name", "Cy", "last_name", "C", "enabled", false, "group_ids",
                java.util.List.of(TestWorld.HOT)));
        simulator.badge(ada, 7);
        simulator.badge(bob, 7);
        simulator.badge(cy, 7);
        given().baseUri("http://127.0.0.1:" + port).contentType("application/json")
                .body("{\"person_id\": " + ada + ", \"door_id\": 7}").post("/_simulator/badge").then().statusCode(201)
                .body("event_code", equalTo(10)).body("door_controller_name", equalTo("Front door"));
        assertThat(simulator.badge(ada, 99)).as("no such door").isNull();

        api().get("/api/3/events").then().statusCode(200).header("Total", "4")
                .body("person_id", contains((int) ada, (int) cy, (int) bob, (int) ada)).body("event_code",
                        contains(10, 27, 27, 10));
        api().get("/api/3/events?sort=ASC&n=2&page=2").then().body("person_id", contains((int) cy, (int) ada))
                .header("Per-Page", "2");
        api().get("/api/3/events?event_codes=27&sort=ASC").then().body("person_id", contains((int) bob, (int) cy));
        api().get("/api/3/events?since=2999-01-01T00:00:00Z").then().body("", hasSize(0));
        api().get("/api/3/events?event_codes=10,999").then().statusCode(400)
                .body("error_description", equalTo("The following event codes are not valid for this method: 999"));
    }

    @Test
    void answersDateTimesWithTheirSecondsEvenWhenTheyAreZero() {
        // OffsetDateTime.toString() drops ":00" seconds; RFC 3339 (openapi.yaml's date-time) requires them.
        api().body(Map.of("first_name", "Ada", "last_name", "Lovelace", "valid_from", "2026-01-01T00:00:00Z",
                "valid_to", "2026-06-30T23:59:00+02:00")).post("/api/3/people").then().statusCode(201)
                .body("valid_from", equalTo("2026-01-01T00:00:00Z")).body("valid_to", equalTo("2026-06-30T21:59:00Z"));
        // The exchanges are checked against openapi.yaml, formats included, after each test.
    }

    @Test
    void createsUpdatesAndSoftDeletesPeople() {
        int id = api().body(Map.of("first_name", "Ada", "last_name", "Lovelace", "email", "ada@example.com",
                "group_ids", new long[] {TestWorld.HOT})).post("/api/3/people")
                .then().statusCode(201).body("groups", contains((int) TestWorld.HOT)).body("enabled", equalTo(true))
                .extract().path("id");

        api().body(Map.of("first_name", "Ada", "last_name", "Twin", "email", "ADA@example.com"))
                .post("/api/3/people").then().statusCode(422)
                .body("error", equalTo("Validation failed: email has already been taken"));
        api().body(Map.of("email", "nameless@example.com")).post("/api/3/people").then().statusCode(422)
                .body("error", equalTo("Validation failed: first_name can't be blank; last_name can't be blank"));

        api().body(Map.of("group_ids", new long[] {TestWorld.LAB, TestWorld.BIKES}, "enabled", false))
                .put("/api/3/people/" + id).then().statusCode(201)
                .body("groups", contains((int) TestWorld.LAB, (int) TestWorld.BIKES)).body("enabled", equalTo(false))
                .body("last_name", equalTo("Lovelace"));
        api().body(Map.of("group_ids", new long[] {424242})).put("/api/3/people/" + id).then().statusCode(422);

        api().delete("/api/3/people/" + id).then().statusCode(200).body("result", equalTo("ok"));
        api().get("/api/3/people/" + id).then().statusCode(404).body("error", equalTo("not_found"));
        api().delete("/api/3/people/" + id).then().statusCode(404);
        api().get("/api/3/people").then().statusCode(200).body("$", hasSize(0));
        assertThat(simulator.isDeleted(id)).isTrue();
    }

    @Test
    void paginatesWithTotalAndPerPageHeadersAndCapsPerPageAt100() {
        for (int i = 0; i < 120; i++) {
            simulator.addPerson(Map.of("first_name", "P", "last_name", String.valueOf(i)));
        }
        api().queryParam("page", 3).queryParam("per_page", 50).get("/api/3/people").then().statusCode(200)
                .header("Total", "120").header("Per-Page", "50").body("$", hasSize(20));
        api().queryParam("per_page", 100).get("/api/3/people").then().header("Per-Page", "100")
                .body("$", hasSize(100));
        api().get("/api/3/people").then().header("Per-Page", "50").body("$", hasSize(50));
        api().queryParam("skip_pagination", true).get("/api/3/people").then().body("$", hasSize(120));
    }

    @Test
    void filtersByPartialEmailExactSystemIdAndUpdatedSince() {
        simulator.addPerson(Map.of("first_name", "A", "last_name", "A", "email", "ada@example.org", "system_id", "crm:1"));
        simulator.addPerson(Map.of("first_name", "B", "last_name", "B", "email", "bada@example.org", "system_id", "crm:10"));

        api().queryParam("email", "ADA@EXAMPLE").get("/api/3/people").then().body("$", hasSize(2));
        api().queryParam("system_id", "crm:1").get("/api/3/people").then().body("$", hasSize(1))
                .body("[0].email", equalTo("ada@example.org"));
        api().queryParam("since_utc", "2999-01-01T00:00:00Z").get("/api/3/people").then().body("$", hasSize(0));
        api().queryParam("since_utc", "2000-01-01T00:00:00Z").get("/api/3/people").then().body("$", hasSize(2));
    }

    @Test
    void emailsAndSystemIdsFollowEveryChangeToAPerson() {
        long hand = simulator.addPerson(Map.of("first_name", "H", "last_name", "H", "email", "old@example.org",
                "system_id", "crm:7"));
        simulator.editPerson(hand, Map.of("email", "new@example.org", "system_id", "crm:8"));
        api().queryParam("system_id", "crm:7").get("/api/3/people").then().body("$", hasSize(0));
        api().queryParam("system_id", "crm:8").get("/api/3/people").then().body("$", hasSize(1));
        api().body(Map.of("first_name", "O", "last_name", "O", "email", "OLD@example.org")).post("/api/3/people")
                .then().statusCode(201);

        api().body(Map.of("email", "newer@example.org", "system_id", "crm:9")).put("/api/3/people/" + hand).then()
                .statusCode(201);
        api().body(Map.of("first_name", "N", "last_name", "N", "email", "new@example.org")).post("/api/3/people")
                .then().statusCode(201);
        api().queryParam("system_id", "crm:9").get("/api/3/people").then().body("$", hasSize(1));

        api().delete("/api/3/people/" + hand).then().statusCode(200);
        api().queryParam("system_id", "crm:9").get("/api/3/people").then().body("$", hasSize(0));
        api().body(Map.of("first_name", "R", "last_name", "R", "email", "newer@example.org", "system_id", "crm:9"))
                .post("/api/3/people").then().statusCode(201);
        api().queryParam("system_id", "crm:9").get("/api/3/people").then().body("$", hasSize(1))
                .body("[0].first_name", equalTo("R"));
    }

    @Test
    void aSinceListingFollowsEveryChangeToAPerson() throws InterruptedException {
        long hand = simulator.addPerson(Map.of("first_name", "H", "last_name", "H"));
        Thread.sleep(20);
        String since = java.time.Instant.now().toString();
        Thread.sleep(20);
        api().queryParam("since_utc", since).get("/api/3/people").then().body("$", hasSize(0));

        simulator.editPerson(hand, Map.of("first_name", "E"));
        api().queryParam("since_utc", since).get("/api/3/people").then().body("$", hasSize(1))
                .body("[0].first_name", equalTo("E"));
        api().body(Map.of("first_name", "N", "last_name", "N")).post("/api/3/people").then().statusCode(201);
        api().queryParam("since_utc", since).get("/api/3/people").then().body("first_name", contains("E", "N"));

        api().delete("/api/3/people/" + hand).then().statusCode(200);
        api().queryParam("since_utc", since).get("/api/3/people").then().body("first_name", contains("N"));
    }

    @Test
    void listsGroupsByName() {
        api().get("/api/3/groups").then().statusCode(200).body("$", hasSize(4)).body("[0].name", equalTo("Bike storage"))
                .body("[0].notes", nullValue());
    }

    @Test
    void rateLimitsSyncWithRetryIn() {
        simulator.setSyncRateLimit(Duration.ofSeconds(30));
        api().post("/api/3/sync").then().statusCode(200).body("result", equalTo("ok"));
        api().post("/api/3/sync").then().statusCode(429).body("error", equalTo("rate_limited"))
                .body("retry_in", greaterThan(0));
    }

    @Test
    void issuesCredentialsByDoorFlowsRules() {
        int person = api().body(Map.of("first_name", "Ada", "last_name", "Lovelace")).post("/api/3/people")
                .then().extract().path("id");
        int other = api().body(Map.of("first_name", "Bob", "last_name", "Byron")).post("/api/3/people")
                .then().extract().path("id");
        String credentials = "/api/3/people/" + person + "/credentials";

        api().get("/api/3/credential_types").then().statusCode(200).header("Total", "4")
                .body("slug", contains("card", "pin", "mobile", "visitor_fob"));

        String card = api().body(credential(TestWorld.CARD, "40010001")).post(credentials).then().statusCode(201)
                .body("value", equalTo("40010001")).body("label", equalTo("Key card"))
                .body("person_id", equalTo(person)).extract().path("id");
        api().body(credential(TestWorld.CARD, "5")).post(credentials).then().statusCode(409)
                .body("id", equalTo(card)).body("value", equalTo("40010001"));
        api().body(credential(TestWorld.CARD, "40010001")).post("/api/3/people/" + other + "/credentials").then()
                .statusCode(422).body("errors.value", contains("value is already in use on your account"));
        api().body(credential(TestWorld.PIN, "12")).post(credentials).then().statusCode(422)
                .body("errors.value", contains("must be between 4 and 7 digits in length"));
        api().body(credential(424242, "1")).post(credentials).then().statusCode(422)
                .body("errors.credential_type_id", contains("Not found for this account"));
        api().body(credential(TestWorld.PIN, "******")).post(credentials).then().statusCode(201)
                .body("value", org.hamcrest.Matchers.matchesPattern("\\d{6}"));
        String phone = api().body(Map.of("person_credential", Map.of("credential_type_id", TestWorld.MOBILE)))
                .post(credentials).then().statusCode(201).body("status", equalTo("invited"))
                .body("value", nullValue()).extract().path("id");
        simulator.setMobileLicenceLimit(1);
        api().body(Map.of("person_credential", Map.of("credential_type_id", TestWorld.MOBILE)))
                .post("/api/3/people/" + other + "/credentials").then().statusCode(422)
                .body("errors.limit_reached", org.hamcrest.Matchers.startsWith("You have reached your HID Mobile"));

        api().body(Map.of("person_credential", Map.of("value", "40010002"))).put(credentials + "/" + card).then()
                .statusCode(201).body("value", equalTo("40010002"));
        api().get(credentials + "/" + card).then().statusCode(200).body("value", equalTo("40010002"));
        api().get(credentials).then().statusCode(200).header("Total", "3").body("$", hasSize(3));
        api().get("/api/3/credentials").then().statusCode(200).header("Total", "3");

        api().delete(credentials + "/" + card).then().statusCode(200).contentType("text/plain");
        api().get(credentials + "/" + card).then().statusCode(404);
        api().delete(credentials + "/" + phone).then().statusCode(202);
        api().get(credentials + "/" + phone).then().body("status", equalTo("revoking"));
        simulator.completeMobileRevocations();
        api().get(credentials + "/" + phone).then().body("status", equalTo("revoked"));
        api().body(Map.of("person_credential", Map.of("credential_type_id", TestWorld.MOBILE)))
                .post("/api/3/people/" + other + "/credentials").then().statusCode(201);
    }

    @Test
    void cardNumbersFollowEveryChangeToACredential() {
        int ada = api().body(Map.of("first_name", "Ada", "last_name", "L")).post("/api/3/people").then().extract()
                .path("id");
        int bob = api().body(Map.of("first_name", "Bob", "last_name", "B")).post("/api/3/people").then().extract()
                .path("id");
        String adas = "/api/3/people/" + ada + "/credentials";
        String bobs = "/api/3/people/" + bob + "/credentials";
        String card = api().body(credential(TestWorld.CARD, "111")).post(adas).then().statusCode(201).extract()
                .path("id");
        api().body(credential(TestWorld.PIN, "1110")).post(bobs).then().statusCode(201);
        // A PIN's value is not a card's.
        api().body(credential(TestWorld.CARD, "1110")).post(bobs).then().statusCode(201);
        api().delete(bobs + "/" + api().get(bobs).then().extract().path("find { it.value == '1110' && "
                + "it.credential_type_id == " + TestWorld.CARD + " }.id")).then().statusCode(200);

        api().body(Map.of("person_credential", Map.of("value", "222"))).put(adas + "/" + card).then().statusCode(201);
        api().body(credential(TestWorld.CARD, "222")).post(bobs).then().statusCode(422);
        // Re-valued to its own value; the old number is free.
        api().body(Map.of("person_credential", Map.of("value", "222"))).put(adas + "/" + card).then().statusCode(201);
        api().body(credential(TestWorld.CARD, "111")).post(bobs).then().statusCode(201);
        api().delete(bobs + "/" + api().get(bobs).then().extract().path("find { it.value == '111' }.id")).then()
                .statusCode(200);

        api().delete("/api/3/people/" + ada).then().statusCode(200);
        api().get("/api/3/credentials").then().body("person_id", org.hamcrest.Matchers.not(
                org.hamcrest.Matchers.hasItem(ada)));
        // Freed with its person.
        api().body(credential(TestWorld.CARD, "222")).post(bobs).then().statusCode(201);
        assertThat(simulator.credentialsOf(bob)).extracting(c -> c.path("value").asText())
                .containsExactly("1110", "222");
    }

    private static Map<String, Object> credential(long type, String value) {
        return Map.of("person_credential", Map.of("credential_type_id", type, "value", value));
    }

    @Test
    void answersUnknownPathsWith404() {
        api().get("/api/3/unicorns").then().statusCode(404).body("error", equalTo("not_found"));
        simulator.clearExchanges(); // not a path openapi.yaml knows, so not a contract exchange
    }

    @Test
    void faultsAreSetOverTheControlApiAndMisbehaveAsDescribed() throws InterruptedException {
        RequestSpecification control = given().baseUri("http://127.0.0.1:" + port).contentType("application/json");
        control.body("""
                {"seed": 3, "rules": [
                  {"route": "GET /api/3/groups", "rate_limit_rate": 1, "retry_in": 7},
                  {"route": "POST /api/3/people", "lost_answer_rate": 1},
                  {"route": "GET /api/3/credential_types", "reset_rate": 1},
                  {"route": "GET /api/3/account", "error_rate": 1, "error_status": 502, "latency_ms": 150}]}""")
                .put("/_simulator/faults").then().statusCode(200).body("rules", hasSize(4));

        api().get("/api/3/groups").then().statusCode(429).header("Retry-After", "7").body("retry_in", equalTo(7));
        long started = System.nanoTime();
        api().get("/api/3/account").then().statusCode(502);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
        assertThat(closesTheConnection("GET", "/api/3/credential_types", null)).isTrue();
        assertThat(closesTheConnection("POST", "/api/3/people", "{\"first_name\": \"Lost\", \"last_name\": \"Answer\"}"))
                .isTrue();
        assertThat(simulator.people()).as("applied although its answer was lost")
                .anySatisfy(p -> assertThat(p.get("first_name").asText()).isEqualTo("Lost"));

        given().baseUri("http://127.0.0.1:" + port).get("/_simulator/faults").then().statusCode(200)
                .body("injected.rate_limit", equalTo(1)).body("injected.error", equalTo(1))
                .body("injected.reset", equalTo(1)).body("injected.lost_answer", equalTo(1))
                .body("injected.latency", equalTo(1));
        given().baseUri("http://127.0.0.1:" + port).delete("/_simulator/faults").then().statusCode(200)
                .body("rules", hasSize(0));
        api().get("/api/3/groups").then().statusCode(200);
        control.body("{\"rules\": [{\"route\": \"GET /x\", \"error_rate\": 2}]}").put("/_simulator/faults")
                .then().statusCode(400).body("error_description", equalTo("a fault rate is between 0 and 1, not 2.0"));
    }

    /** Sent once (RestAssured's client would send a GET again by itself): true when no answer came back. */
    private boolean closesTheConnection(String method, String path, String json) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Basic dGVzdC1rZXk6").header("Content-Type", "application/json")
                .method(method, json == null ? BodyPublishers.noBody() : BodyPublishers.ofString(json)).build();
        try {
            HttpClient.newHttpClient().send(request, BodyHandlers.ofString()); // JDK 17: not AutoCloseable
            return false;
        } catch (IOException closed) {
            return true;
        }
    }
}
