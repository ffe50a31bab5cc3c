package io.doorsync.plan;

import java.util.Set;

/**
 * The CRM's teams as a source of groups: a member is in the groups its teams map to, and doorsync decides who is in
 * every group a team maps to. A team mapped to a group that does not exist leaves the grant unresolved.
 */
final class TeamGroups implements GroupSource {

    private final PlanIndex index;

    TeamGroups(PlanIndex index) {
        this.index = index;
    }

    @Override
    public boolean grantInto(CrmMember m, Set<Long> groups) {
        boolean resolved = true;
        for (String teamId : m.teamIds()) {
            CrmTeam team = index.team(teamId);
            if (index.misMapped(teamId)) {
                resolved = false;
            } else if (team != null && team.doorflowGroupId() != null) {
                groups.add(team.doorflowGroupId());
            }
        }
        return resolved;
    }

    @Override
    public boolean decides(Long group) {
        return index.managedGroups().contains(group);
    }
}
