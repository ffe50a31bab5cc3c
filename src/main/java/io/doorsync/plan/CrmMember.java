package io.doorsync.plan;

import java.time.Instant;
import java.util.Set;

/**
 * One row of the CRM's members relation, as read (nothing validated yet), with the ids of the teams the
 * member belongs to. Text columns may be null or anything at all: {@link MemberRules} decides.
 */
public record CrmMember(
        String id,
        String email,
        String firstName,
        String lastName,
        String phone,
        String department,
        String jobTitle,
        String status,
        Instant validFrom,
        Instant validTo,
        Set<String> teamIds) {

    public static final String ACTIVE = "active";

    public CrmMember {
        teamIds = Set.copyOf(teamIds);
    }

    public boolean active() {
        return ACTIVE.equals(status);
    }
}
