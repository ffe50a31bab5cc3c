package io.doorsync.plan;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the planner looks at: the CRM's desired state, what doorsync last applied (links by member id),
 * and what DoorFlow holds now.
 */
public record PlanInput(
        List<CrmMember> members,
        List<CrmTeam> teams,
        Map<String, Link> links,
        List<DoorFlowPerson> people,
        Set<Long> doorflowGroupIds,
        String systemIdPrefix,
        LeavePolicy leavePolicy) {

    public PlanInput {
        members = List.copyOf(members);
        teams = List.copyOf(teams);
        links = Map.copyOf(links);
        people = List.copyOf(people);
        doorflowGroupIds = Set.copyOf(doorflowGroupIds);
    }
}
