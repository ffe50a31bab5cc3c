package io.doorsync.store;

import java.util.Locale;

/** How a journaled step ended; the label is what the journal, the logs and the metrics show. */
public enum JournalOutcome {
    /** The change reached DoorFlow (or the bookkeeping was done). */
    APPLIED,
    /** DoorFlow or doorsync failed it; retried next run. */
    FAILED,
    /** Not attempted, because the run's writes had stopped (DoorFlow refused doorsync's credentials). */
    SKIPPED,
    /** Held back on purpose: a quarantined member, or a run held by the revocation guard. */
    HELD,
    /** A problem reported once (a bad team mapping, a bad credential row). */
    ERROR,
    /** Postponed because DoorFlow asked to wait (a rate-limited push to doors). */
    DEFERRED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
