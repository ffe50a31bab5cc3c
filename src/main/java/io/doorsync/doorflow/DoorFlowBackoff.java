package io.doorsync.doorflow;

import java.util.concurrent.ThreadLocalRandom;

import io.smallrye.faulttolerance.api.CustomBackoffStrategy;

/**
 * The wait before a DoorFlow request is tried again: exactly what DoorFlow asked for after a 429, otherwise
 * exponential from the first delay up to {@code maxDelayMillis}, each wait drawn between half and all of it so
 * that replicas and threads do not retry in step. SmallRye Fault Tolerance's own exponential backoff cannot
 * honour a wait named by the failure, hence this strategy. One instance per call (it counts the attempts).
 */
final class DoorFlowBackoff implements CustomBackoffStrategy {

    private final long maxDelayMillis;
    private long next;

    DoorFlowBackoff(long maxDelayMillis) {
        this.maxDelayMillis = maxDelayMillis;
    }

    @Override
    public void init(long initialDelayInMillis) {
        next = Math.max(1, initialDelayInMillis);
    }

    @Override
    public long nextDelayInMillis(Throwable cause) {
        if (cause instanceof DoorFlowRateLimitedException limited) {
            return limited.retryAfter().toMillis();
        }
        long delay = next;
        next = Math.min(maxDelayMillis, next * 2);
        return delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1);
    }
}
