package io.doorsync.run;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.doorsync.execute.Applier;

/**
 * Push: DoorFlow is asked to push to door controllers when this run (or an earlier one) changed something, and
 * the run's refused members are counted; whether the run is complete follows ({@link Completeness}).
 */
@ApplicationScoped
class PushPhase implements Phase {

    private final PushToDoors pushToDoors;
    private final RunMetrics metrics;

    PushPhase(PushToDoors pushToDoors, RunMetrics metrics) {
        this.pushToDoors = pushToDoors;
        this.metrics = metrics;
    }

    @Override
    public RunContext run(RunContext run) {
        if (!run.writing()) {
            return run;
        }
        Applier.Applied done = run.applied();
        List<Applier.Result> results = done.results();
        boolean pushed = pushToDoors.afterRun(run.account(), run.runId(), results.stream().anyMatch(r -> r.applied()
                && r.reachedDoorFlow()));
        metrics.refusals(run.account(), done.refused(), results.stream()
                .filter(r -> r.applied() && r.failedCredentials() == 0).map(r -> r.change().memberId()).toList(),
                run.scope() == null && run.request().onlyMember() == null);
        return run.complete(Completeness.of(done, pushed));
    }
}
