package io.doorsync.plan;

import java.util.List;

/**
 * The outcome of planning: changes in phases to apply one after the other (revocations, then updates and
 * adoptions, then creations; the changes inside a phase are independent), members held back with a reason,
 * teams whose configuration is wrong, member credentials that cannot be synced, and how many members needed
 * nothing.
 */
public record Plan(List<List<Change>> phases, List<Quarantine> quarantined, List<TeamProblem> teamProblems,
        List<CredentialProblem> credentialProblems, int unchanged) {

    public Plan {
        phases = phases.stream().map(List::copyOf).toList();
        quarantined = List.copyOf(quarantined);
        teamProblems = List.copyOf(teamProblems);
        credentialProblems = List.copyOf(credentialProblems);
    }

    /** Every change, in application order. */
    public List<Change> changes() {
        return phases.stream().flatMap(List::stream).toList();
    }

    /** A member doorsync will not touch until the reason is fixed in the CRM or DoorFlow. */
    public record Quarantine(String memberId, String reason) {
    }

    /** A team whose mapping cannot be applied; its members keep whatever groups they have. */
    public record TeamProblem(String teamId, String teamName, String reason) {
    }

    /**
     * One member's credential of one type that cannot be synced; the member's other credentials, person and
     * groups still are, and DoorFlow's credential of that type is left as it is.
     */
    public record CredentialProblem(String memberId, String typeSlug, String reason) {
    }
}
