package io.doorsync.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

/** The login throttle on its own, with a clock the test moves. */
class LoginThrottleTest {

    private Instant now = Instant.parse("2026-11-24T10:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    };
    private final LoginThrottle throttle = new LoginThrottle(3, Duration.ofMinutes(5), clock);

    @Test
    void anAddressThatFailsTooOftenIsRefusedForAWhileAndOthersAreNot() {
        assertThat(throttle.failed("10.0.0.1")).isFalse();
        assertThat(throttle.failed("10.0.0.1")).isFalse();
        assertThat(throttle.locked("10.0.0.1")).isFalse();
        assertThat(throttle.failed("10.0.0.1")).as("the third failure locks").isTrue();
        assertThat(throttle.locked("10.0.0.1")).isTrue();
        assertThat(throttle.locked("10.0.0.2")).as("another address").isFalse();

        now = now.plus(Duration.ofMinutes(5)).minusSeconds(1);
        assertThat(throttle.locked("10.0.0.1")).isTrue();
        now = now.plusSeconds(1);
        assertThat(throttle.locked("10.0.0.1")).as("the lockout is over").isFalse();
        assertThat(throttle.failed("10.0.0.1")).as("counting afresh").isFalse();
    }

    @Test
    void aSuccessClearsTheFailures() {
        throttle.failed("10.0.0.1");
        throttle.failed("10.0.0.1");
        throttle.succeeded("10.0.0.1");
        assertThat(throttle.failed("10.0.0.1")).isFalse();
        assertThat(throttle.failed("10.0.0.1")).isFalse();
    }

    @Test
    void aFloodOfAddressesCannotGrowItWithoutBound() {
        throttle.failed("first");
        throttle.failed("first");
        throttle.failed("first");
        for (int i = 0; i < LoginThrottle.TRACKED; i++) {
            throttle.failed("10.1." + i);
        }
        assertThat(throttle.locked("first")).as("the oldest address is forgotten first").isFalse();
    }
}
