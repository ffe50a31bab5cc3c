package io.doorsync.execute;

import java.util.concurrent.atomic.AtomicReference;

import org.jboss.logging.Logger;

import io.doorsync.doorflow.DoorFlowException;
import io.doorsync.doorflow.DoorFlowNotConnectedException;

/**
 * Whether DoorFlow has refused doorsync's own credentials during this run. Those are account-wide, so after
 * the first refusal every further write would be refused the same way: the run's other writes stop.
 */
final class Refusal {

    private static final Logger LOG = Logger.getLogger(Refusal.class);

    private final AtomicReference<String> reason = new AtomicReference<>();

    /** Why writes stopped, or null while they go on. */
    String reason() {
        return reason.get();
    }

    /** Words for the journal about a failed step; notes a refusal of doorsync's credentials. */
    String failure(RuntimeException e, String kind, String member) {
        if (e instanceof DoorFlowNotConnectedException) {
            reason.compareAndSet(null, e.getMessage());
            return e.getMessage();
        }
        if (e instanceof NotOursException) {
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
