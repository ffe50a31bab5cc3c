package io.doorsync.run.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

/** Liveness follows a run's progress, not its length: a long first sync that keeps moving is not restarted. */
class SyncLoopLivenessTest {

    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    private static final Duration STUCK_AFTER = Duration.ofMinutes(5);

    @Test
    void aRunThatKeepsMovingIsAliveHoweverLongItHasBeenGoing() {
        // Running for three hours (a first sync of a large CRM), its last change carried out a second ago.
        assertThat(SyncLoopHealthCheck.stuck(NOW.minusSeconds(1), NOW, STUCK_AFTER)).isNull();
        assertThat(SyncLoopHealthCheck.stuck(NOW.minus(STUCK_AFTER), NOW, STUCK_AFTER)).isNull();
    }

    @Test
    void aRunThatHasNotMovedForTheLimitIsWedged() {
        assertThat(SyncLoopHealthCheck.stuck(NOW.minus(STUCK_AFTER).minusSeconds(1), NOW, STUCK_AFTER))
                .isEqualTo("the sync run in progress has made no progress for more than PT5M");
    }

    @Test
    void noRunInProgressIsNotStuck() {
        assertThat(SyncLoopHealthCheck.stuck(null, NOW, STUCK_AFTER)).isNull();
    }
}
