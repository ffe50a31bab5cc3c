package io.doorsync.simulator;

import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Live people by email (case-insensitively), by system_id and by when they last changed, so that a look-up, the
 * email-uniqueness check of a create and a {@code since_utc} listing cost the same in an account of 100,000
 * people as in one of ten. {@link PeopleEndpoints} tells it
 * about every change to a person: what the person was ({@link #keysOf}) and what it is now.
 */
final class PeopleIndex {

    /** What the index files a person under; null fields are not filed. */
    record Keys(long id, String email, String systemId, Instant updatedAt, boolean live) {
    }

    private final Map<String, Set<Long>> byEmail = new HashMap<>();
    private final Map<String, Set<Long>> bySystemId = new HashMap<>();
    private final TreeMap<Instant, Set<Long>> byUpdatedAt = new TreeMap<>();

    static Keys keysOf(ObjectNode person) {
        String email = Account.textOrNull(person, "email");
        String updatedAt = Account.textOrNull(person, "updated_at");
        return new Keys(person.get("id").asLong(), email == null ? null : email.toLowerCase(Locale.ROOT),
                Account.textOrNull(person, "system_id"), updatedAt == null ? null : Instant.parse(updatedAt),
                !Account.deleted(person));
    }

    /** The person filed under {@code before} (null: new) is now {@code after}. */
    void changed(Keys before, ObjectNode after) {
        if (before != null && before.live()) {
            remove(byEmail, before.email(), before.id());
            remove(bySystemId, before.systemId(), before.id());
            remove(byUpdatedAt, before.updatedAt(), before.id());
        }
        Keys now = keysOf(after);
        if (now.live()) {
            add(byEmail, now.email(), now.id());
            add(bySystemId, now.systemId(), now.id());
            add(byUpdatedAt, now.updatedAt(), now.id());
        }
    }

    void clear() {
        byEmail.clear();
        bySystemId.clear();
        byUpdatedAt.clear();
    }

    /** Ids of live people with exactly this email, ignoring case. */
    Set<Long> withEmail(String email) {
        return byEmail.getOrDefault(email.toLowerCase(Locale.ROOT), Set.of());
    }

    /** Ids of live people with exactly this system_id, in id order. */
    Set<Long> withSystemId(String systemId) {
        return bySystemId.getOrDefault(systemId, Set.of());
    }

    /** Ids of live people changed at or after {@code since}, in id order. */
    Set<Long> changedSince(Instant since) {
        Set<Long> ids = new TreeSet<>();
        byUpdatedAt.tailMap(since, true).values().forEach(ids::addAll);
        return ids;
    }

    private static <K> void add(Map<K, Set<Long>> index, K key, long id) {
        if (key != null) {
            index.computeIfAbsent(key, k -> new TreeSet<>()).add(id);
        }
    }

    private static <K> void remove(Map<K, Set<Long>> index, K key, long id) {
        Set<Long> ids = key == null ? null : index.get(key);
        if (ids != null && ids.remove(id) && ids.isEmpty()) {
            index.remove(key);
        }
    }
}
