package io.doorsync.doorflow;

import java.time.Duration;
import java.time.Instant;

/**
 * After DoorFlow answers a write with 429, every writer thread waits out the time DoorFlow asked for before
 * sending its next write: the limit is the account's, not one request's. (A retry policy is per call and cannot
 * hold back the other threads, hence this small shared clock.)
 */
final class WritePause {

    private Instant until = Instant.EPOCH;

    synchronized void extend(Duration wait) {
        Instant end = Instant.now().plus(wait);
        if (end.isAfter(until)) {
            until = end;
        }
    }

    /** Returns once no pause is in force; false when the thread was interrupted (the run is stopping). */
    boolean await() {
        while (true) {
            long millis;
            synchronized (this) {
                millis = Duration.between(Instant.now(), until).toMillis();
            }
            if (millis <= 0) {
                return true;
            }
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}
