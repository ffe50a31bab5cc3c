package io.doorsync.doorflow.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Real DoorFlow's addresses and scopes by default; the simulator (one address) and explicit settings too. */
class DoorFlowAddressesTest {

    @Test
    void realDoorFlowSendsTheAdminToItsAdminHostToApprove() {
        assertThat(DoorFlowOAuth.authorizeUrl(Optional.empty(), "https://api.doorflow.com"))
                .isEqualTo(URI.create("https://admin.doorflow.com/oauth/authorize"));
        assertThat(DoorFlowOAuth.authorizeUrl(Optional.empty(), "https://api.doorflow.com/"))
                .isEqualTo(URI.create("https://admin.doorflow.com/oauth/authorize"));
    }

    @Test
    void theSimulatorOrAProxyServesTheAuthorizePageBesideTheApi() {
        assertThat(DoorFlowOAuth.authorizeUrl(Optional.empty(), "http://127.0.0.1:8089/"))
                .isEqualTo(URI.create("http://127.0.0.1:8089/oauth/authorize"));
        assertThat(DoorFlowOAuth.authorizeUrl(Optional.of("https://sso.example/authorize"), "https://api.doorflow.com"))
                .as("an explicit setting wins").isEqualTo(URI.create("https://sso.example/authorize"));
        assertThat(DoorFlowOAuth.authorizeUrl(Optional.of(" "), "https://api.doorflow.com"))
                .as("a blank setting is no setting").isEqualTo(URI.create("https://admin.doorflow.com/oauth/authorize"));
    }

    @Test
    void theEventsScopeIsAskedForOnlyWhenCheckInsAreOn() {
        assertThat(DoorFlowOAuth.scopes(Optional.empty(), false)).isEqualTo("account.person account.person.readonly"
                + " account.group.readonly account.credential_type.readonly account.sync");
        assertThat(DoorFlowOAuth.scopes(Optional.empty(), true)).isEqualTo(DoorFlowOAuth.DEFAULT_SCOPES
                + " account.event.access.readonly");
        assertThat(DoorFlowOAuth.scopes(Optional.of("account.person"), true)).as("an explicit setting wins")
                .isEqualTo("account.person");
    }
}
