package io.doorsync.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * When a DoorFlow person nobody manages may be adopted by the member with its email without an operator:
 * only when no access changes hands. The person is enabled (doorsync never re-enables a person an admin
 * disabled), its names are the member's (ignoring case and blanks), no credential step would touch it (none
 * issued from the CRM onto it, none re-valued or deleted), the CRM gives the member no credential that would
 * then open groups doorsync does not manage, and no credential of a type doorsync does not manage would then
 * open the member's groups. Otherwise an operator approves it (POST /admin/api/adoptions/{memberId}).
 */
final class Adoption {

    private Adoption() {
    }

    /**
     * Why the adoption waits for an operator, with what the person holds; null when it may go ahead.
     * {@code groups}: the groups the adopted person would hold; {@code crmCredentials}: whether the CRM gives the
     * member any credential of a managed type.
     */
    static String needsApproval(CrmMember member, DoorFlowPerson person, List<CredentialChange> steps,
            Set<Long> groups, boolean crmCredentials, PlanIndex index) {
        List<String> why = new ArrayList<>();
        if (!person.enabled()) {
            why.add("it is disabled in DoorFlow");
        }
        if (!sameName(member.firstName(), person.firstName()) || !sameName(member.lastName(), person.lastName())) {
            why.add("its name '" + person.firstName() + " " + person.lastName() + "' is not the member's");
        }
        List<String> differing = slugs(steps.stream().filter(s -> !(s instanceof CredentialChange.Create)).toList());
        if (!differing.isEmpty()) {
            why.add("it holds " + String.join(", ", differing) + " credentials the CRM does not give the member");
        }
        // A card issued from the CRM onto someone else's record opens whatever that record opens.
        List<String> issued = slugs(steps.stream().filter(s -> s instanceof CredentialChange.Create).toList());
        if (!issued.isEmpty()) {
            why.add("the member's " + String.join(", ", issued) + " credentials would be issued onto it");
        }
        TreeSet<Long> unmanagedGroups = new TreeSet<>(person.groupIds());
        unmanagedGroups.removeAll(index.managedGroups());
        if (crmCredentials && !unmanagedGroups.isEmpty()) {
            why.add("the member's credentials would then open groups " + unmanagedGroups
                    + " that doorsync does not manage");
        }
        TreeSet<Long> given = new TreeSet<>(groups);
        given.removeAll(person.groupIds());
        TreeSet<String> unmanagedTypes = new TreeSet<>();
        index.doorflowCredentials(person.id()).stream()
                .filter(c -> !c.revoked() && index.managedTypeSlug(c.typeId()) == null)
                .forEach(c -> unmanagedTypes.add(index.typeSlug(c.typeId())));
        if (!given.isEmpty() && !unmanagedTypes.isEmpty()) {
            why.add("its " + String.join(", ", unmanagedTypes) + " credentials, which doorsync does not manage,"
                    + " would then open the member's groups " + given);
        }
        if (why.isEmpty()) {
            return null;
        }
        TreeSet<String> types = new TreeSet<>();
        index.doorflowCredentials(person.id()).stream().filter(c -> !c.revoked())
                .forEach(c -> types.add(index.typeSlug(c.typeId())));
        return Plan.Quarantine.ADOPTION_NEEDS_APPROVAL + ": DoorFlow person #" + person.id() + " has the member's email, but "
                + String.join("; ", why) + ". It holds groups " + new TreeSet<>(person.groupIds())
                + ", credential types " + types + ", and is " + (person.enabled() ? "enabled" : "disabled")
                + ". Approve with POST /admin/api/adoptions/" + member.id() + "?personId=" + person.id()
                + ", or fix the CRM or DoorFlow";
    }

    private static List<String> slugs(List<CredentialChange> steps) {
        return steps.stream().map(CredentialChange::typeSlug).distinct().sorted().toList();
    }

    private static boolean sameName(String a, String b) {
        return normal(a).equals(normal(b));
    }

    private static String normal(String s) {
        return s == null ? "" : s.replaceAll("\\s+", "").toLowerCase(Locale.ROOT);
    }
}
