package io.doorsync.run;

import jakarta.enterprise.context.ApplicationScoped;

import io.doorsync.DoorsyncConfig;
import io.doorsync.crm.CrmReader;
import io.doorsync.doorflow.DoorFlowGateway;
import io.doorsync.plan.PlanInput;
import io.doorsync.run.guards.AccountPin;

/**
 * Read: the DoorFlow account is verified before anything is read or written, then the CRM and DoorFlow are read
 * (everyone, or what a wake-up concerns: {@link PlanInputs}).
 */
@ApplicationScoped
class ReadPhase implements Phase {

    private final AccountPin accountPin;
    private final PlanInputs inputs;
    private final CrmReader crm;
    private final DoorFlowGateway doorflow;
    private final DoorsyncConfig config;

    ReadPhase(AccountPin accountPin, PlanInputs inputs, CrmReader crm, DoorFlowGateway doorflow,
            DoorsyncConfig config) {
        this.accountPin = accountPin;
        this.inputs = inputs;
        this.crm = crm;
        this.doorflow = doorflow;
        this.config = config;
    }

    @Override
    public RunContext run(RunContext run) {
        String account = accountPin.verify();
        RunRequest request = run.request();
        return run.read(account, inputs.read(run.account(), account, run.previousRunId(), run.runId(), request.named(),
                request.everyoneBecause(), run.progressed()));
    }

    /** The dry run's input: everyone in the CRM and DoorFlow as they are now, past no mirror, writing nothing. */
    PlanInput everyoneNow() {
        accountPin.verify();
        return inputs.of(crm.read(), doorflow.snapshot(config.credentials().enabled()));
    }
}
