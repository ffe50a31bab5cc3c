package io.doorsync.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The page's times in the operator's terms. */
class PageFormatTest {

    static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    @ParameterizedTest(name = "{0} s before now: {1}")
    @CsvSource({ "0, just now", "12, 12 s ago", "59, 59 s ago", "60, 1 min ago", "3599, 59 min ago", "3600, 1 h ago",
            "172799, 47 h ago", "172800, 2 d ago", "-240, in 4 min", "-3600, in 1 h" })
    void relativeTimes(long secondsAgo, String expected) {
        assertThat(PageFormat.relative(NOW.minusSeconds(secondsAgo), NOW)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} ms: {1}")
    @CsvSource(delimiter = '|', value = { "850|850 ms", "4200|4.2 s", "185000|3 min 5 s" })
    void durations(long millis, String expected) {
        assertThat(PageFormat.until(NOW, NOW.plusMillis(millis))).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void theExactTimeIsToTheSecondInUtc() {
        assertThat(PageFormat.exact(Instant.parse("2026-12-01T12:00:05.123456789Z"))).isEqualTo("2026-12-01 12:00:05 UTC");
        assertThat(PageFormat.iso(Instant.parse("2026-12-01T12:00:05.123456789Z"))).isEqualTo("2026-12-01T12:00:05Z");
        assertThat(PageFormat.urlEncoded("M 1&x")).isEqualTo("M%201%26x");
    }
}
