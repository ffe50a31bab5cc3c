package io.doorsync.plan;

import java.time.Instant;
import java.util.Set;

/**
 * A DoorFlow person as the planner sees it: the text fields of its {@link PersonFields} table, what grants access,
 * and the group ids it holds.
 */
public record DoorFlowPerson(
        long id,
        String systemId,
        PersonTexts texts,
        Instant validFrom,
        Instant validTo,
        boolean enabled,
        Set<Long> groupIds) {

    public DoorFlowPerson {
        groupIds = Set.copyOf(groupIds);
    }

    /** A person with the built-in fields only. */
    public DoorFlowPerson(long id, String systemId, String email, String firstName, String lastName,
            String telephone, String department, String jobTitle, Instant validFrom, Instant validTo,
            boolean enabled, Set<Long> groupIds) {
        this(id, systemId, PersonTexts.builtIn(email, firstName, lastName, telephone, department,
                jobTitle), validFrom, validTo, enabled, groupIds);
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
