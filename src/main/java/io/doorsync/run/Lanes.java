package io.doorsync.run;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

import io.doorsync.Account;

/** Each account's runs in this instance ({@link SyncRunner}): its lock, the run in progress, and its last report. */
final class Lanes {

    static final class Lane {
        final Account account;
        final ReentrantLock lock = new ReentrantLock();
        volatile Instant runningSince;
        volatile Instant lastProgress;
        volatile RunReport lastReport;

        Lane(Account account) {
            this.account = account;
        }
    }

    private final Map<Account, Lane> lanes = new ConcurrentHashMap<>();

    Lane of(Account account) {
        return lanes.computeIfAbsent(account, Lane::new);
    }

    /** The account's lane, or null when it never ran here. */
    Lane existing(Account account) {
        return lanes.get(account);
    }

    Collection<Lane> all() {
        return lanes.values();
    }

    /** Start of the account's run in progress ({@code null}: the oldest of any account's), or null. */
    Instant runningSince(Account account) {
        return lanesOf(account).map(l -> l.runningSince).filter(Objects::nonNull).min(Instant::compareTo).orElse(null);
    }

    /** When the account's run in progress ({@code null}: any's, the slowest: liveness follows it) last moved on. */
    Instant lastProgress(Account account) {
        return lanesOf(account).filter(l -> l.runningSince != null).map(l -> l.lastProgress).filter(Objects::nonNull)
                .min(Instant::compareTo).orElse(null);
    }

    private java.util.stream.Stream<Lane> lanesOf(Account account) {
        return account == null ? lanes.values().stream() : java.util.stream.Stream.ofNullable(lanes.get(account));
    }
}
