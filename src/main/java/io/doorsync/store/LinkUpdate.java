package io.doorsync.store;

import java.util.Map;
import java.util.Set;

import io.doorsync.plan.DriftMemory;

/** What to do with a member's link when its change succeeded. */
public sealed interface LinkUpdate {
    record Save(long personId, String hash, Set<Long> ownedGroups, Map<String, DriftMemory> drift)
            implements LinkUpdate {
        /** A save that forgets any drift remembered (the CRM asked for this change). */
        public Save(long personId, String hash, Set<Long> ownedGroups) {
            this(personId, hash, ownedGroups, Map.of());
        }
    }

    record Remove() implements LinkUpdate {
    }

    record Keep() implements LinkUpdate {
    }
}
