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
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.doorsync.plan.Change.AdoptPerson;
import io.doorsync.plan.Change.CreatePerson;
import io.doorsync.plan.Change.DeletePerson;
import io.doorsync.plan.Change.DisablePerson;
import io.doorsync.plan.Change.Unlink;
import io.doorsync.plan.Change.UpdatePerson;
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

        private final List<Change> revocations = new ArrayList<>();
        private final List<Change> updates = new ArrayList<>();
        private final List<Change> creations = new ArrayList<>();
        private final List<Quarantine> quarantined = new ArrayList<>();
        private final List<TeamProblem> teamProblems = new ArrayList<>();
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
            // Revocations first: removing access is the security-critical path and frees emails for others.
            return new Plan(List.of(revocations, updates, creations), quarantined, teamProblems, unchanged);
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
            String hash = SpecHash.of(spec);

            String email = normalEmail(m.email());
            List<DoorFlowPerson> others = peopleByEmail.getOrDefault(email, List.of()).stream()
                    .filter(p -> person == null || p.id() != person.id()).toList();
            if (person != null) {
                if (!others.isEmpty()) {
                    quarantine(m.id(), "email '" + spec.email() + "' is already used by " + describe(others));
                } else if (link != null && link.personId() == person.id() && hash.equals(link.appliedHash())) {
                    unchanged++;
                } else {
                    PersonSpec full = spec.withGroups(finalGroups(person, link, desired));
                    updates.add(new UpdatePerson(m.id(), person.id(), full, desired.groups, hash,
                            changedFields(person, full)));
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
                updates.add(new AdoptPerson(m.id(), unowned.id(), spec.withGroups(finalGroups(unowned, null,
                        desired)), desired.groups, hash));
            } else {
                creations.add(new CreatePerson(m.id(), spec, hash));
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
                case DELETE -> revocations.add(new DeletePerson(memberId, person.id()));
                case DISABLE -> {
                    if (link != null && link.personId() == person.id() && SpecHash.DISABLED.equals(link.appliedHash())) {
                        unchanged++;
                    } else {
                        Set<Long> remaining = new TreeSet<>(person.groupIds());
                        remaining.removeAll(ownedGroups(link));
                        revocations.add(new DisablePerson(memberId, person.id(), remaining, SpecHash.DISABLED));
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
