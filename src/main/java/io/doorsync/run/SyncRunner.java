package io.doorsync.run;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import io.doorsync.DoorsyncConfig;
import io.doorsync.crm.CrmReader.CrmSnapshot;
import io.doorsync.crm.CrmReader;
import io.doorsync.doorflow.DoorFlowGateway;
import io.doorsync.doorflow.DoorFlowMirror;
import io.doorsync.execute.Applier;
import io.doorsync.execute.PhotoSync;
import io.doorsync.execute.WritePermit;
import io.doorsync.plan.Change;
import io.doorsync.plan.PhotoPlanner;
import io.doorsync.plan.Plan;
import io.doorsync.plan.PlanInput;
import io.doorsync.plan.Planner;
import io.doorsync.store.JournalLine;
import io.doorsync.store.JournalOutcome;
import io.doorsync.store.LinkReader;
import io.doorsync.store.RunTotals;
import io.doorsync.store.SyncStore;
import io.quarkus.runtime.ShutdownEvent;

/**
 * One sync run, start to finish: take the lock, read the CRM, list DoorFlow, plan, apply, push to doors,
 * record. Runs never overlap: a local lock for this instance, an advisory lock across replicas.
 */
@ApplicationScoped
public class SyncRunner {

    private static final Logger LOG = Logger.getLogger(SyncRunner.class);

    private final DoorsyncConfig config;
    private final DataSource dataSource;
    private final CrmReader crm;
    private final DoorFlowGateway doorflow;
    private final SyncStore store;
    private final Applier applier;
    private final RunMetrics metrics;
    private final RevocationGuard guard;
    private final AccountPin accountPin;
    private final DoorFlowMirror mirror;
    private final PushToDoors pushToDoors;
    private final PlanInputs inputs;
    private final ProblemReports problems;
    private final PhotoSync photoSync;
    private final LinkReader links;

    private final ReentrantLock localLock = new ReentrantLock();
    private volatile Instant runningSince;
    private volatile Instant lastProgress;
    private volatile boolean stopping;
    private volatile RunReport lastReport;

    SyncRunner(DoorsyncConfig config, DataSource dataSource, CrmReader crm, DoorFlowGateway doorflow,
            SyncStore store, Applier applier, RunMetrics metrics, RevocationGuard guard, AccountPin accountPin,
            DoorFlowMirror mirror, PushToDoors pushToDoors, PlanInputs inputs, ProblemReports problems,
            PhotoSync photoSync, LinkReader links) {
        this.photoSync = photoSync;
        this.links = links;
        this.inputs = inputs;
        this.problems = problems;
        this.mirror = mirror;
        this.pushToDoors = pushToDoors;
        this.config = config;
        this.dataSource = dataSource;
        this.crm = crm;
        this.doorflow = doorflow;
        this.store = store;
        this.applier = applier;
        this.metrics = metrics;
        this.guard = guard;
        this.accountPin = accountPin;
        metrics.watch(this::runningSince, this::lastProgress);
    }

    /** Start of the run in progress in this instance, or null. */
    public Instant runningSince() {
        return runningSince;
    }

    public RunReport lastReport() {
        return lastReport;
    }

    /** When the run in progress last moved on (a phase finished, a change carried out), or null. */
    public Instant lastProgress() {
        return runningSince == null ? null : lastProgress;
    }

    private void progressed() {
        lastProgress = Instant.now();
    }

    /**
     * SIGTERM: no new run starts, the run in progress sends no further change (those left are journaled as not
     * attempted), lets the requests in flight finish, records itself as interrupted and releases the lock. The
     * wait is bounded by doorsync.sync.stop-timeout; a run cut off even so is closed as interrupted by the next
     * run, on any replica.
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

    public RunReport runOnce(String trigger) {
        return runOnce(trigger, false);
    }

    /**
     * One sync run; {@code allowRevocations} lets this one run past the revocation guard (an operator's
     * explicit decision after a run was held).
     */
    public RunReport runOnce(String trigger, boolean allowRevocations) {
        return runOnce(trigger, allowRevocations, null, null);
    }

    /**
     * A run after a CRM wake-up that named these members: it reads and plans only what concerns them (see
     * {@link PlanInputs}), with everyone's rules, locks, guard and journal.
     */
    public RunReport runFor(Set<String> members, String trigger) {
        return runOnce(trigger, false, null, Set.copyOf(members));
    }

    /**
     * A run that applies only one member's changes (an operator's "sync this member now"): the same locks, rules,
     * revocation guard and journal as any run. Problems found about other members are reported as usual.
     */
    public RunReport runMember(String memberId) {
        return runOnce("member " + memberId, false, memberId, null);
    }

    private RunReport runOnce(String trigger, boolean allowRevocations, String onlyMember, Set<String> named) {
        if (stopping) {
            return finish(RunReport.skipped(Instant.now(), "doorsync is stopping"));
        }
        try {
            return finish(withLocks(lock -> runLocked(trigger, allowRevocations, onlyMember, named, lock)));
        } catch (RunInProgressException e) {
            LOG.debugf("skipping this %s run: %s", trigger, e.getMessage());
            return finish(RunReport.skipped(Instant.now(), e.getMessage()));
        } catch (RuntimeException e) {
            // doorsync's own database failed (lock, run record): nothing could be recorded, so say so in the log.
            LOG.errorf("sync run could not run: %s", e.getMessage());
            return finish(RunReport.unrecorded(Instant.now(), e.getMessage()));
        } finally {
            MDC.remove(Applier.RUN_ID);
        }
    }

    /**
     * The dry run: reads the CRM and DoorFlow and plans, under the same locks as a run (so it sees what the
     * next run would), and writes nothing at all.
     */
    public Plan dryRun() throws RunInProgressException {
        return withLocks(lock -> {
            accountPin.verify();
            CrmSnapshot desired = crm.read();
            return Planner.plan(inputs.of(desired, doorflow.snapshot(config.credentials().enabled())));
        });
    }

    /** Runs {@code work} while no sync run can be in progress, here or on another replica (the demo's reset). */
    public void exclusively(Runnable work) throws RunInProgressException {
        withLocks(lock -> {
            work.run();
            return null;
        });
    }

    /** Another run holds the lock, here or on another replica. */
    public static class RunInProgressException extends Exception {
        RunInProgressException(String message) {
            super(message);
        }
    }

    static class DatabaseUnavailableException extends RuntimeException {
        DatabaseUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Runs {@code work} holding this instance's lock and the replicas' advisory lock. */
    private <T> T withLocks(Function<ReplicaLock, T> work) throws RunInProgressException {
        if (!localLock.tryLock()) {
            throw new RunInProgressException("a sync run is already in progress in this instance");
        }
        try (ReplicaLock lock = ReplicaLock.tryAcquire(dataSource)) {
            if (!lock.acquired()) {
                throw new RunInProgressException("another doorsync replica is running a sync");
            }
            return work.apply(lock);
        } catch (java.sql.SQLException e) {
            throw new DatabaseUnavailableException("doorsync's database is unavailable: " + e.getMessage(), e);
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

    private RunReport runLocked(String trigger, boolean allowRevocations, String onlyMember, Set<String> named,
            ReplicaLock lock) {
        Instant started = Instant.now();
        // Holding the lock, no other run can be in progress: a run still open was cut off by a crash.
        int closed = store.closeUnfinishedRuns(started, "interrupted: the process running it ended before it"
                + " finished; closed by the next run");
        if (closed > 0) {
            LOG.warnf("%d earlier sync run(s) had no end (the process stopped during a run): recorded as interrupted",
                    closed);
        }
        Long previousRunId = store.latestRunId();
        long runId = store.startRun(trigger, started);
        lastProgress = started;
        runningSince = started;
        MDC.put(Applier.RUN_ID, String.valueOf(runId)); // every log line of the run carries it (JSON logs: mdc.runId)
        int planned = 0;
        int applied = 0;
        int failed = 0;
        int unchanged = 0;
        int quarantined = 0;
        RunReport.Outcome outcome;
        String message;
        boolean writing = false;
        boolean complete = false;
        try {
            String account = accountPin.verify(); // before anything is read or written
            long t0 = System.nanoTime();
            RunReport last = lastReport;
            PlanInputs.Reading reading = inputs.read(account, previousRunId, runId, named, last != null
                    && last.outcome() == RunReport.Outcome.HELD ? "the revocation guard holds" : null,
                    this::progressed);
            CrmSnapshot desired = reading.desired();
            PlanInput input = reading.input();
            Set<String> scope = reading.scope();
            long t1 = System.nanoTime();
            Plan plan = onlyMember == null ? Planner.plan(input) : Planner.planFor(input, onlyMember);
            progressed();
            LOG.debugf("sync run %d: read in %d ms (DoorFlow: %s), planned %s in %d ms", runId, (t1 - t0) / 1_000_000,
                    reading.doorflow().describe(), reading.why(), (System.nanoTime() - t1) / 1_000_000);
            planned = plan.changes().size();
            unchanged = plan.unchanged();
            quarantined = plan.quarantined().size();
            problems.report(runId, plan, desired.rowsWithoutId(), started, scope);
            if (scope != null) {
                // The guard weighs what this plan takes against everyone with access, not the few planned.
                plan = plan.withRemovalBase(links.activeLinkCount());
            }

            String held = allowRevocations ? null : guard.holds(plan);
            metrics.guardHolding(held != null);
            if (held != null) {
                outcome = RunReport.Outcome.HELD;
                message = held;
                LOG.errorf("sync run %d held: %s", runId, held);
                store.journal(runId, List.of(JournalLine.ofRun("guard", JournalOutcome.HELD, held)));
                pushToDoors.owedByEarlierRuns(runId); // what they applied still reaches the doors
            } else {
                if (config.sync().pushToDoors() && plan.changes().stream().anyMatch(Change::writesDoorFlow)) {
                    store.owePush();
                }
                WritePermit permit = () -> stopping ? "doorsync is stopping" : lock.lostReason();
                writing = true;
                Applier.Applied done = applier.apply(runId, plan, reading.doorflow().everyoneListed(), permit,
                        this::progressed);
                List<Applier.Result> results = done.results();
                writing = false;
                inputs.carriedOut(scope, results);
                applied = (int) results.stream().filter(Applier.Result::applied).count();
                failed = results.size() - applied
                        + results.stream().mapToInt(Applier.Result::failedCredentials).sum();
                message = "%d changes planned, %d applied, %d failed, %d unchanged, %d quarantined%s"
                        .formatted(planned, applied, failed, unchanged, quarantined, scope == null ? ""
                                : "; planned for " + reading.why());
                String stopped = permit.stopReason();
                if (stopped == null && config.photos().enabled()) {
                    message += photos(runId, desired, input, plan, results, onlyMember != null ? Set.of(onlyMember)
                            : scope, permit).describe();
                    stopped = permit.stopReason();
                }
                if (stopped == null) {
                    boolean pushed = pushToDoors.afterRun(runId, results.stream().anyMatch(r -> r.applied()
                            && r.reachedDoorFlow()));
                    outcome = failed == 0 ? RunReport.Outcome.SUCCESS : RunReport.Outcome.PARTIAL;
                    complete = Completeness.of(done, pushed);
                    metrics.refusals(done.refused(), results.stream().filter(r -> r.applied()
                            && r.failedCredentials() == 0).map(r -> r.change().memberId()).toList(), scope == null && onlyMember == null);
                } else {
                    // Not applied and not failed: the changes left were journaled as not attempted.
                    outcome = stopping ? RunReport.Outcome.INTERRUPTED : RunReport.Outcome.FAILED;
                    message = "stopped writing: " + stopped + "; " + message;
                    LOG.errorf("sync run %d %s", runId, message);
                }
            }
        } catch (RuntimeException e) {
            outcome = RunReport.Outcome.FAILED;
            message = e.getMessage();
            LOG.errorf("sync run %d failed: %s", runId, e.getMessage());
            if (writing) {
                mirror.reconcileFullyNextRun("the last run stopped while writing, before it knew what it wrote");
            }
        } finally {
            runningSince = null;
        }
        RunReport report = new RunReport(runId, outcome, started, Instant.now(),
                new RunTotals(planned, applied, failed, unchanged, quarantined), message, complete);
        store.finishRun(runId, report.finishedAt(), outcome.label(), report.totals(), message, complete);
        long pruned = store.pruneHistory(started.minus(config.sync().historyRetention()));
        if (pruned > 0) {
            LOG.debugf("deleted %d runs older than %s (doorsync.sync.history-retention)", pruned,
                    config.sync().historyRetention());
        }
        metrics.counts(store.linkedCount(), store.quarantinedCount());
        if (planned > 0 || outcome != RunReport.Outcome.SUCCESS) {
            LOG.infof("sync run %d (%s): %s: %s", runId, trigger, outcome.label(), message);
        } else {
            LOG.debugf("sync run %d (%s): nothing to do", runId, trigger);
        }
        return report;
    }

    /**
     * The photo phase, after the run's other changes: planned from the links as they are now (a member linked by
     * this run gets its photo in this run too), for the members that may be written.
     */
    private PhotoSync.Done photos(long runId, CrmSnapshot desired, PlanInput input, Plan plan,
            List<Applier.Result> results, Set<String> scope, WritePermit permit) {
        Map<String, PhotoPlanner.Applied> applied = store.appliedPhotos();
        if (desired.photos().isEmpty() && applied.isEmpty()) {
            return new PhotoSync.Done(0, 0, 0, 0); // the CRM has no photos, and doorsync set none
        }
        boolean linked = results.stream().anyMatch(r -> r.applied() && (r.change() instanceof Change.CreatePerson
                || r.change() instanceof Change.AdoptPerson));
        Set<String> writable = PhotoPlanner.writable(desired.members(), plan);
        if (scope != null) {
            writable.retainAll(scope);
        }
        PhotoSync.Done done = photoSync.apply(runId, PhotoPlanner.plan(desired.photos(), linked ? links.links(scope)
                : input.links(), applied, writable), permit);
        if (!desired.photos().isEmpty()) { // the relation is there: the next runs need not hash what is unchanged
            store.rememberPhotoVersions(config.crm().schema(), CrmReader.PHOTO_VERSION);
        }
        return done;
    }
}
