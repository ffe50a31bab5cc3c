package io.doorsync.doorflow.oauth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.doorsync.run.RunReport;
import io.doorsync.run.SyncRunner;
import io.doorsync.simulator.DoorFlowSimulator;
import io.doorsync.simulator.Exchange;
import io.doorsync.simulator.OAuthApp;
import io.doorsync.support.DoorFlowContract;
import io.doorsync.support.LogCapture;
import io.doorsync.support.OAuthFlow;
import io.doorsync.support.PostgresAndSimulator;
import io.doorsync.support.TestWorld;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Connecting through OAuth and staying connected: the bootstrap over HTTP, the token lifecycle, secrecy. */
@QuarkusTest
@WithTestResource(value = PostgresAndSimulator.class, scope = TestResourceScope.GLOBAL)
class OAuthConnectionTest {

    @Inject
    TestWorld world;

    @Inject
    SyncRunner sync;

    @Inject
    DoorFlowOAuth oauth;

    @Inject
    DataSource dataSource;

    @Inject
    @RestClient
    DoorFlowOAuthApi oauthApi;

    @ConfigProperty(name = "quarkus.management.test-port")
    int managementPort;

    DoorFlowSimulator doorflow;
    LogCapture logs;

    @BeforeEach
    void setUp() {
        world.reset();
        doorflow = world.simulator();
        world.team("hot", TestWorld.HOT).member("M1", "ada@example.com", "hot");
        logs = LogCapture.start();
    }

    @AfterEach
    void tearDown() {
        logs.close();
        DoorFlowContract.assertConforms(doorflow.exchanges());
    }

    @Test
    void theAdminSurfaceNeedsTheAdminPassword() {
        given().baseUri(OAuthFlow.app()).get("/admin").then().statusCode(401)
                .header("WWW-Authenticate", org.hamcrest.Matchers.equalToIgnoringCase("basic"));
        given().baseUri(OAuthFlow.app()).auth().preemptive().basic("admin", "wrong").get("/admin").then().statusCode(401);
        given().baseUri(OAuthFlow.app()).auth().preemptive().basic("root", OAuthFlow.ADMIN_PASSWORD).get("/admin")
                .then().statusCode(401);
        OAuthFlow.admin().get("/admin").then().statusCode(200).body(containsString("Not connected through OAuth"));
    }

    @Test
    void aFormPostedFromAnotherSiteIsRefused() {
        OAuthFlow.connect();
        OAuthFlow.admin().header("Sec-Fetch-Site", "cross-site").post("/admin/disconnect").then().statusCode(403);
        OAuthFlow.admin().header("Origin", "https://evil.example").post("/admin/disconnect").then().statusCode(403);
        OAuthFlow.admin().header("Origin", "https://evil.example").post("/admin/connect").then().statusCode(403);
        assertThat(oauth.required().status().state()).as("still connected").isEqualTo(OAuthConnection.State.CONNECTED);
        OAuthFlow.admin().header("Sec-Fetch-Site", "same-origin").post("/admin/disconnect").then().statusCode(303);
    }

    @Test
    void connectSendsTheBrowserToDoorFlowWithStatePkceExactRedirectAndScopes() {
        URI authorize = OAuthFlow.pressConnect();
        Map<String, String> q = OAuthFlow.query(authorize);

        assertThat(authorize.toString()).startsWith(OAuthFlow.simulator() + "/oauth/authorize?");
        assertThat(q).containsEntry("response_type", "code").containsEntry("client_id", "doorsync-demo")
                .containsEntry("redirect_uri", OAuthFlow.app() + "/admin/oauth/callback")
                .containsEntry("scope", "account.person account.person.readonly account.group.readonly"
                        + " account.credential_type.readonly account.sync")
                .containsEntry("code_challenge_method", "S256").doesNotContainKey("client_secret");
        assertThat(q.get("state")).hasSizeGreaterThanOrEqualTo(40);
        assertThat(q.get("code_challenge")).matches("[A-Za-z0-9_-]{43}");
        assertThat(OAuthFlow.query(OAuthFlow.pressConnect()).get("state")).as("a new state every time")
                .isNotEqualTo(q.get("state"));
    }

    @Test
    void connectedSyncsUseTheOAuthTokenAndDisconnectRevokesIt() {
        assertThat(sync.runOnce("test").outcome()).isEqualTo(RunReport.Outcome.SUCCESS);
        assertThat(lastAuthorization()).as("before connecting: the API key").startsWith("Basic ");

        OAuthFlow.connect();

        OAuthFlow.admin().get("/admin").then().statusCode(200).body(containsString("acc_demo01"))
                .body(containsString("account.person.readonly")).body(containsString(">Connected<"))
                .body(containsString("Disconnect")).body(not(containsString("test-client-secret")));
        world.sql("update crm.members set last_name = 'King' where id = 'M1'");
        assertThat(sync.runOnce("test").outcome()).isEqualTo(RunReport.Outcome.SUCCESS);
        assertThat(lastAuthorization()).as("after connecting: the OAuth token").startsWith("Bearer ");
        assertThat(doorflow.people()).singleElement().satisfies(p -> assertThat(p.get("last_name").asText())
                .isEqualTo("King"));

        OAuthFlow.admin().post("/admin/disconnect").then().statusCode(303);
        assertThat(doorflow.calls("POST /oauth/revoke")).isEqualTo(1);
        assertThat(doorflow.validRefreshTokens()).as("refresh token revoked at DoorFlow").isZero();
        assertThat(world.rows("select * from doorsync.oauth_connection")).as("stored tokens deleted").isEmpty();
        OAuthFlow.admin().get("/admin?notice=disconnected").then().body(containsString("Disconnected"))
                .body(containsString("Not connected through OAuth"));
        sync.runOnce("test");
        assertThat(lastAuthorization()).as("back to the API key").startsWith("Basic ");
        assertNoSecretInLogs();
    }

    @Test
    void aReplayedForgedOrDeniedAuthorizationIsRefusedWithAClearPage() {
        URI callback = OAuthFlow.connect();
        OAuthFlow.admin().get(callback.toString()).then().statusCode(400)
                .body(containsString("does not match a Connect started here, or it was already used"));

        URI forged = URI.create(OAuthFlow.app() + "/admin/oauth/callback?code=abc&state=forged");
        OAuthFlow.admin().get(forged.toString()).then().statusCode(400)
                .body(containsString("does not match a Connect started here"));

        URI denied = OAuthFlow.decide(OAuthFlow.pressConnect(), "deny");
        assertThat(OAuthFlow.query(denied)).containsEntry("error", "access_denied");
        OAuthFlow.admin().get(denied.toString()).then().statusCode(400)
                .body(containsString("DoorFlow access was denied"));
        assertThat(world.rows("select * from doorsync.oauth_pending")).as("every state used up").isEmpty();
        assertThat(oauth.required().status().accountId()).as("still the first connection").isEqualTo("acc_demo01");
    }

    @Test
    void anExpiredStateIsRefused() {
        URI callback = OAuthFlow.decide(OAuthFlow.pressConnect(), "approve");
        world.sql("update doorsync.oauth_pending set created_at = now() - interval '11 minutes'");
        OAuthFlow.admin().get(callback.toString()).then().statusCode(400)
                .body(containsString("has expired. Start again with Connect"));
        assertThat(world.rows("select * from doorsync.oauth_connection")).isEmpty();
    }

    @Test
    void tokensAreStoredEncrypted() {
        OAuthFlow.connect();
        Set<String> tokens = issuedTokens();
        assertThat(tokens).hasSize(2);
        List<Map<String, Object>> rows = world.rows("select access_token, refresh_token from doorsync.oauth_connection");
        assertThat(rows).singleElement().satisfies(row -> {
            String stored = new String((byte[]) row.get("access_token"), StandardCharsets.ISO_8859_1)
                    + new String((byte[]) row.get("refresh_token"), StandardCharsets.ISO_8859_1);
            tokens.forEach(t -> assertThat(stored).doesNotContain(t));
        });
        assertThat(oauth.required().token().accessToken()).as("and decrypted for use").isIn(tokens);
    }

    @Test
    void aTokenIsRefreshedBeforeItExpires() {
        connectWithATokenAboutToExpire();
        doorflow.clearExchanges();

        assertThat(sync.runOnce("test").outcome()).isEqualTo(RunReport.Outcome.SUCCESS);

        assertThat(doorflow.refreshGrants()).isEqualTo(1);
        assertThat(doorflow.exchanges()).as("no request was refused: the refresh came first")
                .noneMatch(e -> e.response().status() == 401);
        assertThat(oauth.required().status().lastRefreshOutcome()).isEqualTo("success");
        assertNoSecretInLogs();
    }

    @Test
    void a401RefreshesOnceAndRetriesTheRequest() {
        OAuthFlow.connect();
        doorflow.expireAccessTokens(); // DoorFlow says expired although doorsync thinks it has an hour left
        doorflow.clearExchanges();

        RunReport report = sync.runOnce("test");

        assertThat(report.outcome()).isEqualTo(RunReport.Outcome.SUCCESS);
        assertThat(doorflow.refreshGrants()).isEqualTo(1);
        assertThat(doorflow.exchanges().stream().filter(e -> e.response().status() == 401)).hasSize(1);
        assertThat(doorflow.people()).hasSize(1);
    }

    @Test
    void manyThreadsAtExpiryMakeOneRefreshAndAllUseItsToken() throws Exception {
        connectWithATokenAboutToExpire();
        OAuthConnection connection = oauth.required();

        List<String> tokens = concurrently(12, connection::token).stream().map(OAuthConnection.Token::accessToken)
                .toList();

        assertThat(doorflow.refreshGrants()).isEqualTo(1);
        assertThat(new HashSet<>(tokens)).hasSize(1);
        assertThat(doorflow.validRefreshTokens()).as("rotated once: exactly one valid refresh token").isEqualTo(1);
    }

    @Test
    void twoReplicasAtExpiryMakeOneRefreshAndNeitherEndsUpWithARevokedToken() throws Exception {
        connectWithATokenAboutToExpire();
        OAuthConnection replicaA = oauth.required();
        OAuthConnection replicaB = secondReplica();

        List<OAuthConnection.Token> tokens = concurrently(2,
                List.<Callable<OAuthConnection.Token>>of(replicaA::token, replicaB::token));

        assertThat(doorflow.refreshGrants()).as("one refresh reached DoorFlow").isEqualTo(1);
        assertThat(tokens.get(0).accessToken()).isEqualTo(tokens.get(1).accessToken());
        doorflow.expireAccessTokens();
        doorflow.setOAuthApp(withLifetime(Duration.ofHours(1)));
        // The stored refresh token is the rotated one, still valid: the next refresh works for either replica.
        assertThat(replicaB.renewAfterRejection(tokens.get(1).version()).accessToken()).isNotEmpty();
        assertThat(doorflow.refreshGrants()).isEqualTo(2);
        assertThat(replicaA.renewAfterRejection(tokens.get(0).version()).accessToken())
                .as("A, refused with the old token too, picks up B's refresh instead of refreshing again")
                .isEqualTo(replicaB.token().accessToken());
        assertThat(doorflow.refreshGrants()).isEqualTo(2);
    }

    @Test
    void aForcedRefreshGetsANewTokenAndAnswersItsExpiryWithoutEverShowingAToken() throws Exception {
        OAuthFlow.admin().post("/admin/api/oauth/refresh").then().statusCode(409).body("error", equalTo("not_connected"));
        OAuthFlow.connect();
        java.time.Instant before = oauth.required().status().expiresAt();
        String firstToken = oauth.required().token().accessToken();
        Thread.sleep(1100); // expiries are kept to the second

        String body = OAuthFlow.admin().post("/admin/api/oauth/refresh").then().statusCode(200)
                .body("accountId", equalTo(TestWorld.OAUTH_APP.accountId())).extract().asString();

        java.time.Instant expires = java.time.Instant.parse(new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(body).get("expiresAt").asText());
        assertThat(expires).as("a later expiry").isAfter(before);
        assertThat(doorflow.refreshGrants()).isEqualTo(1);
        assertThat(oauth.required().token().accessToken()).isNotEqualTo(firstToken);
        issuedTokens().forEach(t -> assertThat(body).doesNotContain(t));

        // Three at once (the button pressed on two pages while the API is called): one refresh at a time, each
        // with the refresh token the one before it left, so the token in use at the end is still valid.
        List<Integer> statuses = concurrently(3, () -> OAuthFlow.admin().post("/admin/api/oauth/refresh")
                .then().extract().statusCode());
        assertThat(statuses).containsOnly(200);
        assertThat(doorflow.refreshGrants()).isEqualTo(4);
        assertThat(doorflow.validRefreshTokens()).as("rotated each time: exactly one valid refresh token")
                .isEqualTo(1);
        assertThat(sync.runOnce("test").outcome()).isEqualTo(RunReport.Outcome.SUCCESS);

        // The page's button does the same.
        OAuthFlow.admin().post("/admin/refresh").then().statusCode(303).header("Location",
                org.hamcrest.Matchers.endsWith("/admin?notice=refreshed"));
        assertThat(doorflow.refreshGrants()).isEqualTo(5);
        OAuthFlow.admin().get("/admin?notice=refreshed").then().body(containsString("The access token was refreshed"));
        assertNoSecretInLogs();
    }

    @Test
    void aForcedRefreshThatDoorFlowRefusesAsksForAReconnect() {
        OAuthFlow.connect();
        doorflow.revokeAllTokens();
        OAuthFlow.admin().post("/admin/api/oauth/refresh").then().statusCode(409).body("error", equalTo("not_connected"))
                .body("message", containsString("an admin must reconnect on /admin"));
        assertThat(oauth.required().status().state()).isEqualTo(OAuthConnection.State.RECONNECT_NEEDED);
    }

    @Test
    void aRevokedRefreshTokenStopsWritesAndAsksForAReconnect() {
        OAuthFlow.connect();
        doorflow.revokeAllTokens(); // an account admin removed doorsync's access in DoorFlow
        world.member("M2", "bob@example.com", "hot");
        doorflow.clearCalls();

        RunReport report = sync.runOnce("test");

        assertThat(report.outcome()).isEqualTo(RunReport.Outcome.FAILED);
        assertThat(report.message()).contains("an admin must reconnect on /admin");
        assertThat(doorflow.calls().keySet()).as("no writes").noneMatch(k -> k.startsWith("POST /api")
                || k.startsWith("PUT") || k.startsWith("DELETE"));
        assertThat(oauth.required().status().state()).isEqualTo(OAuthConnection.State.RECONNECT_NEEDED);

        given().baseUri(management()).get("/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().baseUri(management()).get("/health/group/sync").then().statusCode(503).body("status", equalTo("DOWN"))
                .body("checks.find { it.name == 'doorsync-doorflow-connection' }.data.state",
                        equalTo("reconnect needed"));
        String metrics = given().baseUri(management()).accept("text/plain").get("/metrics").then().extract().asString();
        assertThat(metrics).containsPattern("(?m)^doorsync_oauth_reconnect_needed\\{account=\"default\",?} 1\\.0$")
                .containsPattern("(?m)^doorsync_oauth_connected\\{account=\"default\",?} 0\\.0$")
                .containsPattern("(?m)^doorsync_oauth_refreshes_total\\{account=\"default\",outcome=\"invalid_grant\",?} [1-9]");
        OAuthFlow.admin().get("/admin").then().statusCode(200).body(containsString("Reconnect needed"))
                .body(containsString(">Reconnect<"));

        // Reconnecting puts it right.
        OAuthFlow.connect();
        assertThat(sync.runOnce("test").outcome()).isEqualTo(RunReport.Outcome.SUCCESS);
        assertThat(doorflow.people()).hasSize(2);
        given().baseUri(management()).get("/health/group/sync").then().statusCode(200);
        assertNoSecretInLogs();
    }

    /**
     * Connects with 2-second tokens: a refresh falls due after 1 second (half the lifetime, as that is shorter
     * than doorsync.oauth.refresh-before), while the token is still valid; waits until then.
     */
    private void connectWithATokenAboutToExpire() {
        doorflow.setOAuthApp(withLifetime(Duration.ofSeconds(2)));
        OAuthFlow.connect();
        try {
            Thread.sleep(1100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String management() {
        return "http://127.0.0.1:" + managementPort + "/q";
    }

    private OAuthApp withLifetime(Duration lifetime) {
        OAuthApp app = TestWorld.OAUTH_APP;
        return new OAuthApp(app.clientId(), app.clientSecret(), app.accountId(), lifetime,
                app.rotateRefreshTokens());
    }

    /** Another doorsync replica: its own instance and memory, the same database and DoorFlow. */
    private OAuthConnection secondReplica() {
        OAuthConnection.Client client = new OAuthConnection.Client("doorsync-demo", "test-client-secret",
                OAuthFlow.app() + "/admin/oauth/callback", "account.person", URI.create(OAuthFlow.simulator()
                        + "/oauth/authorize"), Duration.ofMinutes(5), Duration.ofMinutes(10));
        return new OAuthConnection(dataSource, new TokenCipher("dGVzdC1vbmx5LWtleS1ub3QtYS1zZWNyZXQtMDAwMDA="),
                oauthApi, client, Clock.systemUTC(), new OAuthConnection.Listener() {
                    @Override
                    public void refreshed(String outcome) {
                    }

                    @Override
                    public void status(OAuthConnection.Status status) {
                    }
                });
    }

    private static <T> List<T> concurrently(int threads, Callable<T> task) throws Exception {
        List<Callable<T>> tasks = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            tasks.add(task);
        }
        return concurrently(threads, tasks);
    }

    /** Runs the tasks at the same moment (a latch releases them together). */
    private static <T> List<T> concurrently(int threads, List<Callable<T>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private String lastAuthorization() {
        List<Exchange> exchanges = doorflow.exchanges();
        return exchanges.stream().filter(e -> e.request().path().startsWith("/api/3/")).reduce((a, b) -> b)
                .orElseThrow().request().headers().get("authorization");
    }

    /** Every token DoorFlow issued in this test, read from the token endpoint's recorded answers. */
    private Set<String> issuedTokens() {
        Set<String> tokens = new HashSet<>();
        for (Exchange e : doorflow.exchanges()) {
            JsonNode body = e.response().body();
            if (e.request().path().equals("/oauth/token") && body != null) {
                for (String field : List.of("access_token", "refresh_token")) {
                    if (body.hasNonNull(field)) {
                        tokens.add(body.get(field).asText());
                    }
                }
            }
        }
        return tokens;
    }

    private void assertNoSecretInLogs() {
        Set<String> secrets = issuedTokens();
        assertThat(secrets).as("the test saw tokens to look for").isNotEmpty();
        secrets.addAll(List.of("test-client-secret", OAuthFlow.ADMIN_PASSWORD, "dGVzdC1vbmx5LWtleS1ub3Qt"));
        assertThat(logs.doorsync()).as("doorsync logged during the test").isNotEmpty();
        for (String line : logs.lines()) {
            for (String secret : secrets) {
                assertThat(line).as("a log line").doesNotContain(secret);
            }
        }
    }
}
