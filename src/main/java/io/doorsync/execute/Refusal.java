package io.doorsync.execute;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.jboss.logging.Logger;

import io.doorsync.doorflow.DoorFlowException;
import io.doorsync.doorflow.DoorFlowNotConnectedException;
import io.doorsync.doorflow.DoorFlowUnavailableException;

/**
 * Whether the rest of a run's changes may still be sent, and if not, why. They stop for good when DoorFlow
 * refuses doorsync's own credentials (account-wide: every further write would be refused the same way), when
 * DoorFlow looks down (several changes in a row could not reach it), when the {@link WritePermit} is withdrawn
 * (doorsync stopping, the one-writer lock lost), or when doorsync's own database fails (then nothing more can be
 * recorded either).
 */
final class Refusal {

    private static final Logger LOG = Logger.getLogger(Refusal.class);

    /** Changes in a row that could not reach DoorFlow after which it counts as down for the rest of the run. */
    static final int OUTAGE_AFTER = 3;

    private final WritePermit permit;
    private final AtomicReference<String> reason = new AtomicReference<>();
    private final AtomicInteger unreachableInARow = new AtomicInteger();
    private volatile boolean databaseFailed;

    Refusal(WritePermit permit) {
        this.permit = permit;
    }

    /** Why writes stopped, or null while they go on. */
    String reason() {
        if (reason.get() == null) {
            String withdrawn = permit.stopReason();
            if (withdrawn != null) {
                reason.compareAndSet(null, withdrawn);
            }
        }
        return reason.get();
    }

    /** doorsync's database failed: stop, and do not try to record the changes left either. */
    void databaseFailed(RuntimeException e) {
        databaseFailed = true;
        reason.compareAndSet(null, "doorsync's database failed (" + e.getMessage() + ")");
    }

    boolean canRecord() {
        return !databaseFailed;
    }

    void succeeded() {
        unreachableInARow.set(0);
    }

    /** Words for the journal about a failed step; notes a refusal of doorsync's credentials or an outage. */
    String failure(RuntimeException e, String kind, String member) {
        if (e instanceof DoorFlowNotConnectedException) {
            reason.compareAndSet(null, e.getMessage());
            return e.getMessage();
        }
        if (e instanceof DoorFlowUnavailableException) {
            int inARow = unreachableInARow.incrementAndGet();
            if (inARow >= OUTAGE_AFTER) {
                reason.compareAndSet(null, "DoorFlow looks down: " + inARow + " changes in a row could not reach it"
                        + " (last: " + e.getMessage() + ")");
            }
            return e.getMessage();
        }
        unreachableInARow.set(0);
        if (e instanceof NotOursException || e instanceof MissedByListingException) {
            return e.getMessage();
        }
        if (e instanceof DoorFlowException d) {
            if (d.status() == 401 || d.status() == 403) {
                reason.compareAndSet(null, "DoorFlow refused doorsync's credentials (" + d.getMessage() + ")");
            }
            return d.getMessage();
        }
        LOG.errorf(e, "unexpected failure applying %s for member %s", kind, member);
        return "unexpected error: " + e;
    }
}
