package io.doorsync.run;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.doorsync.Account;
import io.doorsync.plan.Plan;
import io.doorsync.plan.Planner;

/**
 * The phases of a sync run, in order: read, plan, guard, apply, carried alongside, push. Each takes the run so far
 * and returns it; a phase that fails ends the run there, with what the phases before it found. Recording the run
 * is {@link RunRecord}'s, around this.
 */
@ApplicationScoped
class RunPipeline {

    private final ReadPhase read;
    private final List<Phase> phases;

    RunPipeline(ReadPhase read, PlanPhase plan, GuardPhase guard, ApplyPhase apply, CarriedAlongsidePhase carried,
            PushPhase push) {
        this.read = read;
        this.phases = List.of(read, plan, guard, apply, carried, push);
    }

    RunContext run(RunContext run) {
        for (Phase phase : phases) {
            try {
                run = phase.run(run);
                run.progressed().run();
            } catch (RuntimeException e) {
                return run.failed(e);
            }
            if (run.failure() != null) {
                return run; // a phase that failed with what it found
            }
        }
        return run;
    }

    /** The dry run: everyone read and planned as a run would, nothing written or recorded. */
    Plan dryRun(Account account) {
        return Planner.plan(read.everyoneNow(account));
    }
}
