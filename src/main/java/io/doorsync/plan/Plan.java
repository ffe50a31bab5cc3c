package io.doorsync.plan;

import java.util.List;

/**
 * The outcome of planning: changes in phases to apply one after the other (revocations, then updates and
 * adoptions, then creations; the changes inside a phase are independent), members held back with a reason,
 * teams whose configuration is wrong, member credentials that cannot be synced, fields DoorFlow does not keep,
 * what the plan takes away (for the revocation guard), and how many members needed nothing.
 */
public record Plan(List<List<Change>> phases, List<Quarantine> quarantined, List<TeamProblem> teamProblems,
        List<CredentialProblem> credentialProblems, List<DriftProblem> driftProblems, AccessRemoval removal,
        int unchanged) {

    public Plan {
        phases = phases.stream().map(List::copyOf).toList();
        quarantined = List.copyOf(quarantined);
        teamProblems = List.copyOf(teamProblems);
        credentialProblems = List.copyOf(credentialProblems);
        driftProblems = List.copyOf(driftProblems);
    }

    /** The same plan, weighed by the revocation guard against {@code base} people with access. */
    public Plan withRemovalBase(int base) {
        AccessRemoval r = removal;
        return new Plan(phases, quarantined, teamProblems, credentialProblems, driftProblems,
                new AccessRemoval(r.people(), r.groups(), r.credentials(), r.members(), base), unchanged);
    }

    /** Every change, in application order. */
    public List<Change> changes() {
        return phases.stream().flatMap(List::stream).toList();
    }

    /** A member doorsync will not touch until the reason is fixed in the CRM or DoorFlow. */
    public record Quarantine(String memberId, String reason) {
        /** How the reason of a member waiting for an operator to approve its adoption starts. */
        public static final String ADOPTION_NEEDS_APPROVAL = "adoption needs approval";

        /** Whether this member waits for approval to adopt DoorFlow person {@code personId}. */
        public static boolean awaitsAdoptionOf(String reason, long personId) {
            return reason.startsWith(ADOPTION_NEEDS_APPROVAL + ": DoorFlow person #" + personId + " ");
        }
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

    /** A field DoorFlow did not keep after repeated repairs (reported once; see docs/sync-rules.md: drift). */
    public record DriftProblem(String memberId, String field, String reason) {
    }

    /**
     * What the plan would take away, for the revocation guard: people disabled or deleted, group memberships
     * taken from enabled people, credentials of managed types deleted; the members losing any access; and the
     * base, the managed people who have access now (linked and enabled in DoorFlow).
     */
    public record AccessRemoval(int people, int groups, int credentials, int members, int base) {
        public static final AccessRemoval NONE = new AccessRemoval(0, 0, 0, 0, 0);
    }
}
