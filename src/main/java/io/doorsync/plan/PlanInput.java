package io.doorsync.plan;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the planner looks at: the CRM's desired state, what doorsync last applied (links by member id),
 * what DoorFlow holds now, what operators decided (adoptions approved: member id → DoorFlow person id), and the
 * members whose DoorFlow person this installation started to stamp with its system_id (creating or adopting it)
 * without linking it yet (a lost answer or a crash between).
 */
public record PlanInput(
        List<CrmMember> members,
        List<CrmTeam> teams,
        Map<String, Link> links,
        List<DoorFlowPerson> people,
        Set<Long> doorflowGroupIds,
        String systemIdPrefix,
        LeavePolicy leavePolicy,
        Credentials credentials,
        int driftRepairLimit,
        Map<String, Long> approvedAdoptions,
        Set<String> stampsInFlight) {

    /** doorsync.sync.drift-repair-limit's default. */
    public static final int DEFAULT_DRIFT_REPAIR_LIMIT = 3;

    public PlanInput {
        members = List.copyOf(members);
        teams = List.copyOf(teams);
        links = Map.copyOf(links);
        people = List.copyOf(people);
        doorflowGroupIds = Set.copyOf(doorflowGroupIds);
        approvedAdoptions = Map.copyOf(approvedAdoptions);
        stampsInFlight = Set.copyOf(stampsInFlight);
    }

    public PlanInput(List<CrmMember> members, List<CrmTeam> teams, Map<String, Link> links,
            List<DoorFlowPerson> people, Set<Long> doorflowGroupIds, String systemIdPrefix, LeavePolicy leavePolicy,
            Credentials credentials) {
        this(members, teams, links, people, doorflowGroupIds, systemIdPrefix, leavePolicy, credentials,
                DEFAULT_DRIFT_REPAIR_LIMIT, Map.of(), Set.of());
    }

    /** Without credentials (switched off, or a test about people and groups only). */
    public PlanInput(List<CrmMember> members, List<CrmTeam> teams, Map<String, Link> links,
            List<DoorFlowPerson> people, Set<Long> doorflowGroupIds, String systemIdPrefix, LeavePolicy leavePolicy) {
        this(members, teams, links, people, doorflowGroupIds, systemIdPrefix, leavePolicy, Credentials.NONE);
    }

    /** The credential side: CRM rows, DoorFlow's credential types and credentials, and which types doorsync owns. */
    public record Credentials(List<CrmCredential> desired, List<CredentialType> types,
            List<DoorFlowCredential> actual, CredentialPolicy policy) {

        public static final Credentials NONE = new Credentials(List.of(), List.of(), List.of(), CredentialPolicy.NONE);

        public Credentials {
            desired = List.copyOf(desired);
            types = List.copyOf(types);
            actual = List.copyOf(actual);
        }
    }
}
