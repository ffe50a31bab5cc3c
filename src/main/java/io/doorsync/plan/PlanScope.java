package io.doorsync.plan;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A plan of some members only (a wake-up's run): the part of DoorFlow the rules look at for them, and the
 * members a set of DoorFlow people concerns. The planner reaches DoorFlow people only through a member's link,
 * its mark ({@code system_id}) and its email (see {@link PlanIndex}), so a plan of these members over this part
 * decides exactly what a plan of everyone decides for them. Pure, like the planner.
 */
public final class PlanScope {

    private PlanScope() {
    }

    /** The people linked to these members, carrying their marks, or having one of their emails. */
    public static List<DoorFlowPerson> people(List<DoorFlowPerson> all, Set<String> memberIds,
            Collection<Link> links, List<CrmMember> members, String systemIdPrefix) {
        Set<Long> linked = new HashSet<>();
        links.forEach(l -> linked.add(l.personId()));
        Set<String> emails = new HashSet<>();
        members.stream().filter(m -> !MemberRules.isBlank(m.email()))
                .forEach(m -> emails.add(PlanIndex.normalEmail(m.email())));
        String markPrefix = systemIdPrefix + ":";
        List<DoorFlowPerson> seen = new ArrayList<>();
        for (DoorFlowPerson p : all) {
            String system = p.systemId();
            if (linked.contains(p.id())
                    || system != null && system.startsWith(markPrefix)
                            && memberIds.contains(system.substring(markPrefix.length()))
                    || !MemberRules.isBlank(p.email()) && emails.contains(PlanIndex.normalEmail(p.email()))) {
                seen.add(p);
            }
        }
        return seen;
    }

    /** The credentials of these people. */
    public static List<DoorFlowCredential> credentials(List<DoorFlowCredential> all, List<DoorFlowPerson> people) {
        Set<Long> ids = new HashSet<>();
        people.forEach(p -> ids.add(p.id()));
        return all.stream().filter(c -> ids.contains(c.personId())).toList();
    }

    /** The members these DoorFlow people carry the marks of (their links are looked up apart). */
    public static Set<String> markedMembers(List<DoorFlowPerson> people, String systemIdPrefix) {
        String markPrefix = systemIdPrefix + ":";
        Set<String> members = new HashSet<>();
        for (DoorFlowPerson p : people) {
            if (p.systemId() != null && p.systemId().startsWith(markPrefix)) {
                members.add(p.systemId().substring(markPrefix.length()));
            }
        }
        return members;
    }

    /** Their emails, compared as DoorFlow compares them. */
    public static Set<String> emails(List<DoorFlowPerson> people) {
        Set<String> emails = new HashSet<>();
        people.stream().filter(p -> !MemberRules.isBlank(p.email()))
                .forEach(p -> emails.add(PlanIndex.normalEmail(p.email())));
        return emails;
    }
}
