package io.doorsync.run;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.scheduler.Scheduled;

/** Runs a sync every doorsync.sync.interval; a tick that finds the previous run still going is skipped. */
@ApplicationScoped
public class SyncScheduler {

    private final SyncRunner sync;

    SyncScheduler(SyncRunner sync) {
        this.sync = sync;
    }

    @Scheduled(identity = "doorsync-sync", every = "${doorsync.sync.interval}",
            delayed = "${doorsync.sync.initial-delay}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        sync.runOnce("schedule");
    }
}
