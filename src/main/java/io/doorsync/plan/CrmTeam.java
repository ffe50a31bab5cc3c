package io.doorsync.plan;

/** One row of the CRM's teams relation; a null group id means the team opens no doors. */
public record CrmTeam(String id, String name, Long doorflowGroupId) {
}
