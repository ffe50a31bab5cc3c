package io.doorsync.run;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.doorsync.DoorsyncConfig;
import io.doorsync.crm.CrmReader.CrmSnapshot;
import io.doorsync.doorflow.DoorFlowGateway.Snapshot;
import io.doorsync.plan.CredentialPolicy;
import io.doorsync.plan.Link;
import io.doorsync.plan.PlanInput;
import io.doorsync.store.SyncStore;

/**
 * The planner's input: the CRM, DoorFlow, what doorsync recorded (links, approvals, creations) and the settings
 * the rules take. One place, so a run and an explanation of one member plan from exactly the same input.
 */
@ApplicationScoped
public class PlanInputs {

    private final DoorsyncConfig config;
    private final SyncStore store;

    PlanInputs(DoorsyncConfig config, SyncStore store) {
        this.config = config;
        this.store = store;
    }

    public PlanInput of(CrmSnapshot desired, Snapshot actual) {
        return of(desired, actual, store.links());
    }

    /** With the links already read (100,000 rows at that size: read them once). */
    public PlanInput of(CrmSnapshot desired, Snapshot actual, Map<String, Link> links) {
        return new PlanInput(desired.members(), desired.teams(), links, actual.people(),
                actual.groupIds(), config.sync().systemIdPrefix(), config.sync().leavePolicy(),
                new PlanInput.Credentials(desired.credentials(), actual.credentialTypes(), actual.credentials(),
                        credentialPolicy()), config.sync().driftRepairLimit(), store.approvedAdoptions(),
                store.creationsInFlight());
    }

    private CredentialPolicy credentialPolicy() {
        DoorsyncConfig.Credentials c = config.credentials();
        return c.enabled() ? new CredentialPolicy(c.managedTypes(), c.generatedPinTypes()) : CredentialPolicy.NONE;
    }
}
