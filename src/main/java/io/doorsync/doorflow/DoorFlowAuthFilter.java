package io.doorsync.doorflow;

import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;

/**
 * Adds one account's DoorFlow authentication to every call of its {@link DoorFlowApi} client. Registered on each
 * client by {@link DoorFlowGateways}, not on the interface: a client must never carry another account's key.
 */
final class DoorFlowAuthFilter implements ClientRequestFilter {

    private final DoorFlowCredentials credentials;

    DoorFlowAuthFilter(DoorFlowCredentials credentials) {
        this.credentials = credentials;
    }

    @Override
    public void filter(ClientRequestContext request) {
        request.getHeaders().putSingle(HttpHeaders.AUTHORIZATION, credentials.authorization().header());
    }
}
