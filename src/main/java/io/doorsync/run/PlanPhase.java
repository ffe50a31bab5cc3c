package io.doorsync.run;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.doorsync.plan.Plan;
import io.doorsync.plan.Planner;
import io.doorsync.store.LinkStore;

/** Plan: the pure planner over what was read, and what it found wrong reported once ({@link ProblemReports}). */
@ApplicationScoped
class PlanPhase implements Phase {

    private static final Logger LOG = Logger.getLogger(PlanPhase.class);

    private final ProblemReports problems;
    private final LinkStore links;

    PlanPhase(ProblemReports problems, LinkStore links) {
        this.problems = problems;
        this.links = links;
    }

    @Override
    public RunContext run(RunContext run) {
        long t0 = System.nanoTime();
        PlanInputs.Reading reading = run.reading();
        String onlyMember = run.request().onlyMember();
        Plan plan = onlyMember == null ? Planner.plan(reading.input()) : Planner.planFor(reading.input(), onlyMember);
        run.progressed().run();
        LOG.debugf("sync run %d: planned %s in %d ms (DoorFlow: %s)", run.runId(), reading.why(),
                (System.nanoTime() - t0) / 1_000_000, reading.doorflow().describe());
        try {
            problems.report(run.account(), run.runId(), plan, reading.desired().rowsWithoutId(), run.started(), run.scope());
            if (run.scope() != null) {
                // The guard weighs what this plan takes against everyone with access, not the few planned.
                plan = plan.withRemovalBase(links.activeLinkCount(run.account()));
            }
        } catch (RuntimeException e) {
            return run.planned(plan).failed(e); // the run's record still counts what was planned
        }
        return run.planned(plan);
    }
}
