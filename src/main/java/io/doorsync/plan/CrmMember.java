package io.doorsync.plan;

import java.time.Instant;
import java.util.Set;

/**
 * One row of the CRM's members relation, as read (nothing validated yet), with the ids of the teams the
 * member belongs to. Text columns may be null or anything at all: {@link MemberRules} decides. {@code texts} holds
 * the columns of its {@link PersonFields} table.
 */
public record CrmMember(
        String id,
        PersonTexts texts,
        String status,
        Instant validFrom,
        Instant validTo,
        Set<String> teamIds) {

    public static final String ACTIVE = "active";

    public CrmMember {
        teamIds = Set.copyOf(teamIds);
    }

    /** A member with the built-in fields only. */
    public CrmMember(String id, String email, String firstName, String lastName, String phone, String department,
            String jobTitle, String status, Instant validFrom, Instant validTo, Set<String> teamIds) {
        this(id, PersonTexts.builtIn(email, firstName, lastName, phone, department, jobTitle),
                status, validFrom, validTo, teamIds);
    }

    public boolean active() {
        return ACTIVE.equals(status);
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
