package io.doorsync.plan;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Counts what a plan takes away, for the revocation guard: whole people (disabled or deleted), group
 * memberships taken from people who are enabled in DoorFlow, and credentials of managed types deleted. Its
 * base is the people who have access now: linked by this installation, carrying its mark, enabled in DoorFlow.
 */
final class AccessRemovals {

    private AccessRemovals() {
    }

    static Plan.AccessRemoval of(List<List<Change>> phases, PlanIndex index, Map<String, Link> links,
            String markPrefix) {
        int people = 0;
        int groups = 0;
        int credentials = 0;
        Set<String> members = new HashSet<>();
        for (List<Change> phase : phases) {
            for (Change change : phase) {
                int taken = 0;
                if (change.revokesAccess()) {
                    people++;
                    taken++;
                } else {
                    int removedGroups = groupsTaken(change, index);
                    groups += removedGroups;
                    taken += removedGroups;
                }
                int deleted = (int) change.credentials().stream().filter(c -> c instanceof CredentialChange.Delete)
                        .count();
                credentials += deleted;
                if (taken + deleted > 0) {
                    members.add(change.memberId());
                }
            }
        }
        int base = (int) links.values().stream().map(l -> index.person(l.personId()))
                .filter(p -> p != null && p.enabled() && p.systemId() != null && p.systemId().startsWith(markPrefix))
                .count();
        return new Plan.AccessRemoval(people, groups, credentials, members.size(), base);
    }

    /** Groups an update or adoption takes from a person enabled in DoorFlow. */
    private static int groupsTaken(Change change, PlanIndex index) {
        PersonSpec spec = change instanceof Change.UpdatePerson u ? u.spec()
                : change instanceof Change.AdoptPerson a ? a.spec() : null;
        DoorFlowPerson person = change.doorflowPersonId() == null ? null : index.person(change.doorflowPersonId());
        if (spec == null || person == null || !person.enabled()) {
            return 0;
        }
        return (int) person.groupIds().stream().filter(g -> !spec.groupIds().contains(g)).count();
    }
}
