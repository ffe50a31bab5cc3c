package io.doorsync.apply;

import java.time.Instant;

/** How one sync run ended; also what the metrics and (later) the admin API report. */
public record RunReport(Long runId, Outcome outcome, Instant startedAt, Instant finishedAt, int planned, int applied,
        int failed, int unchanged, int quarantined, String message) {

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
        HELD;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    static RunReport skipped(Instant at, String why) {
        return new RunReport(null, Outcome.SKIPPED, at, at, 0, 0, 0, 0, 0, why);
    }
}
