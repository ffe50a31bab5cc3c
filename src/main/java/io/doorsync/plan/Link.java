package io.doorsync.plan;

import java.util.Set;

/**
 * What doorsync knows it did: member {@code memberId} is DoorFlow person {@code personId}, last brought to
 * the state that hashes to {@code appliedHash}, and doorsync itself put that person in {@code appliedGroups}.
 */
public record Link(String memberId, long personId, String appliedHash, Set<Long> appliedGroups) {
    public Link {
        appliedGroups = Set.copyOf(appliedGroups);
    }
}
