package io.doorsync.admin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Slows down password guessing on /admin, which sits behind a public Ingress: after {@code maxFailures}
 * failed logins in a row from one address, that address is refused for {@code lockout}, even with the right
 * password. A success clears the address. At most {@link #TRACKED} addresses are remembered (the oldest is
 * forgotten first), so a flood of addresses cannot exhaust memory. No library in our stack does this for
 * HTTP Basic.
 */
final class LoginThrottle {

    static final int TRACKED = 10_000;

    private record Failures(int count, Instant lockedUntil) {
    }

    private final int maxFailures;
    private final Duration lockout;
    private final Clock clock;
    private final Map<String, Failures> byAddress = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
            return size() > TRACKED;
        }
    };

    LoginThrottle(int maxFailures, Duration lockout, Clock clock) {
        this.maxFailures = maxFailures;
        this.lockout = lockout;
        this.clock = clock;
    }

    /** Whether this address is refused now. */
    synchronized boolean locked(String address) {
        Failures f = byAddress.get(address);
        if (f == null || f.lockedUntil() == null) {
            return false;
        }
        if (clock.instant().isBefore(f.lockedUntil())) {
            return true;
        }
        byAddress.remove(address); // the lockout is over: a fresh start
        return false;
    }

    /** A failed login; true when this one locks the address. */
    synchronized boolean failed(String address) {
        Failures f = byAddress.getOrDefault(address, new Failures(0, null));
        int count = f.count() + 1;
        boolean locks = count >= maxFailures;
        byAddress.put(address, new Failures(count, locks ? clock.instant().plus(lockout) : null));
        return locks;
    }

    synchronized void succeeded(String address) {
        byAddress.remove(address);
    }
}
