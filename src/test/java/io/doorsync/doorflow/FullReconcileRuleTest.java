package io.doorsync.doorflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.doorsync.doorflow.DoorFlowMirror.Listed;

/** When a run lists all of DoorFlow rather than what changed: the rule as a table. */
class FullReconcileRuleTest {

    private static final Instant LISTED = Instant.parse("2026-11-24T10:00:00Z");
    private static final Duration HOUR = Duration.ofHours(1);
    private static final Listed LAST = new Listed("acc1", true, 41L, LISTED);

    static Stream<Arguments> rows() {
        return Stream.of(
                Arguments.of("same account, setting and run, within the hour",
                        new Listed("acc1", true, 41L, LISTED.plusSeconds(30)), null),
                Arguments.of("a second before the hour is up", new Listed("acc1", true, 41L,
                        LISTED.plus(HOUR).minusSeconds(1)), null),
                Arguments.of("the hour is up", new Listed("acc1", true, 41L, LISTED.plus(HOUR)),
                        "doorsync.sync.full-reconcile-interval (PT1H) has passed"),
                Arguments.of("another run came between", new Listed("acc1", true, 42L, LISTED.plusSeconds(30)),
                        "another replica ran since this one listed DoorFlow"),
                Arguments.of("the run history was emptied", new Listed("acc1", true, null, LISTED.plusSeconds(30)),
                        "another replica ran since this one listed DoorFlow"),
                Arguments.of("another account", new Listed("acc2", true, 41L, LISTED.plusSeconds(30)),
                        "connected to another DoorFlow account"),
                Arguments.of("credential sync switched off", new Listed("acc1", false, 41L, LISTED.plusSeconds(30)),
                        "credential sync was switched"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void fullWhenTheLastListingCannotBeBuiltOn(String row, Listed next, String expected) {
        assertThat(DoorFlowMirror.fullReconcileReason(LAST, next, HOUR)).isEqualTo(expected);
    }
}
