package io.doorsync.simulator;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Live people by email (case-insensitively) and by system_id, so that a look-up or the email-uniqueness check
 * of a create costs the same in an account of 100,000 people as in one of ten. {@link PeopleEndpoints} tells it
 * about every change to a person: what the person was ({@link #keysOf}) and what it is now.
 */
final class PeopleIndex {

    /** What the index files a person under; null fields are not filed. */
    record Keys(long id, String email, String systemId, boolean live) {
    }

    private final Map<String, Set<Long>> byEmail = new HashMap<>();
    private final Map<String, Set<Long>> bySystemId = new HashMap<>();

    static Keys keysOf(ObjectNode person) {
        String email = Account.textOrNull(person, "email");
        return new Keys(person.get("id").asLong(), email == null ? null : email.toLowerCase(Locale.ROOT),
                Account.textOrNull(person, "system_id"), !Account.deleted(person));
    }

    /** The person filed under {@code before} (null: new) is now {@code after}. */
    void changed(Keys before, ObjectNode after) {
        if (before != null && before.live()) {
            remove(byEmail, before.email(), before.id());
            remove(bySystemId, before.systemId(), before.id());
        }
        Keys now = keysOf(after);
        if (now.live()) {
            add(byEmail, now.email(), now.id());
            add(bySystemId, now.systemId(), now.id());
        }
    }

    void clear() {
        byEmail.clear();
        bySystemId.clear();
    }

    /** Ids of live people with exactly this email, ignoring case. */
    Set<Long> withEmail(String email) {
        return byEmail.getOrDefault(email.toLowerCase(Locale.ROOT), Set.of());
    }

    /** Ids of live people with exactly this system_id, in id order. */
    Set<Long> withSystemId(String systemId) {
        return bySystemId.getOrDefault(systemId, Set.of());
    }

    private static void add(Map<String, Set<Long>> index, String key, long id) {
        if (key != null) {
            index.computeIfAbsent(key, k -> new TreeSet<>()).add(id);
        }
    }

    private static void remove(Map<String, Set<Long>> index, String key, long id) {
        Set<Long> ids = key == null ? null : index.get(key);
        if (ids != null && ids.remove(id) && ids.isEmpty()) {
            index.remove(key);
        }
    }
}
