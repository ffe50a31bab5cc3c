package io.doorsync.plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.doorsync.plan.Change.AdoptPerson;
import io.doorsync.plan.Change.CreatePerson;
import io.doorsync.plan.Change.DeletePerson;
import io.doorsync.plan.Change.DisablePerson;
import io.doorsync.plan.Change.Unlink;
import io.doorsync.plan.Change.UpdatePerson;
import io.doorsync.plan.Plan.CredentialProblem;
import io.doorsync.plan.Plan.Quarantine;
import io.doorsync.plan.Plan.TeamProblem;

/**
 * The sync rules as one pure function: desired state + last applied + DoorFlow now → plan. No I/O, no clock,
 * so every rule is pinned by a table test. See DESIGN.md "Sync semantics".
 */
public final class Planner {

    private Planner() {
    }

    public static Plan plan(PlanInput in) {
        return new Run(in).plan();
    }

    /** One planning pass; holds the indexes built from the input. */
    private static final class Run {
        private final PlanInput in;
        private final String markPrefix;
        private final Map<String, CrmTeam> teamsById = new HashMap<>();
        private final Set<String> misMappedTeams = new HashSet<>();
        private final Set<Long> managedGroups = new HashSet<>();
        private final Map<Long, DoorFlowPerson> peopleById = new HashMap<>();
        private final Map<String, List<DoorFlowPerson>> peopleBySystemId = new HashMap<>();
        private final Map<String, List<DoorFlowPerson>> peopleByEmail = new HashMap<>();
        private final Map<String, CredentialType> credentialTypesBySlug = new HashMap<>();
        private final Map<Long, String> managedTypeSlugs = new HashMap<>();
        private final Map<String, List<CrmCredential>> credentialsOfMember = new HashMap<>();
        private final Map<Long, List<DoorFlowCredential>> credentialsOfPerson = new HashMap<>();

        private final List<Change> revocations = new ArrayList<>();
        private final List<Change> updates = new ArrayList<>();
        private final List<Change> creations = new ArrayList<>();
        private final List<Quarantine> quarantined = new ArrayList<>();
        private final List<TeamProblem> teamProblems = new ArrayList<>();
        private final List<CredentialProblem> credentialProblems = new ArrayList<>();
        private int unchanged;

        Run(PlanInput in) {
            this.in = in;
            this.markPrefix = in.systemIdPrefix() + ":";
            for (CrmTeam team : in.teams()) {
                teamsById.put(team.id(), team);
                Long group = team.doorflowGroupId();
                if (group == null) {
                    continue;
                }
                if (in.doorflowGroupIds().contains(group)) {
                    managedGroups.add(group);
                } else {
                    misMappedTeams.add(team.id());
                    teamProblems.add(new TeamProblem(team.id(), team.name(), "team '" + team.name()
                            + "' is mapped to DoorFlow group " + group + ", which does not exist in DoorFlow;"
                            + " its members keep the groups they have until the mapping is fixed"));
                }
            }
            for (DoorFlowPerson p : in.people()) {
                peopleById.put(p.id(), p);
                if (p.systemId() != null && !p.systemId().isBlank()) {
                    peopleBySystemId.computeIfAbsent(p.systemId(), k -> new ArrayList<>()).add(p);
                }
                if (p.email() != null && !p.email().isBlank()) {
                    peopleByEmail.computeIfAbsent(normalEmail(p.email()), k -> new ArrayList<>()).add(p);
                }
            }
            PlanInput.Credentials credentials = in.credentials();
            for (CredentialType type : credentials.types()) {
                credentialTypesBySlug.put(type.slug(), type);
                if (credentials.policy().manages(type.slug())) {
                    managedTypeSlugs.put(type.id(), type.slug());
                }
            }
            for (CrmCredential c : credentials.desired()) {
                credentialsOfMember.computeIfAbsent(c.memberId(), k -> new ArrayList<>()).add(c);
            }
            for (DoorFlowCredential c : credentials.actual()) {
                credentialsOfPerson.computeIfAbsent(c.personId(), k -> new ArrayList<>()).add(c);
            }
        }

        Plan plan() {
            Map<String, List<CrmMember>> byId = in.members().stream()
                    .collect(Collectors.groupingBy(CrmMember::id, LinkedHashMap::new, Collectors.toList()));
            List<CrmMember> activeCandidates = new ArrayList<>();
            for (var entry : byId.entrySet()) {
                String id = entry.getKey();
                if (entry.getValue().size() > 1) {
                    quarantine(id, "member id appears " + entry.getValue().size() + " times in members");
                    continue;
                }
                CrmMember member = entry.getValue().get(0);
                if (!member.active()) {
                    leave(id, "status is '" + member.status() + "'");
                    continue;
                }
                List<String> problems = new ArrayList<>();
                member.teamIds().stream().sorted().filter(t -> !teamsById.containsKey(t))
                        .forEach(t -> problems.add("belongs to team '" + t + "', which is not in teams"));
                problems.addAll(MemberRules.problems(member));
                if (!problems.isEmpty()) {
                    quarantine(id, String.join("; ", problems));
                    continue;
                }
                activeCandidates.add(member);
            }
            for (CrmMember member : withoutDuplicateEmails(activeCandidates)) {
                planActive(member);
            }
            goneMembers(byId.keySet()).forEach(id -> leave(id, "no longer in the CRM"));

            Comparator<Change> byMember = Comparator.comparing(Change::memberId);
            Stream.of(revocations, updates, creations).forEach(phase -> phase.sort(byMember));
            quarantined.sort(Comparator.comparing(Quarantine::memberId));
            credentialProblems.sort(Comparator.comparing(CredentialProblem::memberId)
                    .thenComparing(CredentialProblem::typeSlug));
            // Revocations first: removing access is the security-critical path and frees emails for others.
            return new Plan(List.of(revocations, updates, creations), quarantined, teamProblems, credentialProblems,
                    unchanged);
        }

        /** Members sharing an email cannot all be DoorFlow people; only an already linked one keeps it. */
        private List<CrmMember> withoutDuplicateEmails(List<CrmMember> members) {
            Map<String, List<CrmMember>> byEmail = members.stream()
                    .collect(Collectors.groupingBy(m -> normalEmail(m.email()), LinkedHashMap::new,
                            Collectors.toList()));
            List<CrmMember> kept = new ArrayList<>();
            for (List<CrmMember> sharing : byEmail.values()) {
                if (sharing.size() == 1) {
                    kept.add(sharing.get(0));
                    continue;
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
                    }
                }
            }
            return kept;
        }

        private void planActive(CrmMember m) {
            Link link = in.links().get(m.id());
            Resolved resolved = resolve(m.id(), link);
            if (resolved.problem != null) {
                quarantine(m.id(), resolved.problem);
                return;
            }
            DoorFlowPerson person = resolved.person;
            SortedGroups desired = desiredGroups(m);
            PersonSpec spec = new PersonSpec(markPrefix + m.id(), m.email().strip(), m.firstName().strip(),
                    m.lastName().strip(), trimToNull(m.phone()), trimToNull(m.department()),
                    trimToNull(m.jobTitle()), m.validFrom(), m.validTo(), true, desired.groups);
            List<String> desiredCredentials = canonicalCredentials(m.id());
            String hash = SpecHash.of(spec, desiredCredentials);

            String email = normalEmail(m.email());
            List<DoorFlowPerson> others = peopleByEmail.getOrDefault(email, List.of()).stream()
                    .filter(p -> person == null || p.id() != person.id()).toList();
            if (person != null) {
                boolean linked = link != null && link.personId() == person.id();
                if (!others.isEmpty()) {
                    quarantine(m.id(), "email '" + spec.email() + "' is already used by " + describe(others));
                } else if (linked && hash.equals(link.appliedHash())) {
                    unchanged++;
                } else {
                    PersonSpec full = spec.withGroups(finalGroups(person, link, desired));
                    List<String> changed = changedFields(person, full);
                    CredentialSteps credentials = credentialSteps(m.id(), person);
                    String saved = credentials.complete ? hash : SpecHash.INCOMPLETE;
                    if (linked && changed.isEmpty() && credentials.changes.isEmpty() && saved.equals(link.appliedHash())
                            && link.appliedGroups().equals(desired.groups)) {
                        unchanged++; // still waiting on a credential problem; nothing else to do
                    } else {
                        updates.add(new UpdatePerson(m.id(), person.id(), full, desired.groups, saved, changed,
                                credentials.changes));
                    }
                }
                return;
            }
            List<DoorFlowPerson> owned = others.stream().filter(p -> !isBlank(p.systemId())).toList();
            if (!owned.isEmpty()) {
                quarantine(m.id(), "email '" + spec.email() + "' is already used by " + describe(owned)
                        + "; doorsync does not take over people another system manages");
            } else if (others.size() > 1) {
                quarantine(m.id(), "email '" + spec.email() + "' matches several unmanaged DoorFlow people ("
                        + describe(others) + "); merge them in DoorFlow first");
            } else if (others.size() == 1) {
                DoorFlowPerson unowned = others.get(0);
                CredentialSteps credentials = credentialSteps(m.id(), unowned);
                updates.add(new AdoptPerson(m.id(), unowned.id(), spec.withGroups(finalGroups(unowned, null,
                        desired)), desired.groups, credentials.complete ? hash : SpecHash.INCOMPLETE,
                        credentials.changes));
            } else {
                CredentialSteps credentials = credentialSteps(m.id(), null);
                creations.add(new CreatePerson(m.id(), spec, credentials.complete ? hash : SpecHash.INCOMPLETE,
                        credentials.changes));
            }
        }

        private void leave(String memberId, String why) {
            Link link = in.links().get(memberId);
            Resolved resolved = resolve(memberId, link);
            if (resolved.problem != null) {
                quarantine(memberId, why + ", but " + resolved.problem);
                return;
            }
            DoorFlowPerson person = resolved.person;
            if (person == null) {
                if (link != null) {
                    revocations.add(new Unlink(memberId, link.personId(), "DoorFlow person #" + link.personId()
                            + " no longer exists or no longer carries system_id " + markPrefix + memberId));
                }
                return;
            }
            switch (in.leavePolicy()) {
                case KEEP -> unchanged++;
                case DELETE -> revocations.add(new DeletePerson(memberId, person.id(), removeAllCredentials(person)));
                case DISABLE -> {
                    if (link != null && link.personId() == person.id() && SpecHash.DISABLED.equals(link.appliedHash())) {
                        unchanged++;
                    } else {
                        Set<Long> remaining = new TreeSet<>(person.groupIds());
                        remaining.removeAll(ownedGroups(link));
                        revocations.add(new DisablePerson(memberId, person.id(), remaining, SpecHash.DISABLED,
                                removeAllCredentials(person)));
                    }
                }
            }
        }

        /** Linked or stamped members that the CRM no longer lists. */
        private Set<String> goneMembers(Set<String> crmIds) {
            Set<String> gone = new TreeSet<>(in.links().keySet());
            for (String systemId : peopleBySystemId.keySet()) {
                if (systemId.startsWith(markPrefix)) {
                    gone.add(systemId.substring(markPrefix.length()));
                }
            }
            gone.removeAll(crmIds);
            return gone;
        }

        /** The DoorFlow person of a member: the linked one if it still carries our mark, else found by mark. */
        private Resolved resolve(String memberId, Link link) {
            String mark = markPrefix + memberId;
            if (link != null) {
                DoorFlowPerson linked = peopleById.get(link.personId());
                if (linked != null && mark.equals(linked.systemId())) {
                    return new Resolved(linked, null);
                }
            }
            List<DoorFlowPerson> marked = peopleBySystemId.getOrDefault(mark, List.of());
            if (marked.size() > 1) {
                return new Resolved(null, "several DoorFlow people carry system_id " + mark + " (" + describe(marked)
                        + "); remove the extra ones in DoorFlow");
            }
            return new Resolved(marked.isEmpty() ? null : marked.get(0), null);
        }

        private SortedGroups desiredGroups(CrmMember m) {
            TreeSet<Long> groups = new TreeSet<>();
            boolean misMapped = false;
            for (String teamId : m.teamIds()) {
                CrmTeam team = teamsById.get(teamId);
                if (misMappedTeams.contains(teamId)) {
                    misMapped = true;
                } else if (team.doorflowGroupId() != null) {
                    groups.add(team.doorflowGroupId());
                }
            }
            return new SortedGroups(groups, misMapped);
        }

        /** (current − groups doorsync owns) ∪ desired; with a mis-mapped team nothing is taken away. */
        private Set<Long> finalGroups(DoorFlowPerson person, Link link, SortedGroups desired) {
            Set<Long> groups = new TreeSet<>(person.groupIds());
            if (!desired.anyMisMapped) {
                groups.removeAll(ownedGroups(link));
            }
            groups.addAll(desired.groups);
            return groups;
        }

        private Set<Long> ownedGroups(Link link) {
            Set<Long> owned = new HashSet<>(managedGroups);
            if (link != null) {
                owned.addAll(link.appliedGroups());
            }
            return owned;
        }

        private void quarantine(String memberId, String reason) {
            quarantined.add(new Quarantine(memberId, reason));
        }

        /** The member's CRM credentials as hashed: "type=value", sorted (values hashed, never kept). */
        private List<String> canonicalCredentials(String memberId) {
            return credentialsOfMember.getOrDefault(memberId, List.of()).stream()
                    .map(c -> c.typeSlug() + "=" + (c.value() == null ? "\u0000" : c.value())).sorted().toList();
        }

        /**
         * Credential steps that make a person's credentials of managed types match the CRM: deletions first
         * (they free card numbers), then re-valuings, then new credentials. A type with a problem is reported
         * and left exactly as DoorFlow has it; {@code complete} is false then, so the member is planned again.
         */
        private CredentialSteps credentialSteps(String memberId, DoorFlowPerson person) {
            boolean complete = true;
            Map<Long, String> wanted = new TreeMap<>();
            Set<Long> leaveAlone = new HashSet<>();
            Map<String, List<CrmCredential>> bySlug = new TreeMap<>();
            for (CrmCredential c : credentialsOfMember.getOrDefault(memberId, List.of())) {
                bySlug.computeIfAbsent(c.typeSlug() == null ? "" : c.typeSlug(), k -> new ArrayList<>()).add(c);
            }
            for (var entry : bySlug.entrySet()) {
                String slug = entry.getKey();
                CredentialType type = credentialTypesBySlug.get(slug);
                String problem = null;
                if (slug.isBlank()) {
                    problem = "a member_credentials row has no credential_type";
                } else if (type == null) {
                    problem = "credential type '" + slug + "' does not exist in DoorFlow (see GET"
                            + " /api/3/credential_types); fix the slug in the CRM or create the type in DoorFlow";
                } else if (!in.credentials().policy().manages(slug)) {
                    problem = "credential type '" + slug + "' is not one doorsync manages"
                            + " (doorsync.credentials.managed-types); the row is ignored";
                } else if (entry.getValue().size() > 1) {
                    problem = entry.getValue().size() + " rows for credential type '" + slug
                            + "'; DoorFlow holds one credential per type per person";
                } else if (valueOf(entry.getValue().get(0)) != null
                        && valueOf(entry.getValue().get(0)).length() > MemberRules.MAX_TEXT_LENGTH) {
                    problem = "the value for credential type '" + slug + "' is "
                            + valueOf(entry.getValue().get(0)).length() + " characters long (at most "
                            + MemberRules.MAX_TEXT_LENGTH + ")";
                }
                if (problem != null) {
                    credentialProblems.add(new CredentialProblem(memberId, slug, problem));
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
            for (DoorFlowCredential c : person == null ? List.<DoorFlowCredential>of()
                    : credentialsOfPerson.getOrDefault(person.id(), List.of())) {
                if (!managedTypeSlugs.containsKey(c.typeId()) || leaveAlone.contains(c.typeId())) {
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
                String slug = managedTypeSlugs.get(typeId);
                String value = want.getValue();
                List<DoorFlowCredential> have = held.remove(typeId);
                if (have == null) {
                    if (beingRevoked.contains(typeId)) {
                        complete = false; // DoorFlow still revokes the old one; issue the new one next run
                    } else {
                        creates.add(new CredentialChange.Create(typeId, slug, value != null ? value
                                : in.credentials().policy().generatedPinTypes().contains(slug)
                                        ? CredentialChange.GENERATE_PIN : null));
                    }
                    continue;
                }
                have.stream().skip(1).forEach(extra -> deletes.add(new CredentialChange.Delete(extra.id(), slug)));
                if (value != null && !value.equals(have.get(0).value())) {
                    revalues.add(new CredentialChange.Update(have.get(0).id(), slug, value));
                }
            }
            held.forEach((typeId, creds) -> creds.forEach(
                    c -> deletes.add(new CredentialChange.Delete(c.id(), managedTypeSlugs.get(typeId)))));
            List<CredentialChange> steps = new ArrayList<>(deletes);
            steps.addAll(revalues);
            steps.addAll(creates);
            return new CredentialSteps(steps, complete);
        }

        /** A leaving member loses every credential of a managed type (see README: leaving). */
        private List<CredentialChange> removeAllCredentials(DoorFlowPerson person) {
            return credentialsOfPerson.getOrDefault(person.id(), List.of()).stream()
                    .filter(c -> managedTypeSlugs.containsKey(c.typeId()) && !c.revoked())
                    .sorted(Comparator.comparing(DoorFlowCredential::id))
                    .map(c -> (CredentialChange) new CredentialChange.Delete(c.id(), managedTypeSlugs.get(c.typeId())))
                    .toList();
        }
    }

    private record CredentialSteps(List<CredentialChange> changes, boolean complete) {
    }

    /** A blank CRM value means "no value": DoorFlow generates the PIN, or invites the phone. */
    private static String valueOf(CrmCredential c) {
        return isBlank(c.value()) ? null : c.value().strip();
    }

    private record Resolved(DoorFlowPerson person, String problem) {
    }

    private record SortedGroups(TreeSet<Long> groups, boolean anyMisMapped) {
    }

    static List<String> changedFields(DoorFlowPerson p, PersonSpec s) {
        List<String> changed = new ArrayList<>();
        diff(changed, "system_id", p.systemId(), s.systemId());
        diff(changed, "email", p.email(), s.email());
        diff(changed, "first_name", p.firstName(), s.firstName());
        diff(changed, "last_name", p.lastName(), s.lastName());
        diff(changed, "telephone", p.telephone(), s.telephone());
        diff(changed, "department", p.department(), s.department());
        diff(changed, "job_title", p.jobTitle(), s.jobTitle());
        diff(changed, "valid_from", p.validFrom(), s.validFrom());
        diff(changed, "valid_to", p.validTo(), s.validTo());
        diff(changed, "enabled", p.enabled(), s.enabled());
        diff(changed, "groups", new TreeSet<>(p.groupIds()), s.groupIds());
        return changed;
    }

    private static void diff(List<String> changed, String field, Object actual, Object desired) {
        if (!Objects.equals(actual, desired)) {
            changed.add(field);
        }
    }

    private static String describe(List<DoorFlowPerson> people) {
        return people.stream()
                .map(p -> "DoorFlow person #" + p.id()
                        + (isBlank(p.systemId()) ? "" : " (system_id '" + p.systemId() + "')"))
                .collect(Collectors.joining(", "));
    }

    static String normalEmail(String email) {
        return email.strip().toLowerCase(Locale.ROOT);
    }

    private static String trimToNull(String s) {
        return isBlank(s) ? null : s.strip();
    }

    private static boolean isBlank(String s) {
        return MemberRules.isBlank(s);
    }
}
