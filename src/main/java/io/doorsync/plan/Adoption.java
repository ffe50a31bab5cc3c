package io.doorsync.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * When a DoorFlow person nobody manages may be adopted by the member with its email without an operator:
 * only when no access changes hands. The person is enabled (doorsync never re-enables a person an admin
 * disabled), its names are the member's (ignoring case and blanks), and it holds no credential of a managed
 * type that differs from the CRM. Otherwise an operator approves it (POST /admin/api/adoptions/{memberId}).
 */
final class Adoption {

    private Adoption() {
    }

    /** Why the adoption waits for an operator, with what the person holds; null when it may go ahead. */
    static String needsApproval(CrmMember member, DoorFlowPerson person, List<CredentialChange> steps,
            PlanIndex index) {
        List<String> why = new ArrayList<>();
        if (!person.enabled()) {
            why.add("it is disabled in DoorFlow");
        }
        if (!sameName(member.firstName(), person.firstName()) || !sameName(member.lastName(), person.lastName())) {
            why.add("its name '" + person.firstName() + " " + person.lastName() + "' is not the member's");
        }
        List<String> differing = steps.stream().filter(s -> !(s instanceof CredentialChange.Create))
                .map(CredentialChange::typeSlug).distinct().sorted().toList();
        if (!differing.isEmpty()) {
            why.add("it holds " + String.join(", ", differing) + " credentials the CRM does not give the member");
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

    private static boolean sameName(String a, String b) {
        return normal(a).equals(normal(b));
    }

    private static String normal(String s) {
        return s == null ? "" : s.replaceAll("\\s+", "").toLowerCase(Locale.ROOT);
    }
}
