package io.doorsync.plan;

import static io.doorsync.plan.PlanIndex.describe;
import static io.doorsync.plan.PlanIndex.normalEmail;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.doorsync.plan.Change.AdoptPerson;
import io.doorsync.plan.Change.CreatePerson;
import io.doorsync.plan.Change.DeletePerson;
import io.doorsync.plan.Change.DisablePerson;
import io.doorsync.plan.Change.Unlink;
import io.doorsync.plan.Change.UpdatePerson;
import io.doorsync.plan.Plan.DriftProblem;
import io.doorsync.plan.Plan.Quarantine;

/**
 * The sync rules as one pure function: desired state + last applied + DoorFlow now → plan. No I/O, no clock,
 * so every rule is pinned by a table test. The rules in words: docs/sync-rules.md. The lookups live in
 * {@link PlanIndex}, the credential rules in {@link CredentialPlanner}, the group rules in {@link GroupRules},
 * field checks in {@link MemberRules}.
 */
public final class Planner {

    private Planner() {
    }

    public static Plan plan(PlanInput in) {
        return new Run(in).plan(null);
    }

    /**
     * The plan for one member: the same rules and input, only that member's changes and the guard's count of what
     * they take away. What it found about everyone else (quarantine, team and credential problems) is kept whole.
     */
    public static Plan planFor(PlanInput in, String memberId) {
        return new Run(in).plan(memberId);
    }

    /** One planning pass over the index of its input. */
    private static final class Run {
        private final PlanInput in;
        private final String markPrefix;
        private final PlanIndex index;
        private final CredentialPlanner credentials;
        private final GroupRules groupRules;

        private final List<Change> revocations = new ArrayList<>();
        private final List<Change> updates = new ArrayList<>();
        private final List<Change> creations = new ArrayList<>();
        private final Map<String, String> quarantineReasons = new HashMap<>();
        private final List<DriftProblem> driftProblems = new ArrayList<>();
        private int unchanged;

        Run(PlanInput in) {
            this.in = in;
            this.markPrefix = in.systemIdPrefix() + ":";
            this.index = new PlanIndex(in);
            this.credentials = new CredentialPlanner(index, in.credentials().policy());
            this.groupRules = new GroupRules(List.of(new TeamGroups(index)));
        }

        Plan plan(String onlyMember) {
            // One set of every id, also to find the repeated ones (nearly always none): one pass, one set.
            Set<String> ids = new HashSet<>(in.members().size() * 2);
            Set<String> repeated = new HashSet<>();
            for (CrmMember member : in.members()) {
                if (!ids.add(member.id())) {
                    repeated.add(member.id());
                }
            }
            Map<String, List<CrmMember>> rowsOfRepeated = new HashMap<>();
            List<CrmMember> activeCandidates = new ArrayList<>();
            for (CrmMember member : in.members()) {
                String id = member.id();
                if (!repeated.isEmpty() && repeated.contains(id)) {
                    rowsOfRepeated.computeIfAbsent(id, k -> new ArrayList<>()).add(member);
                    continue;
                }
                if (!member.active()) {
                    leave(id, "status is '" + member.status() + "'");
                    continue;
                }
                List<String> problems = new ArrayList<>();
                index.unknownTeams(member.teamIds())
                        .forEach(t -> problems.add("belongs to team '" + t + "', which is not in teams"));
                problems.addAll(MemberRules.problems(member));
                if (!problems.isEmpty()) {
                    quarantine(id, String.join("; ", problems));
                    revokeWhileQuarantined(member);
                    continue;
                }
                activeCandidates.add(member);
            }
            rowsOfRepeated.forEach(this::ambiguous);
            for (CrmMember member : withoutDuplicateEmails(activeCandidates)) {
                planActive(member);
            }
            goneMembers(ids).forEach(id -> leave(id, "no longer in the CRM"));

            Comparator<Change> byMember = Comparator.comparing(Change::memberId);
            Stream.of(revocations, updates, creations).forEach(phase -> phase.sort(byMember));
            List<Quarantine> quarantined = new ArrayList<>(quarantineReasons.size());
            quarantineReasons.forEach((id, reason) -> quarantined.add(new Quarantine(id, reason)));
            quarantined.sort(Comparator.comparing(Quarantine::memberId));
            driftProblems.sort(Comparator.comparing(DriftProblem::memberId).thenComparing(DriftProblem::field));
            // Revocations first: removing access is the security-critical path and frees emails for others.
            List<List<Change>> phases = Stream.of(revocations, updates, creations)
                    .map(phase -> onlyMember == null ? phase
                            : phase.stream().filter(c -> c.memberId().equals(onlyMember)).toList())
                    .toList();
            return new Plan(phases, quarantined, index.teamProblems(), credentials.problems(), driftProblems,
                    AccessRemovals.of(phases, index, in.links(), markPrefix), unchanged);
        }

        /**
         * A member id with several rows (a members view joining memberships, say): nothing is granted from it, but
         * what any of its rows takes away is taken away. A row that is not active makes the member a leaver; with
         * all rows active, the person keeps only what every row gives (the teams all rows share, the narrowest
         * validity), as any quarantined member does.
         */
        private void ambiguous(String id, List<CrmMember> rows) {
            String repeated = "member id appears " + rows.size() + " times in members";
            CrmMember leaving = rows.stream().filter(r -> !r.active()).findFirst().orElse(null);
            if (leaving != null) {
                quarantine(id, repeated + "; one of them has status '" + leaving.status() + "', so the member is"
                        + " treated as a leaver (doorsync.sync.leave-policy) and nothing is granted until one row"
                        + " remains");
                leave(id, "status is '" + leaving.status() + "' in one of its rows");
                return;
            }
            quarantine(id, repeated + "; nothing is granted until one row remains, and what any row takes away is"
                    + " taken away");
            revokeWhileQuarantined(Narrowing.narrowest(rows));
        }

        /** Members sharing an email cannot all be DoorFlow people; only an already linked one keeps it. */
        private List<CrmMember> withoutDuplicateEmails(List<CrmMember> members) {
            Map<String, List<CrmMember>> sameEmail = Sharing.of(members, m -> normalEmail(m.email()));
            List<CrmMember> kept = new ArrayList<>(members.size());
            for (CrmMember first : members) {
                List<CrmMember> sharing = sameEmail.isEmpty() ? null : sameEmail.get(normalEmail(first.email()));
                if (sharing == null) {
                    kept.add(first);
                    continue;
                }
                if (sharing.get(0) != first) {
                    continue; // decided with the first member holding that email
                }
                List<CrmMember> linked = sharing.stream().filter(m -> in.links().containsKey(m.id())).toList();
                CrmMember keeper = linked.size() == 1 ? linked.get(0) : null;
                for (CrmMember m : sharing) {
                    if (m == keeper) {
                        kept.add(m);
                    } else {
                        String others = sharing.stream().filter(o -> o != m).map(CrmMember::id).sorted()
                                .collect(Collectors.joining(", "));
                        quarantine(m.id(), "email '" + m.email().strip() + "' is also the email of member(s) "
                                + others + (keeper == null ? "" : ", who already has it in DoorFlow"));
                        revokeWhileQuarantined(m);
                    }
                }
            }
            return kept;
        }

        private void planActive(CrmMember m) {
            Link link = in.links().get(m.id());
            String mark = markPrefix + m.id();
            Resolved resolved = resolve(m.id(), mark, link);
            if (resolved.problem != null) {
                quarantine(m.id(), resolved.problem);
                return;
            }
            DoorFlowPerson person = resolved.person;
            GroupRules.Desired desired = groupRules.desired(m);
            PersonSpec spec = new PersonSpec(mark, m.texts().sent(), m.validFrom(), m.validTo(), true,
                    desired.groups());
            List<String> desiredCredentials = credentials.canonical(m.id());
            String hash = SpecHash.of(spec, desiredCredentials);

            List<DoorFlowPerson> others = index.othersWithEmail(m.email(), person);
            if (person != null) {
                boolean linked = link != null && link.personId() == person.id();
                if (!others.isEmpty()) {
                    quarantine(m.id(), "email '" + spec.email() + "' is already used by " + describe(others));
                    revokeWhileQuarantined(m);
                    return;
                }
                // DoorFlow is compared every run, also when the CRM side is unchanged: hand edits are put back.
                PersonSpec full = spec.withGroups(groupRules.afterRun(person, link, desired));
                List<String> changed = PersonDiff.changed(person, full);
                CredentialPlanner.Steps steps = credentials.stepsFor(m.id(), person);
                String saved = steps.complete() ? hash : SpecHash.INCOMPLETE;
                Set<Long> owned = groupRules.ownedAfter(person, link, desired);
                if (linked && changed.isEmpty() && steps.changes().isEmpty() && saved.equals(link.appliedHash())
                        && link.appliedGroups().equals(owned)) {
                    unchanged++; // DoorFlow matches (or waits on a credential problem): nothing to do
                } else if (linked && hash.equals(link.appliedHash())) {
                    repairDrift(m.id(), person, link, full, owned, saved, changed, steps);
                } else {
                    updates.add(new UpdatePerson(m.id(), person.id(), full, owned, saved, changed, steps.changes(),
                            List.of(), Map.of(), person.groupIds()));
                }
                return;
            }
            List<DoorFlowPerson> owned = others.stream().filter(p -> !MemberRules.isBlank(p.systemId())).toList();
            if (!owned.isEmpty()) {
                quarantine(m.id(), "email '" + spec.email() + "' is already used by " + describe(owned)
                        + "; doorsync does not take over people another system manages");
            } else if (others.size() > 1) {
                quarantine(m.id(), "email '" + spec.email() + "' matches several unmanaged DoorFlow people ("
                        + describe(others) + "); merge them in DoorFlow first");
            } else if (others.size() == 1) {
                DoorFlowPerson unowned = others.get(0);
                CredentialPlanner.Steps steps = credentials.stepsFor(m.id(), unowned);
                PersonSpec adopted = spec.withGroups(groupRules.afterRun(unowned, null, desired));
                String wait = Long.valueOf(unowned.id()).equals(in.approvedAdoptions().get(m.id())) ? null
                        : Adoption.needsApproval(m, unowned, adopted, steps.changes(), desired.groups(), index);
                if (wait != null) {
                    quarantine(m.id(), wait);
                    return;
                }
                updates.add(new AdoptPerson(m.id(), unowned.id(), adopted, desired.groups(),
                        steps.complete() ? hash : SpecHash.INCOMPLETE, steps.changes(), unowned.groupIds()));
            } else {
                CredentialPlanner.Steps steps = credentials.stepsFor(m.id(), null);
                creations.add(new CreatePerson(m.id(), spec, steps.complete() ? hash : SpecHash.INCOMPLETE,
                        steps.changes()));
            }
        }

        private void repairDrift(String memberId, DoorFlowPerson person, Link link, PersonSpec full, Set<Long> owned,
                String saved, List<String> changed, CredentialPlanner.Steps steps) {
            DriftRepair.Decision decision = DriftRepair.decide(memberId, person, link, full, owned, saved, changed,
                    steps.changes(), in.driftRepairLimit());
            driftProblems.addAll(decision.problems());
            if (decision.change() == null) {
                unchanged++;
            } else {
                updates.add(decision.change());
            }
        }

        /**
         * Quarantine holds back what is unsafe to write, never the removal of access: a linked member held back
         * for another reason still loses the groups and managed credentials the CRM no longer gives it, and a
         * validity the CRM shortened (a later valid_from, an earlier valid_to). Nothing that grants or changes
         * identity is written (the person keeps DoorFlow's other values), and the link keeps its applied hash.
         */
        private void revokeWhileQuarantined(CrmMember m) {
            Link link = in.links().get(m.id());
            // Linked, or stamped by this installation and not linked yet (a lost answer): its own to narrow.
            Resolved resolved = resolve(m.id(), markPrefix + m.id(), link);
            if (resolved.problem != null || resolved.person == null) {
                return; // nothing doorsync wrote, or nothing it can safely reach
            }
            DoorFlowPerson person = resolved.person;
            GroupRules.Desired desired = groupRules.desired(m);
            Set<Long> groups = desired.anyMisMapped() ? new TreeSet<>(person.groupIds())
                    : groupRules.afterRun(person, link, desired);
            groups.retainAll(person.groupIds()); // only ever taken away here
            List<CredentialChange> deletes = credentials.stepsFor(m.id(), person).changes().stream()
                    .filter(c -> c instanceof CredentialChange.Delete).toList();
            Narrowing.Window validity = Narrowing.both(person.validFrom(), person.validTo(), m.validFrom(),
                    m.validTo());
            PersonSpec asIs = new PersonSpec(person.systemId(), person.texts(), validity.from(), validity.to(),
                    person.enabled(), new TreeSet<>(groups));
            List<String> changed = PersonDiff.changed(person, asIs);
            if (changed.isEmpty() && deletes.isEmpty()) {
                return;
            }
            Set<Long> stillOwned = new TreeSet<>(link == null ? desired.groups() : link.appliedGroups());
            stillOwned.retainAll(groups);
            revocations.add(new UpdatePerson(m.id(), person.id(), asIs, stillOwned,
                    link == null ? SpecHash.INCOMPLETE : link.appliedHash(), changed, deletes, List.of(),
                    link == null ? Map.of() : link.drift(), person.groupIds()));
        }

        private void leave(String memberId, String why) {
            Link link = in.links().get(memberId);
            String mark = markPrefix + memberId;
            Resolved resolved = resolve(memberId, mark, link);
            if (resolved.problem != null) {
                quarantine(memberId, why + ", but " + resolved.problem);
                return;
            }
            DoorFlowPerson person = resolved.person;
            if (person == null) {
                if (link != null) {
                    revocations.add(new Unlink(memberId, link.personId(), mark));
                }
                return;
            }
            switch (in.leavePolicy()) {
                case KEEP -> unchanged++;
                case DELETE -> revocations.add(new DeletePerson(memberId, person.id(), credentials.removeAll(person)));
                case DISABLE -> {
                    Set<Long> remaining = new TreeSet<>(person.groupIds());
                    remaining.removeIf(g -> groupRules.owns(link, g));
                    List<CredentialChange> loses = credentials.removeAll(person);
                    if (link == null || link.personId() != person.id()
                            || !SpecHash.DISABLED.equals(link.appliedHash())) {
                        revocations.add(new DisablePerson(memberId, person.id(), remaining, SpecHash.DISABLED, loses,
                                List.of(), person.groupIds()));
                        return;
                    }
                    // Disabled before: put it back if DoorFlow gave the leaver any access again.
                    List<String> drift = new ArrayList<>();
                    if (person.enabled()) {
                        drift.add("enabled");
                    }
                    if (!remaining.equals(person.groupIds())) {
                        drift.add("groups");
                    }
                    if (!loses.isEmpty()) {
                        drift.add("credentials");
                    }
                    if (drift.isEmpty()) {
                        unchanged++;
                    } else {
                        revocations.add(new DisablePerson(memberId, person.id(), remaining, SpecHash.DISABLED, loses,
                                drift, person.groupIds()));
                    }
                }
            }
        }

        /** Linked or stamped members that the CRM no longer lists. */
        private Set<String> goneMembers(Set<String> crmIds) {
            // Only what this installation owns: its links, and creations it started. A person carrying the same
            // mark that it never created belongs to someone else (another installation on this account).
            Set<String> gone = new TreeSet<>(); // the few gone, sorted; not every link in a sorted set
            Stream.concat(in.links().keySet().stream(), in.stampsInFlight().stream())
                    .filter(id -> !crmIds.contains(id)).forEach(gone::add);
            return gone;
        }

        /**
         * The DoorFlow person of a member: the linked one while it carries this installation's mark; without a
         * link, the one carrying the mark only when this installation started creating it (a crash before the
         * link was saved). A marked person this installation did not create is not its own to touch.
         */
        private Resolved resolve(String memberId, String mark, Link link) {
            if (link != null) {
                DoorFlowPerson linked = index.person(link.personId());
                if (linked != null && mark.equals(linked.systemId())) {
                    return new Resolved(linked, null);
                }
                // The linked person is gone (deleted by hand): a person created since to replace it is found below.
            }
            List<DoorFlowPerson> marked = index.withSystemId(mark);
            if (marked.isEmpty()) {
                return new Resolved(null, null);
            }
            if (!in.stampsInFlight().contains(memberId)) {
                return new Resolved(null, describe(marked) + " carries system_id " + mark + ", but this installation"
                        + " did not create it: another doorsync installation on this DoorFlow account with the same"
                        + " doorsync.sync.system-id-prefix? Give each installation its own prefix; doorsync leaves"
                        + " that person alone");
            }
            if (marked.size() > 1) {
                return new Resolved(null, "several DoorFlow people carry system_id " + mark + " (" + describe(marked)
                        + "); remove the extra ones in DoorFlow");
            }
            return new Resolved(marked.get(0), null);
        }

        /** Holds a member back; a second reason for the same member is added to the first. */
        private void quarantine(String memberId, String reason) {
            String earlier = quarantineReasons.putIfAbsent(memberId, reason);
            if (earlier != null) {
                quarantineReasons.put(memberId, earlier + "; " + reason);
            }
        }
    }

    private record Resolved(DoorFlowPerson person, String problem) {
    }
}
