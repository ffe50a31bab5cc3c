package io.doorsync.plan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The groups of items that share a key, built only for keys that occur more than once. Grouping every item
 * would make a list per member on every run (100,000 of them at 100,000 members) to find the few that share
 * an id or an email.
 */
final class Sharing {

    private Sharing() {
    }

    /** Key → the items sharing it, in their order; keys held by one item only are absent. */
    static <T, K> Map<K, List<T>> of(List<T> items, Function<T, K> key) {
        Map<K, T> first = new HashMap<>(items.size() * 2);
        Map<K, List<T>> shared = new HashMap<>();
        for (T item : items) {
            K k = key.apply(item);
            T seen = first.putIfAbsent(k, item);
            if (seen != null) {
                shared.computeIfAbsent(k, x -> {
                    List<T> group = new ArrayList<>();
                    group.add(seen);
                    return group;
                }).add(item);
            }
        }
        return shared;
    }
}
