package io.doorsync.plan;

import java.util.List;
import java.util.Set;

/**
 * One step of a plan. Each step concerns exactly one member, so a failure can be isolated to that member;
 * after a successful step the link records {@code hash} (what was applied) and the groups doorsync owns.
 */
public sealed interface Change {

    String memberId();

    /** Low-cardinality name used in the journal and as a metric label. */
    String kind();

    /** Credential steps for this member, applied after the person step (none by default). */
    default List<CredentialChange> credentials() {
        return List.of();
    }

    /** New member: POST a person stamped with our system_id, then issue its credentials. */
    record CreatePerson(String memberId, PersonSpec spec, String hash, List<CredentialChange> credentials)
            implements Change {
        public String kind() {
            return "create";
        }
    }

    /** Unowned DoorFlow person with the member's email: stamp it with our system_id and manage it from now on. */
    record AdoptPerson(String memberId, long personId, PersonSpec spec, Set<Long> ownedGroups, String hash,
            List<CredentialChange> credentials) implements Change {
        public String kind() {
            return "adopt";
        }
    }

    /**
     * Linked (or found by system_id) person whose desired state changed: PUT the whole spec when a field differs
     * from what DoorFlow holds ({@code changedFields}), then the credential steps. With neither, only the link
     * is brought up to date (no API call).
     */
    record UpdatePerson(String memberId, long personId, PersonSpec spec, Set<Long> ownedGroups, String hash,
            List<String> changedFields, List<CredentialChange> credentials) implements Change {
        public String kind() {
            return "update";
        }

        public boolean putsPerson() {
            return !changedFields.isEmpty();
        }
    }

    /** Member left under the disable policy: managed credentials deleted, enabled=false, only unmanaged groups kept. */
    record DisablePerson(String memberId, long personId, Set<Long> remainingGroups, String hash,
            List<CredentialChange> credentials) implements Change {
        public String kind() {
            return "disable";
        }
    }

    /** Member left under the delete policy: managed credentials deleted, DoorFlow soft delete, link dropped. */
    record DeletePerson(String memberId, long personId, List<CredentialChange> credentials) implements Change {
        public String kind() {
            return "delete";
        }
    }

    /** The linked person no longer exists in DoorFlow and the member is gone too: forget the link (no API call). */
    record Unlink(String memberId, long personId, String reason) implements Change {
        public String kind() {
            return "unlink";
        }
    }
}
