package io.doorsync.plan;

import java.util.HashMap;
import java.util.Map;

/**
 * One of each equal value a read meets: statuses, types and sets of teams or groups repeat across 100,000
 * members and people, and a read that keeps the first of each holds them once. One per read, dropped with it,
 * so it holds nothing between runs. Not thread-safe (a read is one thread).
 */
public final class ValuePool {

    private final Map<Object, Object> kept = new HashMap<>();

    /** The first value equal to {@code value} this pool met (null stays null). */
    @SuppressWarnings("unchecked")
    public <T> T one(T value) {
        return value == null ? null : (T) kept.computeIfAbsent(value, v -> v);
    }
}
