package io.doorsync.run;

import jakarta.enterprise.context.ApplicationScoped;

import io.doorsync.Account;
import io.doorsync.DoorsyncConfig;
import io.doorsync.crm.CrmReaders;
import io.doorsync.doorflow.DoorFlowGateways;
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
    private final CrmReaders crm;
    private final DoorFlowGateways doorflow;
    private final DoorsyncConfig config;

    ReadPhase(AccountPin accountPin, PlanInputs inputs, CrmReaders crm, DoorFlowGateways doorflow,
            DoorsyncConfig config) {
        this.accountPin = accountPin;
        this.inputs = inputs;
        this.crm = crm;
        this.doorflow = doorflow;
        this.config = config;
    }

    @Override
    public RunContext run(RunContext run) {
        String doorflowAccount = accountPin.verify(run.account());
        RunRequest request = run.request();
        return run.read(doorflowAccount, inputs.read(run.account(), doorflowAccount, run.previousRunId(), run.runId(), request.named(),
                request.everyoneBecause(), run.progressed()));
    }

    /** The dry run's input: everyone in the CRM and DoorFlow as they are now, past no mirror, writing nothing. */
    PlanInput everyoneNow(Account account) {
        accountPin.verify(account);
        return inputs.of(account, crm.of(account).read(), doorflow.of(account).snapshot(config.credentials().enabled()));
    }
}
