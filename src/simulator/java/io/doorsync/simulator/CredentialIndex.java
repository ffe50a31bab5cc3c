package io.doorsync.simulator;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Credentials by person and by value (card number or PIN, per kind), so that a person's credentials, the one
 * per type check and the value uniqueness check cost the same in an account of 100,000 credentials as in one
 * of ten. {@link CredentialEndpoints} and {@link PeopleEndpoints} tell it about every credential filed,
 * re-valued or removed.
 */
final class CredentialIndex {

    private final Map<Long, Set<String>> byPerson = new HashMap<>();
    private final Map<String, Set<String>> byValue = new HashMap<>();

    void filed(ObjectNode credential, DoorFlowSimulator.CredentialKind kind) {
        byPerson.computeIfAbsent(personOf(credential), p -> new LinkedHashSet<>()).add(idOf(credential));
        String value = Account.textOrNull(credential, "value");
        if (value != null) {
            byValue.computeIfAbsent(kind + "|" + value, v -> new LinkedHashSet<>()).add(idOf(credential));
        }
    }

    void removed(ObjectNode credential, DoorFlowSimulator.CredentialKind kind) {
        remove(byPerson, personOf(credential), idOf(credential));
        String value = Account.textOrNull(credential, "value");
        if (value != null) {
            remove(byValue, kind + "|" + value, idOf(credential));
        }
    }

    void clear() {
        byPerson.clear();
        byValue.clear();
    }

    /** Ids of a person's credentials, in issue order. */
    Set<String> ofPerson(long personId) {
        return Collections.unmodifiableSet(byPerson.getOrDefault(personId, Set.of()));
    }

    /** Whether a credential other than {@code selfId} of this kind holds {@code value}. */
    boolean valueTaken(DoorFlowSimulator.CredentialKind kind, String value, String selfId) {
        Set<String> holders = byValue.getOrDefault(kind + "|" + value, Set.of());
        return holders.size() > (selfId != null && holders.contains(selfId) ? 1 : 0);
    }

    private static <K> void remove(Map<K, Set<String>> index, K key, String id) {
        Set<String> ids = index.get(key);
        if (ids != null && ids.remove(id) && ids.isEmpty()) {
            index.remove(key);
        }
    }

    private static long personOf(ObjectNode credential) {
        return credential.get("person_id").asLong();
    }

    private static String idOf(ObjectNode credential) {
        return credential.get("id").asText();
    }
}
