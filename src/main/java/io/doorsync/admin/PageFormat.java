package io.doorsync.admin;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import io.quarkus.qute.TemplateExtension;

/**
 * How the admin page writes values: times in the operator's terms ("12 s ago" or "in 4 min" to read, the exact
 * UTC time to the second on hover and in the time element's datetime), and text made safe for a query string.
 */
@TemplateExtension
public final class PageFormat {

    private static final DateTimeFormatter EXACT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private PageFormat() {
    }

    /** "just now", "12 s ago", "3 min ago", "2 h ago", "4 d ago"; a future time reads "in 4 min". */
    public static String ago(Instant time) {
        return relative(time, Instant.now());
    }

    static String relative(Instant time, Instant now) {
        Duration d = Duration.between(time, now);
        boolean future = d.isNegative();
        long s = Math.abs(d.toSeconds());
        if (s < 1) {
            return "just now";
        }
        String amount = s < 60 ? s + " s" : s < 3600 ? s / 60 + " min" : s < 172_800 ? s / 3600 + " h"
                : s / 86_400 + " d";
        return future ? "in " + amount : amount + " ago";
    }

    /** The exact time, to the second, in UTC. */
    public static String exact(Instant time) {
        return EXACT.format(time);
    }

    /** For the time element's datetime attribute. */
    public static String iso(Instant time) {
        return time.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }

    /** How long from {@code start} to {@code end}: "850 ms", "4.2 s", "3 min 5 s". */
    public static String until(Instant start, Instant end) {
        long ms = Duration.between(start, end).toMillis();
        return ms < 1000 ? ms + " ms" : ms < 60_000 ? String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0)
                : ms / 60_000 + " min " + ms % 60_000 / 1000 + " s";
    }

    /** A value for a query string or path segment (a member id may hold anything). */
    public static String urlEncoded(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }
}
