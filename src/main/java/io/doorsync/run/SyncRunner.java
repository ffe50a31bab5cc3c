package io.doorsync.run;

import java.time.Instant;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import io.doorsync.Account;
import io.doorsync.DoorsyncConfig;
import io.doorsync.execute.Applier;
import io.doorsync.execute.WritePermit;
import io.doorsync.plan.Plan;
import io.doorsync.run.guards.ReplicaLock;
import io.quarkus.runtime.ShutdownEvent;

/**
 * One sync run of the default account (the only one, until accounts are added), start to finish: the locks, the record around it ({@link RunRecord}), the phases in between
 * ({@link RunPipeline}), and the lifecycle (stopping, progress, the last report). Runs never overlap: a local lock
 * for this instance, an advisory lock across replicas.
 */
@ApplicationScoped
public class SyncRunner {

    private static final Logger LOG = Logger.getLogger(SyncRunner.class);

    private final DoorsyncConfig config;
    private final DataSource dataSource;
    private final RunMetrics metrics;
    private final RunRecord record;
    private final RunPipeline pipeline;

    private final ReentrantLock localLock = new ReentrantLock();
    private volatile Instant runningSince;
    private volatile Instant lastProgress;
    private volatile boolean stopping;
    private volatile RunReport lastReport;

    SyncRunner(DoorsyncConfig config, DataSource dataSource, RunMetrics metrics, RunRecord record,
            RunPipeline pipeline) {
        this.config = config;
        this.dataSource = dataSource;
        this.metrics = metrics;
        this.record = record;
        this.pipeline = pipeline;
        metrics.watch(this::runningSince, this::lastProgress);
    }

    /** A run of everyone; see {@link #runOnce(String, boolean)}. */
    public RunReport runOnce(String trigger) {
        return runOnce(trigger, false);
    }

    /** {@code allowRevocations}: this one run may pass the revocation guard (an operator's decision after a hold). */
    public RunReport runOnce(String trigger, boolean allowRevocations) {
        return run(new RunRequest(Account.DEFAULT, trigger, allowRevocations, null, null, null));
    }

    /** A run after a CRM wake-up naming these members: it reads and plans what concerns them ({@link PlanInputs}). */
    public RunReport runFor(Set<String> members, String trigger) {
        return run(new RunRequest(Account.DEFAULT, trigger, false, null, Set.copyOf(members), null));
    }

    /** A run applying one member's changes only (an operator's "sync this member now"), under the same rules. */
    public RunReport runMember(String memberId) {
        return run(new RunRequest(Account.DEFAULT, "member " + memberId, false, memberId, null, null));
    }

    /** The dry run: read and planned under the same locks as a run (so it sees what the next would), no writes. */
    public Plan dryRun() throws RunInProgressException {
        return withLocks(Account.DEFAULT, lock -> pipeline.dryRun(Account.DEFAULT));
    }

    /** Runs {@code work} while no sync run can be in progress, here or on another replica (the demo's reset). */
    public void exclusively(Runnable work) throws RunInProgressException {
        withLocks(Account.DEFAULT, lock -> {
            work.run();
            return null;
        });
    }

    private RunReport run(RunRequest request) {
        if (stopping) {
            return finish(RunReport.skipped(Instant.now(), "doorsync is stopping"));
        }
        try {
            return finish(withLocks(request.account(), lock -> runLocked(request, lock)));
        } catch (RunInProgressException e) {
            LOG.debugf("skipping this %s run: %s", request.trigger(), e.getMessage());
            return finish(RunReport.skipped(Instant.now(), e.getMessage()));
        } catch (RuntimeException e) {
            // doorsync's own database failed (lock, run record): nothing could be recorded, so say so in the log.
            LOG.errorf("sync run could not run: %s", e.getMessage());
            return finish(RunReport.unrecorded(Instant.now(), e.getMessage()));
        } finally {
            MDC.remove(Applier.RUN_ID);
        }
    }

    private RunReport runLocked(RunRequest request, ReplicaLock lock) {
        RunReport last = lastReport;
        if (last != null && last.outcome() == RunReport.Outcome.HELD) {
            request = new RunRequest(request.account(), request.trigger(), request.allowRevocations(),
                    request.onlyMember(), request.named(), "the revocation guard holds");
        }
        WritePermit permit = () -> stopping ? "doorsync is stopping" : lock.lostReason();
        RunContext run = record.start(request, permit, () -> lastProgress = Instant.now());
        lastProgress = run.started();
        runningSince = run.started();
        MDC.put(Applier.RUN_ID, String.valueOf(run.runId())); // every log line of the run carries it (mdc.runId)
        try {
            run = pipeline.run(run);
        } finally {
            runningSince = null;
        }
        return record.finish(run, stopping);
    }

    /** Runs {@code work} holding this instance's lock and the replicas' advisory lock of the account. */
    private <T> T withLocks(Account account, Function<ReplicaLock, T> work) throws RunInProgressException {
        if (!localLock.tryLock()) {
            throw new RunInProgressException("a sync run is already in progress in this instance");
        }
        try (ReplicaLock lock = ReplicaLock.tryAcquire(dataSource, account)) {
            if (!lock.acquired()) {
                throw new RunInProgressException("another doorsync replica is running a sync");
            }
            return work.apply(lock);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("doorsync's database is unavailable: " + e.getMessage(), e);
        } finally {
            localLock.unlock();
        }
    }

    private RunReport finish(RunReport report) {
        metrics.run(report);
        if (report.outcome() != RunReport.Outcome.SKIPPED) {
            lastReport = report;
        }
        return report;
    }

    /**
     * SIGTERM: no new run starts; the run in progress sends no further change (those left are journaled as not
     * attempted), finishes its requests in flight, records itself as interrupted and releases the lock, within
     * doorsync.sync.stop-timeout. A run cut off even so is closed as interrupted by the next run, on any replica.
     */
    void stop(@Observes ShutdownEvent event) {
        stopping = true;
        if (runningSince == null) {
            return;
        }
        LOG.infof("stopping: waiting up to %s for the sync run in progress to wind down", config.sync().stopTimeout());
        try {
            if (localLock.tryLock(config.sync().stopTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                localLock.unlock();
            } else {
                LOG.warnf("the sync run in progress did not stop within %s; the next run records it as interrupted",
                        config.sync().stopTimeout());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Start of the run in progress in this instance, or null. */
    public Instant runningSince() {
        return runningSince;
    }

    /** When the run in progress last moved on (a phase finished, a change carried out), or null. */
    public Instant lastProgress() {
        return runningSince == null ? null : lastProgress;
    }

    public RunReport lastReport() {
        return lastReport;
    }

    /** Another run holds the lock, here or on another replica. */
    public static class RunInProgressException extends Exception {
        RunInProgressException(String message) {
            super(message);
        }
    }
}
