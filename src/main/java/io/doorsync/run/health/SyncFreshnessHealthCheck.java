package io.doorsync.run.health;

import io.doorsync.Account;
import io.doorsync.run.SyncRunner;
import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import io.doorsync.DoorsyncConfig;
import io.doorsync.store.RunStore;
import io.smallrye.health.api.HealthGroup;

/**
 * Have the doors followed the CRM lately? DOWN when no run has succeeded for doorsync.sync.max-success-age
 * (counted from start-up while there has been none), unless a run is still making progress (moved on within
 * doorsync.sync.stuck-after) and started less than {@link #PROGRESSING_RUN_COUNTS} ago: a first sync of 100,000
 * members takes about a quarter of an hour and is not a stale sync. In the "sync" group for alerting: the cause
 * is usually outside the pod (DoorFlow, the CRM, a held run), so it must not take the pod out of service.
 */
@HealthGroup("sync")
@ApplicationScoped
public class SyncFreshnessHealthCheck implements HealthCheck {

    /** How long a run that keeps moving counts as fresh; the alert DoorsyncNoSuccessfulSync uses the same hour. */
    static final Duration PROGRESSING_RUN_COUNTS = Duration.ofHours(1);

    private final RunStore runs;
    private final SyncRunner sync;
    private final Duration maxAge;
    private final Duration stuckAfter;
    private final Instant started = Instant.now();

    SyncFreshnessHealthCheck(RunStore runs, SyncRunner sync, DoorsyncConfig config) {
        this.runs = runs;
        this.sync = sync;
        this.maxAge = config.sync().maxSuccessAge();
        this.stuckAfter = config.sync().stuckAfter();
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder health = HealthCheckResponse.named("doorsync-last-success");
        Instant last = runs.lastSuccessAt(Account.DEFAULT);
        Instant since = last == null ? started : last;
        Duration age = Duration.between(since, Instant.now());
        health.withData("maxAgeSeconds", maxAge.toSeconds()).withData("ageSeconds", age.toSeconds());
        if (last != null) {
            health.withData("lastSuccessAt", last.toString());
        }
        Instant now = Instant.now();
        Instant running = sync.runningSince(Account.DEFAULT); // another account's moving run is not this one's
        Instant moved = sync.lastProgress(Account.DEFAULT);
        boolean progressing = running != null && moved != null
                && Duration.between(moved, now).compareTo(stuckAfter) < 0
                && Duration.between(running, now).compareTo(PROGRESSING_RUN_COUNTS) < 0;
        if (progressing) {
            health.withData("runInProgressSince", running.toString()).withData("lastProgressAt", moved.toString());
        }
        return (age.compareTo(maxAge) > 0 && !progressing ? health.down() : health.up()).build();
    }
}
