package io.doorsync.run.health;

import io.doorsync.run.SyncRunner;
import io.doorsync.run.RunReport;
import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

import io.doorsync.Account;
import io.doorsync.DoorsyncConfig;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.scheduler.Trigger;

/**
 * Liveness: the sync loop is alive and not wedged. DOWN when a run has made no progress (no phase finished, no
 * change carried out) for doorsync.sync.stuck-after, or when the scheduler has stopped firing (no tick for three
 * intervals, at least a minute): in both cases a restart is the cure. A long run that keeps applying changes (a
 * first sync of a large CRM) is alive however long it takes; DoorFlow or the CRM being down does not make it
 * DOWN either (the run fails and the next one starts).
 */
@Liveness
@ApplicationScoped
public class SyncLoopHealthCheck implements HealthCheck {

    private final SyncRunner sync;
    private final Scheduler scheduler;
    private final Duration stuckAfter;
    private final Duration silentAfter;
    private final Instant started = Instant.now();

    SyncLoopHealthCheck(SyncRunner sync, Scheduler scheduler, DoorsyncConfig config) {
        this.sync = sync;
        this.scheduler = scheduler;
        this.stuckAfter = config.sync().stuckAfter();
        Duration threeTicks = config.sync().interval().multipliedBy(3).plus(config.sync().initialDelay());
        this.silentAfter = threeTicks.compareTo(Duration.ofMinutes(1)) > 0 ? threeTicks : Duration.ofMinutes(1);
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("doorsync-sync-loop").up();
        Trigger trigger = scheduler.isRunning() ? scheduler.getScheduledJob("doorsync-sync") : null;
        if (trigger != null) {
            Instant lastTick = trigger.getPreviousFireTime() == null ? started : trigger.getPreviousFireTime();
            response.withData("lastTick", lastTick.toString());
            if (sync.runningSince(null) == null && Duration.between(lastTick, Instant.now()).compareTo(silentAfter) > 0) {
                response.down().withData("reason", "the scheduler has not fired for more than " + silentAfter);
            }
        }
        Instant since = sync.runningSince(null);
        Instant progress = sync.lastProgress(null);
        if (since != null) {
            response.withData("runningSince", since.toString()).withData("lastProgress", String.valueOf(progress));
            String stuck = stuck(progress, Instant.now(), stuckAfter);
            if (stuck != null) {
                response.down().withData("reason", stuck);
            }
        }
        RunReport last = sync.lastReport(Account.DEFAULT);
        if (last != null) {
            response.withData("lastOutcome", last.outcome().label()).withData("lastFinishedAt",
                    last.finishedAt().toString());
        }
        return response.build();
    }

    /** Why a run in progress counts as wedged, or null while it moves. */
    static String stuck(Instant lastProgress, Instant now, Duration stuckAfter) {
        return lastProgress != null && Duration.between(lastProgress, now).compareTo(stuckAfter) > 0
                ? "the sync run in progress has made no progress for more than " + stuckAfter : null;
    }
}
