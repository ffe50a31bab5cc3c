package io.doorsync.plan;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which DoorFlow groups a member's person holds: those its {@link GroupSource}s grant (the CRM's teams), and the
 * groups no source decides, left as DoorFlow has them. A grant a source cannot resolve (a team mapped to a group
 * that does not exist) takes nothing away. Pure.
 */
final class GroupRules {

    /** The groups the sources grant a member, sorted, and whether any grant was unresolved. */
    record Desired(TreeSet<Long> groups, boolean anyMisMapped) {
    }

    private final List<GroupSource> sources;

    GroupRules(List<GroupSource> sources) {
        this.sources = List.copyOf(sources);
    }

    Desired desired(CrmMember m) {
        TreeSet<Long> groups = new TreeSet<>();
        boolean unresolved = false;
        for (GroupSource source : sources) {
            unresolved |= !source.grantInto(m, groups);
        }
        return new Desired(groups, unresolved);
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
        if (link != null && link.appliedGroups().contains(group)) {
            return true;
        }
        for (GroupSource source : sources) {
            if (source.decides(group)) {
                return true;
            }
        }
        return false;
    }
}
