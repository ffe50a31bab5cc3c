package io.doorsync.run;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.doorsync.Account;
import io.doorsync.DoorsyncConfig;
import io.doorsync.execute.Applier;
import io.doorsync.execute.WritePermit;
import io.doorsync.plan.Plan;
import io.doorsync.store.RunTotals;
import io.doorsync.store.LinkStore;
import io.doorsync.store.QuarantineStore;
import io.doorsync.store.RunStore;

/**
 * Record: a run's row in doorsync.sync_run, opened before the first phase and closed with its outcome, totals and
 * summary after the last; the history past its retention pruned; the gauges of links and quarantine updated.
 */
@ApplicationScoped
class RunRecord {

    private static final Logger LOG = Logger.getLogger(RunRecord.class);

    private final DoorsyncConfig config;
    private final LinkStore links;
    private final QuarantineStore quarantine;
    private final RunStore runs;
    private final RunMetrics metrics;

    RunRecord(DoorsyncConfig config, LinkStore links, QuarantineStore quarantine, RunStore runs, RunMetrics metrics) {
        this.config = config;
        this.links = links;
        this.quarantine = quarantine;
        this.runs = runs;
        this.metrics = metrics;
    }

    /** Opens the run's record. Holding the run lock, a run still open was cut off by a crash: it is closed first. */
    RunContext start(RunRequest request, WritePermit permit, Runnable progressed) {
        Instant started = Instant.now();
        int closed = runs.closeUnfinishedRuns(request.account(), started, "interrupted: the process running it ended before it"
                + " finished; closed by the next run");
        if (closed > 0) {
            LOG.warnf("%d earlier sync run(s) had no end (the process stopped during a run): recorded as interrupted",
                    closed);
        }
        Long previousRunId = runs.latestRunId(request.account());
        long runId = runs.startRun(request.account(), request.trigger(), started);
        return RunContext.begin(request, runId, started, previousRunId, permit, progressed);
    }

    /** Closes the run's record; {@code stopping}: doorsync is shutting down (a stopped run is interrupted). */
    RunReport finish(RunContext run, boolean stopping) {
        Plan plan = run.plan();
        int planned = plan == null ? 0 : plan.changes().size();
        int unchanged = plan == null ? 0 : plan.unchanged();
        int quarantined = plan == null ? 0 : plan.quarantined().size();
        int applied = 0;
        int failed = 0;
        if (run.applied() != null) {
            applied = (int) run.applied().results().stream().filter(Applier.Result::applied).count();
            failed = run.applied().results().size() - applied
                    + run.applied().results().stream().mapToInt(Applier.Result::failedCredentials).sum();
        }
        String summary = "%d changes planned, %d applied, %d failed, %d unchanged, %d quarantined%s"
                .formatted(planned, applied, failed, unchanged, quarantined, run.scope() == null ? ""
                        : "; planned for " + run.reading().why()) + run.carried();
        RunReport.Outcome outcome;
        String message;
        if (run.failure() != null) {
            outcome = RunReport.Outcome.FAILED;
            message = run.failure().getMessage();
            LOG.errorf("sync run %d failed: %s", run.runId(), message);
        } else if (run.held() != null) {
            outcome = RunReport.Outcome.HELD;
            message = run.held();
        } else if (run.stopped() != null) {
            // Not applied and not failed: the changes left were journaled as not attempted.
            outcome = stopping ? RunReport.Outcome.INTERRUPTED : RunReport.Outcome.FAILED;
            message = "stopped writing: " + run.stopped() + "; " + summary;
            LOG.errorf("sync run %d %s", run.runId(), message);
        } else {
            outcome = failed == 0 ? RunReport.Outcome.SUCCESS : RunReport.Outcome.PARTIAL;
            message = summary;
        }
        RunReport report = new RunReport(run.runId(), outcome, run.started(), Instant.now(),
                new RunTotals(planned, applied, failed, unchanged, quarantined), message, run.complete());
        runs.finishRun(run.runId(), report.finishedAt(), outcome.label(), report.totals(), message, run.complete());
        long pruned = runs.pruneHistory(run.started().minus(config.sync().historyRetention()));
        if (pruned > 0) {
            LOG.debugf("deleted %d runs older than %s (doorsync.sync.history-retention)", pruned,
                    config.sync().historyRetention());
        }
        metrics.counts(run.account(), links.linkedCount(run.account()), quarantine.quarantinedCount(run.account()));
        if (planned > 0 || outcome != RunReport.Outcome.SUCCESS) {
            LOG.infof("sync run %d (%s): %s: %s", run.runId(), run.request().trigger(), outcome.label(), message);
        } else {
            LOG.debugf("sync run %d (%s): nothing to do", run.runId(), run.request().trigger());
        }
        return report;
    }
}
