package io.doorsync.run;

import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import io.doorsync.DoorsyncConfig;
import io.doorsync.history.RunHistory;
import io.smallrye.health.api.HealthGroup;

/**
 * Have the doors followed the CRM lately? DOWN when no run has succeeded for doorsync.sync.max-success-age
 * (counted from start-up while there has been none). In the "sync" group for alerting: the cause is usually
 * outside the pod (DoorFlow, the CRM, a held run), so it must not take the pod out of service.
 */
@HealthGroup("sync")
@ApplicationScoped
public class SyncFreshnessHealthCheck implements HealthCheck {

    private final RunHistory history;
    private final Duration maxAge;
    private final Instant started = Instant.now();

    SyncFreshnessHealthCheck(RunHistory history, DoorsyncConfig config) {
        this.history = history;
        this.maxAge = config.sync().maxSuccessAge();
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder health = HealthCheckResponse.named("doorsync-last-success");
        Instant last = history.lastSuccessAt();
        Instant since = last == null ? started : last;
        Duration age = Duration.between(since, Instant.now());
        health.withData("maxAgeSeconds", maxAge.toSeconds()).withData("ageSeconds", age.toSeconds());
        if (last != null) {
            health.withData("lastSuccessAt", last.toString());
        }
        return (age.compareTo(maxAge) > 0 ? health.down() : health.up()).build();
    }
}
