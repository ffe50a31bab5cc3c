package io.doorsync.plan;

import java.util.Set;
import java.util.TreeSet;

/**
 * Which DoorFlow groups a member's person holds: those its teams map to, and the groups doorsync does not
 * decide, left as DoorFlow has them. A team mapped to a group that does not exist takes nothing away. Pure.
 */
final class GroupRules {

    /** The groups a member's teams map to, sorted, and whether a team maps to a group that does not exist. */
    record Desired(TreeSet<Long> groups, boolean anyMisMapped) {
    }

    private final PlanIndex index;

    GroupRules(PlanIndex index) {
        this.index = index;
    }

    Desired desired(CrmMember m) {
        TreeSet<Long> groups = new TreeSet<>();
        boolean misMapped = false;
        for (String teamId : m.teamIds()) {
            CrmTeam team = index.team(teamId);
            if (index.misMapped(teamId)) {
                misMapped = true;
            } else if (team != null && team.doorflowGroupId() != null) {
                groups.add(team.doorflowGroupId());
            }
        }
        return new Desired(groups, misMapped);
    }

    /**
     * The groups doorsync owns on the person after this run: the desired ones, and while a team is mapped to a
     * missing group (so nothing is taken away), also those it granted before that the person still holds, so
     * they are taken away once the mapping is fixed rather than forgotten.
     */
    Set<Long> ownedAfter(DoorFlowPerson person, Link link, Desired desired) {
        if (!desired.anyMisMapped() || link == null) {
            return desired.groups();
        }
        Set<Long> owned = new TreeSet<>(link.appliedGroups());
        owned.retainAll(person.groupIds());
        owned.addAll(desired.groups());
        return owned;
    }

    /** The person's groups after this run: (current − groups doorsync owns) ∪ desired. */
    Set<Long> afterRun(DoorFlowPerson person, Link link, Desired desired) {
        Set<Long> groups = new TreeSet<>(person.groupIds());
        if (!desired.anyMisMapped()) {
            groups.removeIf(g -> owns(link, g));
        }
        groups.addAll(desired.groups());
        return groups;
    }

    /** Doorsync decides who is in this group, or put this member in it (asked per group: no set per member). */
    boolean owns(Link link, Long group) {
        return index.managedGroups().contains(group) || link != null && link.appliedGroups().contains(group);
    }
}
