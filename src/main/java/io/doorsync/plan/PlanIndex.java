package io.doorsync.plan;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.doorsync.plan.Plan.TeamProblem;

/**
 * The lookups one planning pass needs, built once from its input: teams and the groups doorsync manages,
 * DoorFlow people by id, system_id and email, credential types and credentials by member and by person.
 * Pure: no I/O, nothing but the input.
 */
final class PlanIndex {

    private final Map<String, CrmTeam> teamsById = new HashMap<>();
    private final Set<String> misMappedTeams = new HashSet<>();
    private final Set<Long> managedGroups = new HashSet<>();
    private final List<TeamProblem> teamProblems = new ArrayList<>();
    private final Map<Long, DoorFlowPerson> peopleById;
    private final Map<String, List<DoorFlowPerson>> peopleBySystemId;
    private final Map<String, List<DoorFlowPerson>> peopleByEmail;
    private final Map<String, CredentialType> credentialTypesBySlug = new HashMap<>();
    private final Map<Long, String> typeSlugs = new HashMap<>();
    private final Map<Long, String> managedTypeSlugs = new HashMap<>();
    private final Map<String, List<CrmCredential>> credentialsOfMember;
    private final Map<Long, List<DoorFlowCredential>> credentialsOfPerson;

    PlanIndex(PlanInput in) {
        // Sized up front: at 100,000 members, growing these maps showed in a profile of planning.
        int people = in.people().size();
        peopleById = new HashMap<>(capacity(people));
        peopleBySystemId = new HashMap<>(capacity(people));
        peopleByEmail = new HashMap<>(capacity(people));
        credentialsOfMember = new HashMap<>(capacity(in.members().size()));
        credentialsOfPerson = new HashMap<>(capacity(people));
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
            if (!MemberRules.isBlank(p.systemId())) {
                file(peopleBySystemId, p.systemId(), p);
            }
            if (!MemberRules.isBlank(p.email())) {
                file(peopleByEmail, normalEmail(p.email()), p);
            }
        }
        PlanInput.Credentials credentials = in.credentials();
        for (CredentialType type : credentials.types()) {
            credentialTypesBySlug.put(type.slug(), type);
            typeSlugs.put(type.id(), type.slug());
            if (credentials.policy().manages(type.slug())) {
                managedTypeSlugs.put(type.id(), type.slug());
            }
        }
        for (CrmCredential c : credentials.desired()) {
            file(credentialsOfMember, c.memberId(), c);
        }
        for (DoorFlowCredential c : credentials.actual()) {
            file(credentialsOfPerson, c.personId(), c);
        }
    }

    private static int capacity(int entries) {
        return entries * 4 / 3 + 1;
    }

    /** Adds {@code value} under {@code key}; most keys hold one, so a lone value costs no list of its own. */
    private static <K, V> void file(Map<K, List<V>> map, K key, V value) {
        List<V> held = map.putIfAbsent(key, List.of(value));
        if (held == null) {
            return;
        }
        if (held.size() == 1) { // the immutable lone value becomes a list that grows
            held = new ArrayList<>(held);
            map.put(key, held);
        }
        held.add(value);
    }

    // ---- teams and groups ----

    CrmTeam team(String id) {
        return teamsById.get(id);
    }

    /** The teams of these that are not in teams, sorted; nearly every member has none, and gets no list. */
    List<String> unknownTeams(Collection<String> teamIds) {
        for (String id : teamIds) {
            if (!teamsById.containsKey(id)) {
                return teamIds.stream().filter(t -> !teamsById.containsKey(t)).sorted().toList();
            }
        }
        return List.of();
    }

    /** Mapped to a DoorFlow group that does not exist. */
    boolean misMapped(String teamId) {
        return misMappedTeams.contains(teamId);
    }

    /** Groups some team maps to (and that exist): doorsync decides who is in them. */
    Set<Long> managedGroups() {
        return managedGroups;
    }

    List<TeamProblem> teamProblems() {
        return teamProblems;
    }

    // ---- DoorFlow people ----

    DoorFlowPerson person(long id) {
        return peopleById.get(id);
    }

    List<DoorFlowPerson> withSystemId(String systemId) {
        return peopleBySystemId.getOrDefault(systemId, List.of());
    }

    Set<String> systemIds() {
        return peopleBySystemId.keySet();
    }

    /** People other than {@code person} (null: anyone) with this email; nearly always none, without a stream. */
    List<DoorFlowPerson> othersWithEmail(String email, DoorFlowPerson person) {
        List<DoorFlowPerson> same = withEmail(email);
        if (same.isEmpty() || same.size() == 1 && person != null && same.get(0).id() == person.id()) {
            return List.of();
        }
        return same.stream().filter(p -> person == null || p.id() != person.id()).toList();
    }

    /** People whose email matches, compared as DoorFlow does: case-insensitively, surrounding blanks ignored. */
    List<DoorFlowPerson> withEmail(String email) {
        return peopleByEmail.getOrDefault(normalEmail(email), List.of());
    }

    // ---- credentials ----

    CredentialType credentialType(String slug) {
        return credentialTypesBySlug.get(slug);
    }

    /** The slug of any credential type of the account (or its id, for one DoorFlow did not list). */
    String typeSlug(long typeId) {
        String slug = typeSlugs.get(typeId);
        return slug != null ? slug : "#" + typeId;
    }

    /** The slug of a type doorsync manages, or null for any other type. */
    String managedTypeSlug(long typeId) {
        return managedTypeSlugs.get(typeId);
    }

    List<CrmCredential> crmCredentials(String memberId) {
        return credentialsOfMember.getOrDefault(memberId, List.of());
    }

    List<DoorFlowCredential> doorflowCredentials(long personId) {
        return credentialsOfPerson.getOrDefault(personId, List.of());
    }

    // ---- words ----

    static String normalEmail(String email) {
        String stripped = email.strip();
        for (int i = 0; i < stripped.length(); i += Character.charCount(stripped.codePointAt(i))) {
            int c = stripped.codePointAt(i);
            if (Character.toLowerCase(c) != c) {
                return stripped.toLowerCase(Locale.ROOT);
            }
        }
        return stripped; // already lower case, as nearly every email is: no copy per member and per person
    }

    static String describe(List<DoorFlowPerson> people) {
        return people.stream()
                .map(p -> "DoorFlow person #" + p.id()
                        + (MemberRules.isBlank(p.systemId()) ? "" : " (system_id '" + p.systemId() + "')"))
                .collect(Collectors.joining(", "));
    }
}
