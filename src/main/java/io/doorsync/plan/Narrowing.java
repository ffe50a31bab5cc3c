package io.doorsync.plan;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Access that only ever shrinks: what a quarantined member keeps, and what a member id with several rows is
 * given. Of two validities, the later start and the earlier end; of several rows, only what every row gives.
 */
final class Narrowing {

    private Narrowing() {
    }

    /** A validity; null at either end is open. */
    record Window(Instant from, Instant to) {
    }

    /**
     * Where two validities meet. When they do not, an empty window at the earlier end: an instant already inside
     * one of them, never a new one (DoorFlow is assumed to admit no one outside [valid_from, valid_to]).
     */
    static Window both(Instant fromA, Instant toA, Instant fromB, Instant toB) {
        Instant from = later(fromA, fromB);
        Instant to = earlier(toA, toB);
        return from != null && to != null && to.isBefore(from) ? new Window(to, to) : new Window(from, to);
    }

    /** One row giving only what every row of a member id gives: the teams all share, the narrowest validity. */
    static CrmMember narrowest(List<CrmMember> rows) {
        CrmMember first = rows.get(0);
        Set<String> teams = new HashSet<>(first.teamIds());
        Window validity = new Window(first.validFrom(), first.validTo());
        for (CrmMember row : rows) {
            teams.retainAll(row.teamIds());
            validity = both(validity.from(), validity.to(), row.validFrom(), row.validTo());
        }
        return new CrmMember(first.id(), first.texts(), first.status(), validity.from(), validity.to(), teams);
    }

    private static Instant later(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
    }

    private static Instant earlier(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
    }
}
