package io.doorsync.doorflow;

/**
 * How many writes doorsync sends DoorFlow at once: {@code doorsync.sync.concurrency} while DoorFlow keeps up,
 * halved when it answers 429 (at most once a second, so one burst of 429s halves it once, not to 1), then grown
 * back by one for every {@value #GROW_AFTER} writes in a row that were not rate-limited: additive increase,
 * multiplicative decrease, as TCP does. SmallRye Fault Tolerance's bulkhead and rate limit are fixed, hence this
 * small class.
 */
final class WriteLimit {

    static final int GROW_AFTER = 50;
    private static final long HALVE_AT_MOST_EVERY_NANOS = 1_000_000_000L;

    private final int max;
    private int limit;
    private int inFlight;
    private int sinceLimited;
    private long lastHalved = System.nanoTime() - HALVE_AT_MOST_EVERY_NANOS;

    WriteLimit(int max) {
        this.max = Math.max(1, max);
        this.limit = this.max;
    }

    /** Waits for a slot; false when the thread was interrupted (the run is stopping). */
    synchronized boolean acquire() {
        while (inFlight >= limit) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        inFlight++;
        return true;
    }

    synchronized void release(boolean rateLimited) {
        inFlight--;
        if (rateLimited) {
            sinceLimited = 0;
            long now = System.nanoTime();
            if (now - lastHalved >= HALVE_AT_MOST_EVERY_NANOS) {
                limit = Math.max(1, limit / 2);
                lastHalved = now;
            }
        } else if (limit < max && ++sinceLimited >= GROW_AFTER) {
            limit++;
            sinceLimited = 0;
        }
        notifyAll();
    }

    synchronized int limit() {
        return limit;
    }
}
