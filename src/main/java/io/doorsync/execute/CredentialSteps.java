package io.doorsync.execute;

import java.util.List;

import org.jboss.logging.Logger;

import io.doorsync.doorflow.DoorFlowConflictException;
import io.doorsync.doorflow.DoorFlowException;
import io.doorsync.doorflow.DoorFlowGateway;
import io.doorsync.plan.CredentialChange;
import io.doorsync.store.JournalLine;
import io.doorsync.store.JournalOutcome;
import io.doorsync.store.OutcomeBatch;

/**
 * A member's credential steps, applied in order after its person step. Each is journaled on its own (type and
 * outcome, never the value); a failure does not stop the member's other steps.
 */
final class CredentialSteps {

    private static final Logger LOG = Logger.getLogger(CredentialSteps.class);

    private final DoorFlowGateway doorflow;
    private final ChangeMetrics metrics;

    CredentialSteps(DoorFlowGateway doorflow, ChangeMetrics metrics) {
        this.doorflow = doorflow;
        this.metrics = metrics;
    }

    /** Applies the steps; returns how many failed. */
    int apply(OutcomeBatch outcomes, String memberId, long personId, List<CredentialChange> steps, Refusal refusal) {
        int failed = 0;
        for (CredentialChange step : steps) {
            JournalOutcome outcome;
            String detail;
            if (refusal.reason() != null) {
                outcome = JournalOutcome.SKIPPED;
                detail = step.typeSlug() + ": not attempted: " + refusal.reason();
            } else {
                try {
                    detail = step.typeSlug() + ": " + execute(personId, step);
                    outcome = JournalOutcome.APPLIED;
                } catch (RuntimeException e) {
                    outcome = JournalOutcome.FAILED;
                    detail = step.typeSlug() + ": " + refusal.failure(e, step.kind(), memberId);
                }
            }
            if (outcome != JournalOutcome.APPLIED) {
                failed++;
            }
            outcomes.add(JournalLine.ofMember(memberId, step.kind(), outcome, personId, detail));
            metrics.change(outcomes.account(), step.kind(), outcome);
            Applier.log(LOG, memberId, step.kind(), outcome, personId, detail);
        }
        return failed;
    }

    private String execute(long personId, CredentialChange step) {
        if (step instanceof CredentialChange.Create c) {
            try {
                doorflow.createCredential(personId, c.typeId(), c.value());
            } catch (DoorFlowConflictException e) {
                // Someone issued one in the meantime; DoorFlow holds one per type, so make that one right.
                String existing = e.existing().id();
                if (c.value() == null || CredentialChange.GENERATE_PIN.equals(c.value())
                        || c.value().equals(e.existing().value())) {
                    return "already held (409, credential " + existing + "); kept";
                }
                doorflow.updateCredential(personId, existing, c.value());
                return "already held (409, credential " + existing + "); re-valued to the CRM's value";
            }
            return c.value() == null ? "issued without a value (DoorFlow sends the mobile invitation)"
                    : CredentialChange.GENERATE_PIN.equals(c.value()) ? "issued; DoorFlow generated the PIN"
                            : "issued with the CRM's value";
        }
        if (step instanceof CredentialChange.Update u) {
            doorflow.updateCredential(personId, u.credentialId(), u.value());
            return "credential " + u.credentialId() + " re-valued to the CRM's value";
        }
        if (step instanceof CredentialChange.Delete d) {
            try {
                return doorflow.deleteCredential(personId, d.credentialId())
                        ? "credential " + d.credentialId() + " revocation accepted (DoorFlow revokes mobile"
                                + " credentials asynchronously)"
                        : "credential " + d.credentialId() + " deleted";
            } catch (DoorFlowException e) {
                if (e.status() != 404) {
                    throw e;
                }
                return "credential " + d.credentialId() + " already gone";
            }
        }
        throw new IllegalArgumentException("unknown credential step " + step);
    }
}
