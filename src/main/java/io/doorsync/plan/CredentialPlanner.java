package io.doorsync.plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.doorsync.plan.Plan.CredentialProblem;

/**
 * The credential rules: what makes a person's credentials of managed types match the CRM, what a leaver
 * loses, and which CRM rows are problems (reported once, isolated to that credential). Pure.
 */
final class CredentialPlanner {

    /** A member's credential steps; {@code complete} is false when something waits (the member is planned again). */
    record Steps(List<CredentialChange> changes, boolean complete) {
    }

    private final PlanIndex index;
    private final CredentialPolicy policy;
    private final List<CredentialProblem> problems = new ArrayList<>();

    CredentialPlanner(PlanIndex index, CredentialPolicy policy) {
        this.index = index;
        this.policy = policy;
    }

    /** Problems found so far, sorted by member and type. */
    List<CredentialProblem> problems() {
        problems.sort(Comparator.comparing(CredentialProblem::memberId).thenComparing(CredentialProblem::typeSlug));
        return problems;
    }

    /** The member's CRM credentials as hashed: "type=value", sorted (values hashed, never kept). */
    List<String> canonical(String memberId) {
        List<CrmCredential> rows = index.crmCredentials(memberId);
        if (rows.size() <= 1) { // nearly every member: no stream and no sort for none or one
            return rows.isEmpty() ? List.of() : List.of(canonical(rows.get(0)));
        }
        return rows.stream().map(CredentialPlanner::canonical).sorted().toList();
    }

    private static String canonical(CrmCredential c) {
        return c.typeSlug() + "=" + (c.value() == null ? "\u0000" : c.value());
    }

    /**
     * Credential steps that make a person's credentials of managed types match the CRM: deletions first
     * (they free card numbers), then re-valuings, then new credentials. A type with a problem is reported
     * and left exactly as DoorFlow has it; {@code complete} is false then, so the member is planned again.
     * {@code person} is null for a person about to be created.
     */
    Steps stepsFor(String memberId, DoorFlowPerson person) {
        List<CrmCredential> rows = index.crmCredentials(memberId);
        List<DoorFlowCredential> onPerson = person == null ? List.of() : index.doorflowCredentials(person.id());
        return rows.isEmpty() && onPerson.isEmpty() || alreadyHeld(rows, onPerson) ? NOTHING
                : steps(memberId, rows, onPerson);
    }

    private static final Steps NOTHING = new Steps(List.of(), true);

    /**
     * The one CRM credential is the person's one credential, of that type and value (or any value, for a
     * blank one): what {@link #steps} would find, without its maps and lists. At 100,000 members with a card
     * each, those were a fifth of what planning allocated. {@code CredentialPlanShortcutTest} holds the two
     * to the same answer.
     */
    private boolean alreadyHeld(List<CrmCredential> rows, List<DoorFlowCredential> onPerson) {
        if (rows.size() != 1 || onPerson.size() != 1) {
            return false;
        }
        CrmCredential row = rows.get(0);
        DoorFlowCredential held = onPerson.get(0);
        String slug = row.typeSlug() == null ? "" : row.typeSlug();
        CredentialType type = index.credentialType(slug);
        String value = type == null ? null : valueOf(row);
        return type != null && held.typeId() == type.id() && !held.revoked() && problemOf(slug, type, rows) == null
                && (value == null || value.equals(held.value()));
    }

    /** The general rule, for any rows and any credentials the person holds. */
    Steps steps(String memberId, List<CrmCredential> rows, List<DoorFlowCredential> onPerson) {
        boolean complete = true;
        Map<Long, String> wanted = new TreeMap<>();
        Set<Long> leaveAlone = new HashSet<>();
        Map<String, List<CrmCredential>> bySlug = new TreeMap<>();
        for (CrmCredential c : rows) {
            bySlug.computeIfAbsent(c.typeSlug() == null ? "" : c.typeSlug(), k -> new ArrayList<>()).add(c);
        }
        for (var entry : bySlug.entrySet()) {
            String slug = entry.getKey();
            CredentialType type = index.credentialType(slug);
            String problem = problemOf(slug, type, entry.getValue());
            if (problem != null) {
                problems.add(new CredentialProblem(memberId, slug, problem));
                complete = false;
                if (type != null) {
                    leaveAlone.add(type.id());
                }
            } else {
                wanted.put(type.id(), valueOf(entry.getValue().get(0)));
            }
        }

        List<CredentialChange> deletes = new ArrayList<>();
        List<CredentialChange> revalues = new ArrayList<>();
        List<CredentialChange> creates = new ArrayList<>();
        Map<Long, List<DoorFlowCredential>> held = new TreeMap<>();
        Set<Long> beingRevoked = new HashSet<>();
        for (DoorFlowCredential c : onPerson) {
            if (index.managedTypeSlug(c.typeId()) == null || leaveAlone.contains(c.typeId())) {
                continue; // not doorsync's: issued by hand, or a type with a problem this run
            }
            if (c.revoked()) {
                if ("revoking".equals(c.status())) {
                    beingRevoked.add(c.typeId());
                }
            } else {
                held.computeIfAbsent(c.typeId(), k -> new ArrayList<>()).add(c);
            }
        }
        for (var want : wanted.entrySet()) {
            long typeId = want.getKey();
            String slug = index.managedTypeSlug(typeId);
            String value = want.getValue();
            List<DoorFlowCredential> have = held.remove(typeId);
            if (have == null) {
                if (beingRevoked.contains(typeId)) {
                    complete = false; // DoorFlow still revokes the old one; issue the new one next run
                } else {
                    creates.add(new CredentialChange.Create(typeId, slug, value != null ? value
                            : policy.generatedPinTypes().contains(slug) ? CredentialChange.GENERATE_PIN : null));
                }
                continue;
            }
            have.stream().skip(1).forEach(extra -> deletes.add(new CredentialChange.Delete(extra.id(), slug)));
            if (value != null && !value.equals(have.get(0).value())) {
                revalues.add(new CredentialChange.Update(have.get(0).id(), slug, value));
            }
        }
        held.forEach((typeId, creds) -> creds.forEach(
                c -> deletes.add(new CredentialChange.Delete(c.id(), index.managedTypeSlug(typeId)))));
        List<CredentialChange> steps = new ArrayList<>(deletes);
        steps.addAll(revalues);
        steps.addAll(creates);
        return new Steps(steps, complete);
    }

    /** A leaving member loses every credential of a managed type (docs/sync-rules.md: leaving). */
    List<CredentialChange> removeAll(DoorFlowPerson person) {
        return index.doorflowCredentials(person.id()).stream()
                .filter(c -> index.managedTypeSlug(c.typeId()) != null && !c.revoked())
                .sorted(Comparator.comparing(DoorFlowCredential::id))
                .map(c -> (CredentialChange) new CredentialChange.Delete(c.id(), index.managedTypeSlug(c.typeId())))
                .toList();
    }

    /** Why the CRM rows of one type cannot be applied, or null. */
    private String problemOf(String slug, CredentialType type, List<CrmCredential> rows) {
        if (slug.isBlank()) {
            return "a member_credentials row has no credential_type";
        }
        if (type == null) {
            return "credential type '" + slug + "' does not exist in DoorFlow (see GET /api/3/credential_types);"
                    + " fix the slug in the CRM or create the type in DoorFlow";
        }
        if (!policy.manages(slug)) {
            return "credential type '" + slug + "' is not one doorsync manages (doorsync.credentials.managed-types);"
                    + " the row is ignored";
        }
        if (rows.size() > 1) {
            return rows.size() + " rows for credential type '" + slug
                    + "'; DoorFlow holds one credential per type per person";
        }
        String value = valueOf(rows.get(0));
        if (value != null && value.length() > PersonFields.MAX_TEXT_LENGTH) {
            return "the value for credential type '" + slug + "' is " + value.length() + " characters long (at most "
                    + PersonFields.MAX_TEXT_LENGTH + ")";
        }
        return null;
    }

    /** A blank CRM value means "no value": DoorFlow generates the PIN, or invites the phone. */
    private static String valueOf(CrmCredential c) {
        return MemberRules.isBlank(c.value()) ? null : c.value().strip();
    }
}
