package io.doorsync.run.triggers;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.doorsync.Account;
import io.doorsync.accounts.AccountRegistry;
import io.doorsync.run.RunMetrics;
import io.doorsync.run.RunReport;
import io.doorsync.run.SyncRunner;
import io.doorsync.run.guards.WriterLease;
import io.quarkus.scheduler.Scheduled;

/**
 * Runs a sync of the installation's own account every doorsync.sync.interval on the writer replica (a tick that
 * finds the previous run still going is skipped); a replica standing by asks for the writer lease every
 * doorsync.sync.standby-poll and, the moment it takes it, runs (a full reconcile: another replica ran before it).
 * Each tick also reads the accounts again ({@link AccountRegistry}) and offers a new one to the replicas
 * ({@link AccountOwners}, which run the accounts besides the installation's own wherever they are held).
 */
@ApplicationScoped
public class SyncScheduler {

    private static final Logger LOG = Logger.getLogger(SyncScheduler.class);

    private final RunMetrics metrics;
    private final SyncRunner sync;
    private final WriterLease lease;
    private final AccountRegistry accounts;
    private final AccountOwners others;

    SyncScheduler(SyncRunner sync, WriterLease lease, AccountRegistry accounts, AccountOwners others,
            RunMetrics metrics) {
        this.metrics = metrics;
        this.sync = sync;
        this.lease = lease;
        this.accounts = accounts;
        this.others = others;
    }

    @Scheduled(identity = "doorsync-sync", every = "${doorsync.sync.interval}",
            delayed = "${doorsync.sync.initial-delay}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        List<Account> synced = accounts.refresh();
        others.offer(synced);
        Set<Account> here = new HashSet<>(others.holding());
        if (synced.contains(Account.DEFAULT)) {
            here.add(Account.DEFAULT);
        }
        metrics.runningHere(here);
        if (lease.holdOrTake()) {
            runOwnAccount("schedule");
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
                if (runOwnAccount("takeover") || !pause()) {
                    return;
                }
            }
        }
    }

    /** Whether the installation's own account ran (or is not synced): false when its run was skipped. */
    private boolean runOwnAccount(String trigger) {
        return !accounts.synced().contains(Account.DEFAULT)
                || sync.runOnce(trigger).outcome() != RunReport.Outcome.SKIPPED;
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
