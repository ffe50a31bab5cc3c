package io.doorsync.run.triggers;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.doorsync.Account;
import io.doorsync.accounts.AccountRegistry;
import io.doorsync.run.RunReport;
import io.doorsync.run.SyncRunner;
import io.doorsync.run.guards.WriterLease;
import io.quarkus.scheduler.Scheduled;

/**
 * Runs a sync of every account synced ({@link AccountRegistry}) every doorsync.sync.interval on the writer replica
 * (the installation's own in the tick, the others queued on {@link AccountRuns}; a tick that finds an account's
 * previous run still going skips it); a replica standing by asks for the writer lease every
 * doorsync.sync.standby-poll and, the moment it takes it, runs (a full reconcile: another replica ran before it).
 */
@ApplicationScoped
public class SyncScheduler {

    private static final Logger LOG = Logger.getLogger(SyncScheduler.class);

    private final SyncRunner sync;
    private final WriterLease lease;
    private final AccountRegistry accounts;
    private final AccountRuns others;

    SyncScheduler(SyncRunner sync, WriterLease lease, AccountRegistry accounts, AccountRuns others) {
        this.sync = sync;
        this.lease = lease;
        this.accounts = accounts;
        this.others = others;
    }

    @Scheduled(identity = "doorsync-sync", every = "${doorsync.sync.interval}",
            delayed = "${doorsync.sync.initial-delay}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        if (lease.holdOrTake()) {
            runEveryAccount("schedule");
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
                if (runEveryAccount("takeover") || !pause()) {
                    return;
                }
            }
        }
    }

    /** Whether the installation's own account ran (or is not synced): false when its run was skipped. */
    private boolean runEveryAccount(String trigger) {
        List<Account> synced = accounts.refresh();
        synced.stream().filter(a -> !Account.DEFAULT.equals(a)).forEach(a -> others.queue(a, trigger));
        return !synced.contains(Account.DEFAULT) || sync.runOnce(trigger).outcome() != RunReport.Outcome.SKIPPED;
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
