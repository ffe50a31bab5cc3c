package io.doorsync.doorflow.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;

import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.doorsync.Account;
import io.doorsync.accounts.AccountRegistry;
import io.doorsync.run.RunReport;
import io.doorsync.run.SyncRunner;
import io.doorsync.simulator.DoorFlowSimulator;
import io.doorsync.simulator.OAuthApp;
import io.doorsync.support.CrmRows;
import io.doorsync.support.DoorFlowContract;
import io.doorsync.support.OAuthFlow;
import io.doorsync.support.PostgresAndSimulator;
import io.doorsync.support.TestWorld;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Another account's OAuth connection, over HTTP: connected through the one registered application (the state says
 * whose callback it is), its tokens its own (bound to its id: copied to another account's row they do not
 * decrypt), used for its DoorFlow only, and refreshed once however many replicas ask at once.
 */
@QuarkusTest
@WithTestResource(value = PostgresAndSimulator.class, scope = TestResourceScope.GLOBAL)
class AccountOAuthTest {

    private static final Account NORTH = new Account("north");

    @Inject
    TestWorld world;

    @Inject
    DoorFlowOAuth oauth;

    @Inject
    AccountRegistry accounts;

    @Inject
    SyncRunner sync;

    @Inject
    DataSource dataSource;

    @Inject
    @RestClient
    DoorFlowOAuthApi oauthApi;

    DoorFlowSimulator north;

    @BeforeEach
    void setUp() {
        world.reset();
        north = world.otherTenant("acc_north", "north-key", "crm_north");
        CrmRows.member("M1", "bea@north.example", "hot").insertInto("crm_north", world::sql);
        oauth.forget(NORTH); // no connection object (or token in memory) left by an earlier test
        accounts.add(NORTH, "crm_north", null);
    }

    @AfterEach
    void conforms() {
        DoorFlowContract.assertConforms(north.exchanges());
        DoorFlowContract.assertConforms(world.simulator().exchanges());
    }

    @Test
    void anAccountConnectedThroughOAuthSyncsItsOwnDoorFlowAndItsTokensAreItsOwn() {
        assertThat(accounts.synced()).as("not connected yet").doesNotContain(NORTH);
        URI callback = OAuthFlow.decide(authorizeNorth(), "approve:acc_north");
        OAuthFlow.admin().get(callback.toString()).then().statusCode(303)
                .header("Location", endsWith("/admin?account=north&notice=connected"));

        assertThat(accounts.synced()).contains(NORTH);
        assertThat(oauth.connection(NORTH).orElseThrow().status().accountId()).isEqualTo("acc_north");
        assertThat(oauth.connection().orElseThrow().exists()).as("the installation's own: not connected").isFalse();
        assertThat(sync.runOnce(NORTH, "test", false).outcome()).isEqualTo(RunReport.Outcome.SUCCESS);
        assertThat(north.people()).extracting(p -> p.path("email").asText()).containsExactly("bea@north.example");
        assertThat(world.simulator().people()).isEmpty();

        // North's tokens copied into the installation's own row: bound to north's id, they do not decrypt.
        world.sql("insert into doorsync.oauth_connection select 'default', state, account_id, resource_owner_id,"
                + " scopes, access_token, refresh_token, expires_at, version, connected_at, last_refresh_at,"
                + " last_refresh_outcome, problem from doorsync.oauth_connection where account = 'north'");
        assertThatThrownBy(() -> oauth.connection().orElseThrow().token()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot be decrypted");
    }

    @Test
    void aReconnectSignedInToAnotherDoorFlowAccountStopsThatAccountAndWritesNothingThere() {
        DoorFlowSimulator south = world.simulator().addAccount("acc_south", "south-key");
        OAuthFlow.admin().get(OAuthFlow.decide(authorizeNorth(), "approve:acc_north").toString()).then()
                .statusCode(303);
        assertThat(sync.runOnce(NORTH, "test", false).outcome()).isEqualTo(RunReport.Outcome.SUCCESS);
        OAuthCredentials before = new OAuthCredentials(oauth.connection(NORTH).orElseThrow(), "acc_north");

        OAuthFlow.admin().post("/admin/accounts/north/disconnect").then().statusCode(303);
        OAuthFlow.admin().get(OAuthFlow.decide(authorizeNorth(), "approve:acc_south").toString()).then()
                .statusCode(303); // the admin signed in to the wrong DoorFlow account

        assertThatThrownBy(before::authorization).as("a gateway made for acc_north sends nothing with it")
                .isInstanceOf(io.doorsync.doorflow.DoorFlowNotConnectedException.class)
                .hasMessageContaining("acc_south instead of acc_north");
        RunReport refused = sync.runOnce(NORTH, "test", false);
        assertThat(refused.outcome()).isEqualTo(RunReport.Outcome.FAILED);
        assertThat(refused.message()).contains("acc_south").contains("acc_north");
        assertThat(south.people()).as("nobody made in the other tenant's DoorFlow").isEmpty();
        DoorFlowContract.assertConforms(south.exchanges());
    }

    @Test
    void aCallbackForAnAccountRemovedSinceItsConnectStoresNothing() {
        URI authorize = authorizeNorth();
        accounts.remove(NORTH); // here: its authorizations in progress go with it
        OAuthFlow.admin().get(OAuthFlow.decide(authorize, "approve:acc_north").toString()).then().statusCode(400)
                .body(containsString("does not match a Connect started here"));
        assertThat(world.rows("select 1 from doorsync.oauth_connection where account = 'north'")).isEmpty();
    }

    @Test
    void aCallbackForAnAccountAnotherReplicaRemovedStoresNothingAndUsesTheStateUp() {
        URI authorize = authorizeNorth();
        world.sql("update doorsync.account set removed_at = now() where id = 'north'"); // its pending state stays
        URI callback = OAuthFlow.decide(authorize, "approve:acc_north");
        OAuthFlow.admin().get(callback.toString()).then().statusCode(409)
                .body(containsString("was removed (or connects with an API key) since this Connect was started"));
        assertThat(world.rows("select 1 from doorsync.oauth_connection where account = 'north'")).isEmpty();
        assertThat(world.rows("select 1 from doorsync.oauth_pending where account = 'north'")).as("used up").isEmpty();
    }

    @Test
    void anAccountsTokenIsRefreshedOnceWhenTwoReplicasFindItExpiring() throws Exception {
        OAuthApp app = TestWorld.OAUTH_APP; // north's grant is made with the host's application: tokens of 2 s
        world.simulator().setOAuthApp(new OAuthApp(app.clientId(), app.clientSecret(), app.accountId(),
                java.time.Duration.ofSeconds(2), app.rotateRefreshTokens()));
        OAuthFlow.admin().get(OAuthFlow.decide(authorizeNorth(), "approve:acc_north").toString()).then()
                .statusCode(303);
        OAuthConnection here = oauth.connection(NORTH).orElseThrow();
        OAuthConnection there = anotherReplica();
        Thread.sleep(1100);
        int grantsBefore = north.refreshGrants();

        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<OAuthConnection.Token>> both = pool.invokeAll(List.<Callable<OAuthConnection.Token>>of(
                    here::token, there::token));
            assertThat(both.get(0).get().accessToken()).isEqualTo(both.get(1).get().accessToken());
        } finally {
            pool.shutdownNow();
        }
        assertThat(north.refreshGrants() - grantsBefore).as("one refresh for both replicas").isEqualTo(1);
        assertThat(sync.runOnce(NORTH, "test", false).outcome()).isEqualTo(RunReport.Outcome.SUCCESS);
    }

    /** The page's Connect for north: DoorFlow's authorize URL, the state kept for north. */
    private static URI authorizeNorth() {
        return URI.create(OAuthFlow.admin().post("/admin/accounts/north/connect").then().statusCode(303).extract()
                .header("Location"));
    }

    /** North's connection as another replica holds it: its own memory, the same database and DoorFlow. */
    private OAuthConnection anotherReplica() {
        OAuthConnection.Client client = new OAuthConnection.Client("doorsync-demo", "test-client-secret",
                OAuthFlow.app() + "/admin/oauth/callback", "account.person", URI.create(OAuthFlow.simulator()
                        + "/oauth/authorize"), java.time.Duration.ofMinutes(5), java.time.Duration.ofMinutes(10));
        return new OAuthConnection(NORTH, dataSource, new TokenCipher("dGVzdC1vbmx5LWtleS1ub3QtYS1zZWNyZXQtMDAwMDA="),
                oauthApi, client, Clock.systemUTC(), new OAuthConnection.Listener() {
                    @Override
                    public void refreshed(String outcome) {
                    }

                    @Override
                    public void status(OAuthConnection.Status status) {
                    }
                });
    }
}
