package io.doorsync.doorflow.oauth;

import java.util.List;

import io.doorsync.doorflow.DoorFlowCredentials;
import io.doorsync.doorflow.DoorFlowNotConnectedException;

/**
 * An account's OAuth connection as credentials: a Bearer access token, refreshed when it is due or after a 401,
 * and the scopes it was granted. Bound to the DoorFlow account its gateway was made for (when given): after a
 * reconnect signed in to another, a run still going there (or another replica's) sends nothing with the new
 * token; the account's next run gets a new gateway, and the pin check.
 */
public final class OAuthCredentials implements DoorFlowCredentials {

    private final OAuthConnection connection;
    private final String boundTo;

    /** Unbound: the installation's own connection, as doorsync.doorflow.auth picks it for each request. */
    public OAuthCredentials(OAuthConnection connection) {
        this(connection, null);
    }

    public OAuthCredentials(OAuthConnection connection, String doorflowAccount) {
        this.connection = connection;
        this.boundTo = doorflowAccount;
    }

    @Override
    public Authorization authorization() {
        return bearer(connection.token());
    }

    @Override
    public Authorization renew(Authorization rejected) {
        return bearer(connection.renewAfterRejection(rejected.version()));
    }

    private Authorization bearer(OAuthConnection.Token token) {
        if (boundTo != null && !boundTo.equals(token.doorflowAccount())) {
            throw new DoorFlowNotConnectedException("account " + connection.account() + " was connected again,"
                    + " to DoorFlow account " + token.doorflowAccount() + " instead of " + boundTo + ": nothing more"
                    + " is sent with this connection; its next run checks the new one against its pin");
        }
        return new Authorization("Bearer " + token.accessToken(), token.version());
    }

    @Override
    public boolean lacksScope(String scope) {
        String granted = connection.status().scopes(); // disconnected meanwhile: not known
        return granted != null && !List.of(granted.trim().split("\\s+")).contains(scope);
    }

}
