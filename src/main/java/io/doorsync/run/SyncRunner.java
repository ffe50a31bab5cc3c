package io.doorsync.run;

import java.time.Instant;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import javax.sql.DataSource;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import io.doorsync.Account;
import io.doorsync.DoorsyncConfig;
import io.doorsync.execute.Applier;
import io.doorsync.execute.WritePermit;
import io.doorsync.plan.Plan;
import io.doorsync.run.Lanes.Lane;
import io.doorsync.run.guards.ReplicaLock;
import io.quarkus.runtime.ShutdownEvent;

/**
 * One sync run of an account, start to finish: the locks, the record around it ({@link RunRecord}), the phases in
 * between ({@link RunPipeline}), and the lifecycle (stopping, progress, the last report). An account's runs never
 * overlap: a local lock for this instance, an advisory lock across replicas; different accounts' runs may.
 */
@ApplicationScoped
public class SyncRunner {

    private static final Logger LOG = Logger.getLogger(SyncRunner.class);

    private final DoorsyncConfig config;
    private final DataSource dataSource;
    private final RunMetrics metrics;
    private final RunRecord record;
    private final RunPipeline pipeline;
    private final Lanes lanes = new Lanes();
    private volatile boolean stopping;

    SyncRunner(DoorsyncConfig config, DataSource dataSource, RunMetrics metrics, RunRecord record,
            RunPipeline pipeline) {
        this.config = config;
        this.dataSource = dataSource;
        this.metrics = metrics;
        this.record = record;
        this.pipeline = pipeline;
        metrics.watch(lanes::runningSince, lanes::lastProgress);
    }

    /** A run of the default account's everyone; see {@link #runOnce(Account, String, boolean)}. */
    public RunReport runOnce(String trigger) {
        return runOnce(Account.DEFAULT, trigger, false);
    }

    /** {@code allowRevocations}: this one run may pass the revocation guard (an operator's decision after a hold). */
    public RunReport runOnce(Account account, String trigger, boolean allowRevocations) {
        return run(new RunRequest(account, trigger, allowRevocations, null, null, null));
    }

    /** A run after a CRM wake-up naming these members: it reads and plans what concerns them ({@link PlanInputs}). */
    public RunReport runFor(Set<String> members, String trigger) {
        return run(new RunRequest(Account.DEFAULT, trigger, false, null, Set.copyOf(members), null));
    }

    /** A run applying one member's changes only (an operator's "sync this member now"), under the same rules. */
    public RunReport runMember(Account account, String memberId) {
        return run(new RunRequest(account, "member " + memberId, false, memberId, null, null));
    }

    /** The dry run: read and planned under the same locks as a run (so it sees what the next would), no writes. */
    public Plan dryRun(Account account) throws RunInProgressException {
        return withLocks(account, lock -> pipeline.dryRun(account));
    }

    /** Runs {@code work} while no sync run can be in progress, here or on another replica (the demo's reset). */
    public void exclusively(Runnable work) throws RunInProgressException {
        withLocks(Account.DEFAULT, lock -> {
            work.run();
            return null;
        });
    }

    private RunReport run(RunRequest request) {
        Lane lane = lanes.of(request.account());
        if (stopping) {
            return finish(lane, RunReport.skipped(Instant.now(), "doorsync is stopping"));
        }
        try {
            return finish(lane, withLocks(request.account(), lock -> runLocked(lane, request, lock)));
        } catch (RunInProgressException e) {
            LOG.debugf("skipping this %s run of account %s: %s", request.trigger(), request.account(), e.getMessage());
            return finish(lane, RunReport.skipped(Instant.now(), e.getMessage()));
        } catch (RuntimeException e) {
            // doorsync's own database failed (lock, run record): nothing could be recorded, so say so in the log.
            LOG.errorf("sync run of account %s could not run: %s", request.account(), e.getMessage());
            return finish(lane, RunReport.unrecorded(Instant.now(), e.getMessage()));
        } finally {
            MDC.remove(Applier.RUN_ID);
        }
    }

    private RunReport runLocked(Lane lane, RunRequest request, ReplicaLock lock) {
        RunReport last = lane.lastReport;
        if (last != null && last.outcome() == RunReport.Outcome.HELD) {
            request = new RunRequest(request.account(), request.trigger(), request.allowRevocations(),
                    request.onlyMember(), request.named(), "the revocation guard holds");
        }
        WritePermit permit = () -> stopping ? "doorsync is stopping" : lock.lostReason();
        RunContext run = record.start(request, permit, () -> lane.lastProgress = Instant.now());
        lane.lastProgress = run.started();
        lane.runningSince = run.started();
        MDC.put(Applier.RUN_ID, String.valueOf(run.runId())); // every log line of the run carries it (mdc.runId)
        try {
            run = pipeline.run(run);
        } finally {
            lane.runningSince = null;
        }
        return record.finish(run, stopping);
    }

    /** Runs {@code work} holding the account's lock in this instance and its advisory lock across replicas. */
    private <T> T withLocks(Account account, Function<ReplicaLock, T> work) throws RunInProgressException {
        Lane lane = lanes.of(account);
        if (!lane.lock.tryLock()) {
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
            lane.lock.unlock();
        }
    }

    private RunReport finish(Lane lane, RunReport report) {
        metrics.run(lane.account, report);
        if (report.outcome() != RunReport.Outcome.SKIPPED) {
            lane.lastReport = report;
        }
        return report;
    }

    /**
     * SIGTERM: no new run starts; the runs in progress send no further change (those left are journaled as not
     * attempted), finish their requests in flight, record themselves as interrupted and release their locks, within
     * doorsync.sync.stop-timeout. A run cut off even so is closed as interrupted by its account's next run.
     */
    void stop(@Observes @Priority(1) ShutdownEvent event) { // first: runs stop writing before accounts are let go
        stopping = true;
        if (runningSince(null) == null) {
            return;
        }
        LOG.infof("stopping: waiting up to %s for the sync runs in progress to wind down", config.sync().stopTimeout());
        long deadline = System.nanoTime() + config.sync().stopTimeout().toNanos();
        try {
            for (Lane lane : lanes.all()) {
                if (lane.lock.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    lane.lock.unlock();
                } else {
                    LOG.warnf("a sync run in progress did not stop within %s; its next run records it as interrupted",
                            config.sync().stopTimeout());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Start of the account's run in progress here ({@code null}: the oldest of any account's), or null. */
    public Instant runningSince(Account account) {
        return lanes.runningSince(account);
    }

    /** When the account's run in progress here ({@code null}: any's, the slowest) last moved on, or null. */
    public Instant lastProgress(Account account) {
        return lanes.lastProgress(account);
    }

    /** The account's last run here that was not skipped, or null. */
    public RunReport lastReport(Account account) {
        Lane lane = lanes.existing(account);
        return lane == null ? null : lane.lastReport;
    }

    /** Another run holds the lock, here or on another replica. */
    public static class RunInProgressException extends Exception {
        RunInProgressException(String message) {
            super(message);
        }
    }
}
