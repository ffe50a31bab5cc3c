package io.doorsync.ops;

import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

import io.doorsync.DoorsyncConfig;
import io.doorsync.apply.RunReport;
import io.doorsync.apply.SyncService;

/** Liveness: the sync loop is not wedged (a run that never ends means a restart is the cure). */
@Liveness
@ApplicationScoped
public class SyncLoopHealthCheck implements HealthCheck {

    private final SyncService sync;
    private final Duration stuckAfter;

    SyncLoopHealthCheck(SyncService sync, DoorsyncConfig config) {
        this.sync = sync;
        this.stuckAfter = config.sync().stuckAfter();
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("doorsync-sync-loop").up();
        Instant since = sync.runningSince();
        if (since != null) {
            response.withData("runningSince", since.toString());
            if (Duration.between(since, Instant.now()).compareTo(stuckAfter) > 0) {
                response.down().withData("reason", "a sync run has been going for more than " + stuckAfter);
            }
        }
        RunReport last = sync.lastReport();
        if (last != null) {
            response.withData("lastOutcome", last.outcome().label()).withData("lastFinishedAt",
                    last.finishedAt().toString());
        }
        return response.build();
    }
}
