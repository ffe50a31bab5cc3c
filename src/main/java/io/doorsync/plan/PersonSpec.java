package io.doorsync.plan;

import java.time.Instant;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/** The full state doorsync wants a managed DoorFlow person to have (sent whole on create and update). */
public record PersonSpec(
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
        SortedSet<Long> groupIds) {

    public PersonSpec {
        groupIds = new TreeSet<>(groupIds);
    }

    public PersonSpec withGroups(Set<Long> groups) {
        return new PersonSpec(systemId, email, firstName, lastName, telephone, department, jobTitle, validFrom,
                validTo, enabled, groups instanceof SortedSet<Long> sorted ? sorted : new TreeSet<>(groups));
    }
}
