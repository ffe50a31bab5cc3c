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
    private final Map<Long, Instant> updatedAtById = new HashMap<>();

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
            updatedAtById.remove(before.id());
        }
        Keys now = keysOf(after);
        if (now.live()) {
            add(byEmail, now.email(), now.id());
            add(bySystemId, now.systemId(), now.id());
            add(byUpdatedAt, now.updatedAt(), now.id());
            if (now.updatedAt() != null) {
                updatedAtById.put(now.id(), now.updatedAt());
            }
        }
    }

    void clear() {
        byEmail.clear();
        bySystemId.clear();
        byUpdatedAt.clear();
        updatedAtById.clear();
    }

    /** Ids of live people with exactly this email, ignoring case. */
    Set<Long> withEmail(String email) {
        return byEmail.getOrDefault(email.toLowerCase(Locale.ROOT), Set.of());
    }

    /** Ids of live people with exactly this system_id, in id order. */
    Set<Long> withSystemId(String systemId) {
        return bySystemId.getOrDefault(systemId, Set.of());
    }

    /**
     * Ids of live people changed at or after {@code since}, in id order; null when they are more than a tenth of
     * the account: walking the account in id order and asking {@link #changedSince(long, Instant)} is then
     * cheaper than sorting them (a listing right after 100,000 creations is 1,000 pages of 100,000 people).
     */
    Set<Long> changedSince(Instant since) {
        Map<Instant, Set<Long>> tail = byUpdatedAt.tailMap(since, true);
        long count = 0;
        for (Set<Long> ids : tail.values()) {
            count += ids.size();
            if (count > updatedAtById.size() / 10) {
                return null;
            }
        }
        Set<Long> ids = new TreeSet<>();
        tail.values().forEach(ids::addAll);
        return ids;
    }

    /** Whether live person {@code id} changed at or after {@code since}. */
    boolean changedSince(long id, Instant since) {
        Instant at = updatedAtById.get(id);
        return at != null && !at.isBefore(since);
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
