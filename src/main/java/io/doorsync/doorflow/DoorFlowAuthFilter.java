package io.doorsync.doorflow;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;

/** Adds DoorFlow authentication to every call of {@link DoorFlowApi}. */
@ApplicationScoped
public class DoorFlowAuthFilter implements ClientRequestFilter {

    @Inject
    DoorFlowCredentials credentials;

    @Override
    public void filter(ClientRequestContext request) {
        request.getHeaders().putSingle(HttpHeaders.AUTHORIZATION, credentials.authorization().header());
    }
}
