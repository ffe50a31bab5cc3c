package io.doorsync.run;

import jakarta.enterprise.context.ApplicationScoped;

import io.doorsync.DoorsyncConfig;
import io.doorsync.doorflow.DoorFlowMirrors;
import io.doorsync.execute.Applier;
import io.doorsync.plan.Change;
import io.doorsync.store.AccountStore;

/**
 * Apply: every planned change (with the credentials it carries) is carried out and journaled, then the mirror and
 * the members owed to the next wake-up's run are told what was written.
 */
@ApplicationScoped
class ApplyPhase implements Phase {

    private final DoorsyncConfig config;
    private final AccountStore accounts;
    private final Applier applier;
    private final PlanInputs inputs;
    private final DoorFlowMirrors mirrors;

    ApplyPhase(DoorsyncConfig config, AccountStore accounts, Applier applier, PlanInputs inputs,
            DoorFlowMirrors mirrors) {
        this.config = config;
        this.accounts = accounts;
        this.applier = applier;
        this.inputs = inputs;
        this.mirrors = mirrors;
    }

    @Override
    public RunContext run(RunContext run) {
        if (!run.writing()) {
            return run;
        }
        if (config.sync().pushToDoors() && run.plan().changes().stream().anyMatch(Change::writesDoorFlow)) {
            accounts.owePush(run.account()); // before the first write: a crash after it still pushes next run
        }
        Applier.Applied done;
        try {
            done = applier.apply(run.account(), run.runId(), run.plan(), run.reading().doorflow().everyoneListed(), run.permit(),
                    run.progressed());
        } catch (RuntimeException e) {
            mirrors.of(run.account()).reconcileFullyNextRun("the last run stopped while writing, before it knew what"
                    + " it wrote");
            throw e;
        }
        inputs.carriedOut(run.account(), run.scope(), done.results());
        return run.applied(done, run.permit().stopReason());
    }
}
