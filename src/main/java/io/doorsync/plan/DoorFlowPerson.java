package io.doorsync.plan;

import java.time.Instant;
import java.util.Set;

/** A DoorFlow person as the planner sees it: the fields doorsync manages, plus the group ids it holds. */
public record DoorFlowPerson(
        long id,
        String systemId,
        String email,
        String firstName,
        String lastName,
        String telephone,
        String department,
        String jobTitle,
        Instant validFrom,
        Instant validTo,
        boolean enabled,
        Set<Long> groupIds) {

    public DoorFlowPerson {
        groupIds = Set.copyOf(groupIds);
    }
}
