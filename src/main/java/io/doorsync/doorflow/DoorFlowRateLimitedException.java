package io.doorsync.doorflow;

import java.time.Duration;

/**
 * DoorFlow answered 429: it did not apply the request and asks doorsync to wait ({@code retry_in} in the body,
 * or the Retry-After header). Safe to send again once that time has passed.
 */
public class DoorFlowRateLimitedException extends DoorFlowException {

    /** When DoorFlow names no wait at all. */
    static final Duration DEFAULT_WAIT = Duration.ofSeconds(1);

    private final Duration retryAfter;

    public DoorFlowRateLimitedException(String error, String message, Duration retryAfter) {
        super(429, error, message);
        this.retryAfter = retryAfter;
    }

    /** How long DoorFlow asked doorsync to wait before sending this again. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
