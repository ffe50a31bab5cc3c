package io.doorsync.plan;

import java.util.Map;
import java.util.Set;

/**
 * What doorsync knows it did: member {@code memberId} is DoorFlow person {@code personId}, last brought to
 * the state that hashes to {@code appliedHash}, doorsync itself put that person in {@code appliedGroups}, and
 * {@code drift} remembers the fields it had to put back in DoorFlow (by field name).
 */
public record Link(String memberId, long personId, String appliedHash, Set<Long> appliedGroups,
        Map<String, DriftMemory> drift) {
    public Link {
        appliedGroups = Set.copyOf(appliedGroups);
        drift = Map.copyOf(drift);
    }

    /** A link with no drift remembered. */
    public Link(String memberId, long personId, String appliedHash, Set<Long> appliedGroups) {
        this(memberId, personId, appliedHash, appliedGroups, Map.of());
    }
}
