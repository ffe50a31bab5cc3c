package io.doorsync.plan;

import java.time.Instant;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The full state doorsync wants a managed DoorFlow person to have (sent whole on create and update): the text
 * fields of its {@link PersonFields} table, and what grants access.
 */
public record PersonSpec(
        String systemId,
        PersonTexts texts,
        Instant validFrom,
        Instant validTo,
        boolean enabled,
        SortedSet<Long> groupIds) {

    public PersonSpec {
        groupIds = new TreeSet<>(groupIds);
    }

    /** A spec with the built-in fields only. */
    public PersonSpec(String systemId, String email, String firstName, String lastName, String telephone,
            String department, String jobTitle, Instant validFrom, Instant validTo, boolean enabled,
            SortedSet<Long> groupIds) {
        this(systemId, PersonTexts.builtIn(email, firstName, lastName, telephone, department,
                jobTitle), validFrom, validTo, enabled, groupIds);
    }

    public PersonSpec withGroups(Set<Long> groups) {
        return new PersonSpec(systemId, texts, validFrom, validTo, enabled,
                groups instanceof SortedSet<Long> sorted ? sorted : new TreeSet<>(groups));
    }

    public String email() {
        return texts.get("email");
    }

    public String firstName() {
        return texts.get("first_name");
    }

    public String lastName() {
        return texts.get("last_name");
    }
}
