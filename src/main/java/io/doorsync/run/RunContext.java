package io.doorsync.run;

import java.time.Instant;
import java.util.Set;

import io.doorsync.Account;
import io.doorsync.execute.Applier;
import io.doorsync.execute.WritePermit;
import io.doorsync.plan.Plan;

/**
 * One sync run as it goes through its phases ({@link RunPipeline}): what it was asked, its record, the DoorFlow
 * account it writes to, and what each phase added. Immutable: each phase returns a new one, so what a phase did
 * not set is visibly absent (null) to the phases after it and to {@link RunRecord}.
 *
 * @param doorflowAccount the DoorFlow account id verified before anything was read or written (null before)
 * @param reading  what was read and the planner's input (null before the read)
 * @param held     why the revocation guard held the run (null: it did not)
 * @param applied  the outcome of every planned change (null: not applied)
 * @param carried  what was carried alongside the changes (photos), in words for the run's summary
 * @param stopped  why writing stopped before the end (lease lost, doorsync stopping), or null
 * @param complete whether the run counts as complete for freshness (see {@link Completeness})
 * @param failure  what ended the run early, or null
 */
public record RunContext(RunRequest request, long runId, Instant started, Long previousRunId, WritePermit permit,
        Runnable progressed, String doorflowAccount, PlanInputs.Reading reading, Plan plan, String held,
        Applier.Applied applied, String carried, String stopped, boolean complete, RuntimeException failure) {

    static RunContext begin(RunRequest request, long runId, Instant started, Long previousRunId, WritePermit permit,
            Runnable progressed) {
        return new RunContext(request, runId, started, previousRunId, permit, progressed, null, null, null, null,
                null, "", null, false, null);
    }

    /** The doorsync account this run keeps in step: its rows, its lock, its DoorFlow account. */
    Account account() {
        return request.account();
    }

    /** The members this run plans, or null for everyone. */
    Set<String> scope() {
        return reading == null ? null : reading.scope();
    }

    /** Whether the phases that write still may: not held, not stopped, not failed. */
    boolean writing() {
        return held == null && stopped == null && failure == null;
    }

    RunContext read(String doorflowAccount, PlanInputs.Reading reading) {
        return new RunContext(request, runId, started, previousRunId, permit, progressed, doorflowAccount, reading, plan, held,
                applied, carried, stopped, complete, failure);
    }

    RunContext planned(Plan plan) {
        return new RunContext(request, runId, started, previousRunId, permit, progressed, doorflowAccount, reading, plan, held,
                applied, carried, stopped, complete, failure);
    }

    RunContext heldBecause(String held) {
        return new RunContext(request, runId, started, previousRunId, permit, progressed, doorflowAccount, reading, plan, held,
                applied, carried, stopped, complete, failure);
    }

    RunContext applied(Applier.Applied applied, String stopped) {
        return new RunContext(request, runId, started, previousRunId, permit, progressed, doorflowAccount, reading, plan, held,
                applied, carried, stopped, complete, failure);
    }

    RunContext carried(String carried, String stopped) {
        return new RunContext(request, runId, started, previousRunId, permit, progressed, doorflowAccount, reading, plan, held,
                applied, this.carried + carried, stopped, complete, failure);
    }

    RunContext complete(boolean complete) {
        return new RunContext(request, runId, started, previousRunId, permit, progressed, doorflowAccount, reading, plan, held,
                applied, carried, stopped, complete, failure);
    }

    RunContext failed(RuntimeException failure) {
        return new RunContext(request, runId, started, previousRunId, permit, progressed, doorflowAccount, reading, plan, held,
                applied, carried, stopped, complete, failure);
    }
}
