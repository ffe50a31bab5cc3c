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
    private final Filed<String, DoorFlowPerson> peopleBySystemId;
    private final Filed<String, DoorFlowPerson> peopleByEmail;
    private final Map<String, CredentialType> credentialTypesBySlug = new HashMap<>();
    private final Map<Long, String> typeSlugs = new HashMap<>();
    private final Map<Long, String> managedTypeSlugs = new HashMap<>();
    private final Filed<String, CrmCredential> credentialsOfMember;
    private final Filed<Long, DoorFlowCredential> credentialsOfPerson;

    PlanIndex(PlanInput in) {
        // Sized up front: at 100,000 members, growing these maps showed in a profile of planning.
        int people = in.people().size();
        peopleById = new HashMap<>(capacity(people));
        peopleBySystemId = new Filed<>(people);
        peopleByEmail = new Filed<>(people);
        credentialsOfMember = new Filed<>(in.members().size());
        credentialsOfPerson = new Filed<>(people);
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
                peopleBySystemId.add(p.systemId(), p);
            }
            if (!MemberRules.isBlank(p.email())) {
                peopleByEmail.add(normalEmail(p.email()), p);
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
            credentialsOfMember.add(c.memberId(), c);
        }
        for (DoorFlowCredential c : credentials.actual()) {
            credentialsOfPerson.add(c.personId(), c);
        }
    }

    private static int capacity(int entries) {
        return entries * 4 / 3 + 1;
    }

    /**
     * Values by key, where nearly every key holds one: a lone value is held as itself, not in a list of its own
     * (at 100,000 members, four such indexes held 400,000 one-element lists for the length of a plan).
     */
    private static final class Filed<K, V> {
        private final Map<K, Object> map;

        Filed(int expected) {
            map = new HashMap<>(capacity(expected));
        }

        @SuppressWarnings("unchecked")
        void add(K key, V value) {
            Object held = map.putIfAbsent(key, value);
            if (held instanceof Several<?> several) {
                ((Several<V>) several).add(value);
            } else if (held != null) {
                Several<V> both = new Several<>();
                both.add((V) held);
                both.add(value);
                map.put(key, both);
            }
        }

        @SuppressWarnings("unchecked")
        List<V> get(K key) {
            Object held = map.get(key);
            return held == null ? List.of() : held instanceof Several<?> several ? (List<V>) several
                    : List.of((V) held);
        }
    }

    /** A key's values when it holds more than one; a type of its own, never mistaken for a lone value. */
    private static final class Several<V> extends ArrayList<V> {
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
        return peopleBySystemId.get(systemId);
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
        return peopleByEmail.get(normalEmail(email));
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
        return credentialsOfMember.get(memberId);
    }

    List<DoorFlowCredential> doorflowCredentials(long personId) {
        return credentialsOfPerson.get(personId);
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
