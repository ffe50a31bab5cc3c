package io.doorsync.plan;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * When a DoorFlow person nobody manages may be adopted by the member with its email without an operator:
 * only when no access changes hands, now or later. The person is enabled (doorsync never re-enables a person an
 * admin disabled), its names are the member's (ignoring case and blanks), no credential step would touch it
 * (none issued from the CRM onto it, none re-valued or deleted), it holds no group the member's teams do not
 * give and no credential of a type doorsync does not manage (the CRM decides the person's groups and credentials
 * from then on: a card the CRM issues later would open those groups, and that fob the member's groups), and the
 * member's validity is no wider than the person's. Otherwise an operator approves it
 * (POST /admin/api/adoptions/{memberId}).
 */
final class Adoption {

    private Adoption() {
    }

    /**
     * Why the adoption waits for an operator, with what the person holds; null when it may go ahead.
     * {@code spec}: the person as the adoption would write it; {@code entitled}: the groups the member's teams give.
     */
    static String needsApproval(CrmMember member, DoorFlowPerson person, PersonSpec spec,
            List<CredentialChange> steps, Set<Long> entitled, PlanIndex index) {
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
        List<String> issued = slugs(steps.stream().filter(s -> s instanceof CredentialChange.Create).toList());
        if (!issued.isEmpty()) {
            why.add("the member's " + String.join(", ", issued) + " credentials would be issued onto it");
        }
        TreeSet<Long> kept = new TreeSet<>(spec.groupIds());
        kept.removeAll(entitled);
        if (!kept.isEmpty()) {
            why.add("it is in groups " + kept + " that the member's teams do not give, which the member's"
                    + " credentials would then open");
        }
        TreeSet<String> unmanagedTypes = new TreeSet<>();
        index.doorflowCredentials(person.id()).stream()
                .filter(c -> !c.revoked() && index.managedTypeSlug(c.typeId()) == null)
                .forEach(c -> unmanagedTypes.add(index.typeSlug(c.typeId())));
        if (!unmanagedTypes.isEmpty()) {
            why.add("its " + String.join(", ", unmanagedTypes) + " credentials, which doorsync does not manage,"
                    + " would then open the member's groups");
        }
        if (earlier(spec.validFrom(), person.validFrom()) || later(spec.validTo(), person.validTo())) {
            why.add("its validity " + window(person.validFrom(), person.validTo()) + " would widen to the member's "
                    + window(spec.validFrom(), spec.validTo()));
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

    /** Whether start {@code a} opens earlier than start {@code b} (null: open, the earliest). */
    private static boolean earlier(Instant a, Instant b) {
        return b != null && (a == null || a.isBefore(b));
    }

    /** Whether end {@code a} closes later than end {@code b} (null: open, the latest). */
    private static boolean later(Instant a, Instant b) {
        return b != null && (a == null || a.isAfter(b));
    }

    private static String window(Instant from, Instant to) {
        return (from == null ? "open" : from.toString()) + " to " + (to == null ? "open" : to.toString());
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
