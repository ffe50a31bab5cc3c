package io.doorsync.run.triggers;

import io.doorsync.run.guards.WriterLease;
import io.doorsync.run.SyncRunner;
import io.doorsync.run.RunReport;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;

/**
 * Runs a sync every doorsync.sync.interval on the writer replica (a tick that finds the previous run still going is
 * skipped); a replica standing by asks for the writer lease every doorsync.sync.standby-poll and, the moment it
 * takes it, runs (a full reconcile: another replica ran before it).
 */
@ApplicationScoped
public class SyncScheduler {

    private static final Logger LOG = Logger.getLogger(SyncScheduler.class);

    private final SyncRunner sync;
    private final WriterLease lease;

    SyncScheduler(SyncRunner sync, WriterLease lease) {
        this.sync = sync;
        this.lease = lease;
    }

    @Scheduled(identity = "doorsync-sync", every = "${doorsync.sync.interval}",
            delayed = "${doorsync.sync.initial-delay}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        if (lease.holdOrTake()) {
            sync.runOnce("schedule");
        } else {
            LOG.debug("standing by: another replica is the writer");
        }
    }

    @Scheduled(identity = "doorsync-standby", every = "${doorsync.sync.standby-poll}",
            delayed = "${doorsync.sync.standby-poll}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void standBy() {
        if (!lease.isWriter()) {
            lease.holdOrTake();
        }
        // Owed however the lease was taken (here, by a wake-up or the check-ins), until a run is not skipped: the
        // old writer's last run may still hold the run lock for a moment.
        if (lease.takenOver()) {
            for (int tries = 0; tries < 60 && lease.isWriter(); tries++) {
                if (sync.runOnce("takeover").outcome() != RunReport.Outcome.SKIPPED || !pause()) {
                    return;
                }
            }
        }
    }

    private static boolean pause() {
        try {
            Thread.sleep(500);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
