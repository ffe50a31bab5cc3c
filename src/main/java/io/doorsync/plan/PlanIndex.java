package io.doorsync.plan;

import java.util.ArrayList;
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
    private final Map<Long, DoorFlowPerson> peopleById = new HashMap<>();
    private final Map<String, List<DoorFlowPerson>> peopleBySystemId = new HashMap<>();
    private final Map<String, List<DoorFlowPerson>> peopleByEmail = new HashMap<>();
    private final Map<String, CredentialType> credentialTypesBySlug = new HashMap<>();
    private final Map<Long, String> typeSlugs = new HashMap<>();
    private final Map<Long, String> managedTypeSlugs = new HashMap<>();
    private final Map<String, List<CrmCredential>> credentialsOfMember = new HashMap<>();
    private final Map<Long, List<DoorFlowCredential>> credentialsOfPerson = new HashMap<>();

    PlanIndex(PlanInput in) {
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
                peopleBySystemId.computeIfAbsent(p.systemId(), k -> new ArrayList<>()).add(p);
            }
            if (!MemberRules.isBlank(p.email())) {
                peopleByEmail.computeIfAbsent(normalEmail(p.email()), k -> new ArrayList<>()).add(p);
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
            credentialsOfMember.computeIfAbsent(c.memberId(), k -> new ArrayList<>()).add(c);
        }
        for (DoorFlowCredential c : credentials.actual()) {
            credentialsOfPerson.computeIfAbsent(c.personId(), k -> new ArrayList<>()).add(c);
        }
    }

    // ---- teams and groups ----

    CrmTeam team(String id) {
        return teamsById.get(id);
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
        return typeSlugs.getOrDefault(typeId, "#" + typeId);
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
        return email.strip().toLowerCase(Locale.ROOT);
    }

    static String describe(List<DoorFlowPerson> people) {
        return people.stream()
                .map(p -> "DoorFlow person #" + p.id()
                        + (MemberRules.isBlank(p.systemId()) ? "" : " (system_id '" + p.systemId() + "')"))
                .collect(Collectors.joining(", "));
    }
}
