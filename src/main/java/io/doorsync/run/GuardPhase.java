package io.doorsync.run;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.doorsync.run.guards.RevocationGuard;
import io.doorsync.store.JournalLine;
import io.doorsync.store.JournalOutcome;
import io.doorsync.store.RunStore;

/**
 * Guard: the revocation guard weighs what the plan takes away. A held run writes nothing of its own, but still
 * sends the push to doors earlier runs owe.
 */
@ApplicationScoped
class GuardPhase implements Phase {

    private static final Logger LOG = Logger.getLogger(GuardPhase.class);

    private final RevocationGuard guard;
    private final RunMetrics metrics;
    private final RunStore runs;
    private final PushToDoors pushToDoors;

    GuardPhase(RevocationGuard guard, RunMetrics metrics, RunStore runs, PushToDoors pushToDoors) {
        this.guard = guard;
        this.metrics = metrics;
        this.runs = runs;
        this.pushToDoors = pushToDoors;
    }

    @Override
    public RunContext run(RunContext run) {
        String held = run.request().allowRevocations() ? null : guard.holds(run.plan());
        metrics.guardHolding(run.account(), held != null);
        if (held != null) {
            LOG.errorf("sync run %d held: %s", run.runId(), held);
            runs.journal(run.account(), run.runId(), List.of(JournalLine.ofRun("guard", JournalOutcome.HELD, held)));
            pushToDoors.owedByEarlierRuns(run.account(), run.runId()); // what they applied still reaches the doors
        }
        return run.heldBecause(held);
    }
}
