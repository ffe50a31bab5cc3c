package io.doorsync.run;

import java.time.Instant;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

import io.doorsync.store.RunTotals;

/** How one sync run ended: what the metrics, the health checks and the admin API report. */
public record RunReport(Long runId, Outcome outcome, Instant startedAt, Instant finishedAt,
        @JsonUnwrapped RunTotals totals, String message, boolean complete) {

    public enum Outcome {
        /** Every planned change was applied (quarantined members are reported, not failures). */
        SUCCESS,
        /** Some changes failed; each failure is in the journal against its member and is retried next run. */
        PARTIAL,
        /** The run could not plan or apply at all (CRM unreadable, DoorFlow unreachable, no credentials). */
        FAILED,
        /** Another run (here or on another replica) held the lock; nothing was read or written. */
        SKIPPED,
        /**
         * The revocation guard held the run: it would have removed access from more people than allowed, so
         * nothing was applied until an operator allows it.
         */
        HELD,
        /**
         * doorsync stopped (SIGTERM) or died during the run: the changes not yet sent are planned again by the next
         * run. A run cut off by a crash is recorded as such by the next run.
         */
        INTERRUPTED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Another run held the lock: nothing was read, written or recorded. */
    static RunReport skipped(Instant at, String why) {
        return new RunReport(null, Outcome.SKIPPED, at, at, RunTotals.NONE, why, false);
    }

    /** The run could not even be recorded (doorsync's own database failed). */
    static RunReport unrecorded(Instant at, String why) {
        return new RunReport(null, Outcome.FAILED, at, at, RunTotals.NONE, why, false);
    }
}
