package io.doorsync.plan;

import java.util.List;

/**
 * The outcome of planning: changes in the order they should be applied (revocations first), members held
 * back with a reason, teams whose configuration is wrong, and how many members needed nothing.
 */
public record Plan(List<Change> changes, List<Quarantine> quarantined, List<TeamProblem> teamProblems,
        int unchanged) {

    public Plan {
        changes = List.copyOf(changes);
        quarantined = List.copyOf(quarantined);
        teamProblems = List.copyOf(teamProblems);
    }

    /** A member doorsync will not touch until the reason is fixed in the CRM or DoorFlow. */
    public record Quarantine(String memberId, String reason) {
    }

    /** A team whose mapping cannot be applied; its members keep whatever groups they have. */
    public record TeamProblem(String teamId, String teamName, String reason) {
    }
}
