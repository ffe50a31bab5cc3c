package io.doorsync.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One step of a plan. Each step concerns exactly one member, so a failure can be isolated to that member;
 * after a successful step the link records {@code hash} (what was applied) and the groups doorsync owns.
 * <p>
 * A step that writes a person carries the groups DoorFlow listed for it ({@code listedGroups}): the executor
 * re-reads the person right before the write and applies only this step's own difference to what it finds, so
 * a group added by hand since the listing survives (DoorFlow's PUT replaces group_ids wholesale).
 * <p>
 * What the run, the executor, the guard and the dry run need to know about a step is answered here, once:
 * its DoorFlow person, whether it takes access away, and its description; executing it goes through
 * {@link Handler}, so a new kind of step does not compile until every handler knows it.
 */
public sealed interface Change {

    String memberId();

    /** Low-cardinality name used in the journal and as a metric label. */
    String kind();

    /** The DoorFlow person this step acts on; null when it creates one. */
    Long doorflowPersonId();

    /** Whether this step takes a person's door access away whole (disable, delete). */
    default boolean revokesAccess() {
        return false;
    }

    /**
     * The fields DoorFlow held differently from what doorsync last applied, with the CRM unchanged: this step
     * puts them back (journal kind "drift"). Empty for a step the CRM asked for.
     */
    default List<String> driftFields() {
        return List.of();
    }

    /** Whether carrying it out writes to DoorFlow (then the doors are owed a push). */
    default boolean writesDoorFlow() {
        return true;
    }

    /** Credential steps for this member, applied after the person step (none by default). */
    default List<CredentialChange> credentials() {
        return List.of();
    }

    /** What this step will do, in words for an operator (the dry run); never a credential value. */
    default List<String> details() {
        List<String> details = new ArrayList<>();
        if (!driftFields().isEmpty()) {
            details.add("repairs drift in " + String.join(", ", driftFields()));
        }
        details.addAll(personDetails());
        credentials().forEach(step -> details.add(step.kind().replace("credential_", "credential ") + " "
                + step.typeSlug()));
        return details;
    }

    /** The person part of {@link #details()}. */
    List<String> personDetails();

    <R> R accept(Handler<R> handler);

    /** Carries out each kind of step (the executor implements it). */
    interface Handler<R> {
        R create(CreatePerson change);

        R adopt(AdoptPerson change);

        R update(UpdatePerson change);

        R disable(DisablePerson change);

        R delete(DeletePerson change);

        R unlink(Unlink change);
    }

    /** New member: POST a person stamped with our system_id, then issue its credentials. */
    record CreatePerson(String memberId, PersonSpec spec, String hash, List<CredentialChange> credentials)
            implements Change {
        public String kind() {
            return "create";
        }

        public Long doorflowPersonId() {
            return null;
        }

        public List<String> personDetails() {
            return List.of("groups " + spec.groupIds());
        }

        public <R> R accept(Handler<R> handler) {
            return handler.create(this);
        }
    }

    /** Unowned DoorFlow person with the member's email: stamp it with our system_id and manage it from now on. */
    record AdoptPerson(String memberId, long personId, PersonSpec spec, Set<Long> ownedGroups, String hash,
            List<CredentialChange> credentials, Set<Long> listedGroups) implements Change {
        public String kind() {
            return "adopt";
        }

        public Long doorflowPersonId() {
            return personId;
        }

        public List<String> personDetails() {
            return List.of("groups " + spec.groupIds());
        }

        public <R> R accept(Handler<R> handler) {
            return handler.adopt(this);
        }
    }

    /**
     * Linked (or found by system_id) person whose desired state changed, or whose DoorFlow state drifted from it
     * ({@code driftFields}): PUT the whole spec when a field differs from what DoorFlow holds
     * ({@code changedFields}), then the credential steps. With neither, only the link is brought up to date (no
     * API call). {@code driftMemory} is what the link remembers of repairs afterwards.
     */
    record UpdatePerson(String memberId, long personId, PersonSpec spec, Set<Long> ownedGroups, String hash,
            List<String> changedFields, List<CredentialChange> credentials, List<String> driftFields,
            Map<String, DriftMemory> driftMemory, Set<Long> listedGroups) implements Change {
        public String kind() {
            return driftFields.isEmpty() ? "update" : "drift";
        }

        public boolean putsPerson() {
            return !changedFields.isEmpty();
        }

        @Override
        public boolean writesDoorFlow() {
            return putsPerson() || !credentials.isEmpty();
        }

        public Long doorflowPersonId() {
            return personId;
        }

        public List<String> personDetails() {
            return putsPerson() ? List.of("changes " + String.join(", ", changedFields)) : List.of();
        }

        public <R> R accept(Handler<R> handler) {
            return handler.update(this);
        }
    }

    /**
     * Member left under the disable policy: managed credentials deleted, enabled=false, only unmanaged groups
     * kept. Planned again when DoorFlow gave a leaver access back ({@code driftFields}).
     */
    record DisablePerson(String memberId, long personId, Set<Long> remainingGroups, String hash,
            List<CredentialChange> credentials, List<String> driftFields, Set<Long> listedGroups) implements Change {
        public String kind() {
            return driftFields.isEmpty() ? "disable" : "drift";
        }

        public Long doorflowPersonId() {
            return personId;
        }

        @Override
        public boolean revokesAccess() {
            return true;
        }

        public List<String> personDetails() {
            return List.of("groups kept " + remainingGroups);
        }

        public <R> R accept(Handler<R> handler) {
            return handler.disable(this);
        }
    }

    /** Member left under the delete policy: managed credentials deleted, DoorFlow soft delete, link dropped. */
    record DeletePerson(String memberId, long personId, List<CredentialChange> credentials) implements Change {
        public String kind() {
            return "delete";
        }

        public Long doorflowPersonId() {
            return personId;
        }

        @Override
        public boolean revokesAccess() {
            return true;
        }

        public List<String> personDetails() {
            return List.of();
        }

        public <R> R accept(Handler<R> handler) {
            return handler.delete(this);
        }
    }

    /**
     * The linked person is not in DoorFlow's listing (or no longer carries {@code mark}) and the member is gone
     * too: forget the link. No API call, unless the listing may have missed the person (then it is asked first).
     */
    record Unlink(String memberId, long personId, String mark) implements Change {
        public String kind() {
            return "unlink";
        }

        public String reason() {
            return "DoorFlow person #" + personId + " no longer exists or no longer carries system_id " + mark;
        }

        @Override
        public boolean writesDoorFlow() {
            return false;
        }

        public Long doorflowPersonId() {
            return personId;
        }

        public List<String> personDetails() {
            return List.of(reason());
        }

        public <R> R accept(Handler<R> handler) {
            return handler.unlink(this);
        }
    }
}
