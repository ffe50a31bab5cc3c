package io.doorsync.ops;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import io.doorsync.doorflow.ConfiguredCredentials;
import io.doorsync.doorflow.oauth.DoorFlowOAuth;
import io.doorsync.doorflow.oauth.OAuthConnection;
import io.smallrye.health.api.HealthGroup;

/**
 * Can doorsync authenticate to DoorFlow? In the "sync" group (/q/health/sync) for alerting, not in readiness:
 * a disconnected doorsync must stay in service so the admin can reach /admin and reconnect.
 */
@HealthGroup("sync")
@ApplicationScoped
public class DoorFlowConnectionHealthCheck implements HealthCheck {

    private final DoorFlowOAuth oauth;
    private final ConfiguredCredentials credentials;

    DoorFlowConnectionHealthCheck(DoorFlowOAuth oauth, ConfiguredCredentials credentials) {
        this.oauth = oauth;
        this.credentials = credentials;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder health = HealthCheckResponse.named("doorsync-doorflow-connection");
        OAuthConnection.Status status = oauth.connection().map(OAuthConnection::status).orElse(null);
        if (status != null && status.state() == OAuthConnection.State.RECONNECT_NEEDED) {
            return health.down().withData("auth", "oauth").withData("state", "reconnect needed")
                    .withData("problem", status.problem()).withData("action", "an admin reconnects on /admin").build();
        }
        if (status != null && status.state() == OAuthConnection.State.CONNECTED) {
            health.withData("auth", "oauth").withData("state", "connected");
            if (status.expiresAt() != null) {
                health.withData("tokenExpiresAt", status.expiresAt().toString());
            }
            return health.up().build();
        }
        if ("none".equals(credentials.describe())) {
            return health.down().withData("state", "not connected").withData("problem", "no DoorFlow credentials:"
                    + " connect on /admin, or set doorsync.doorflow.api-key").build();
        }
        return health.up().withData("auth", "static (API key or token)").build();
    }
}
