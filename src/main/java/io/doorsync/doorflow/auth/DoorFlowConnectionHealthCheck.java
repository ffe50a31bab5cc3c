package io.doorsync.doorflow.auth;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import io.smallrye.health.api.HealthGroup;

/**
 * Can doorsync authenticate to DoorFlow? In the "sync" group (/q/health/group/sync) for alerting, not in
 * readiness: a disconnected doorsync must stay in service so the admin can reach /admin and reconnect.
 */
@HealthGroup("sync")
@ApplicationScoped
public class DoorFlowConnectionHealthCheck implements HealthCheck {

    private final DoorFlowAuth auth;

    DoorFlowConnectionHealthCheck(DoorFlowAuth auth) {
        this.auth = auth;
    }

    @Override
    public HealthCheckResponse call() {
        AuthStatus status = auth.status();
        HealthCheckResponseBuilder health = HealthCheckResponse.named("doorsync-doorflow-connection")
                .withData("auth", status.auth()).withData("state", status.state().replace('_', ' '));
        if (status.tokenExpiresAt() != null) {
            health.withData("tokenExpiresAt", status.tokenExpiresAt().toString());
        }
        if (status.problem() != null) {
            health.withData("problem", status.problem());
        }
        if (AuthStatus.RECONNECT_NEEDED.equals(status.state())) {
            health.withData("action", "an admin reconnects on /admin");
        }
        return health.status(status.usable()).build();
    }
}
