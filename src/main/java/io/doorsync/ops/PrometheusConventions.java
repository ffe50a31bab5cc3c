package io.doorsync.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;

/**
 * Makes every meter, ours and the libraries' (SmallRye Fault Tolerance, Vert.x, Netty), follow Prometheus'
 * naming conventions, so `promtool check metrics` accepts /q/metrics: label names in snake_case (Fault
 * Tolerance and Vert.x use camelCase), a help text on every metric, and none of the two JVM meters whose names
 * break the rules (process_cpu_time_ns_total, system_cpu_count; process_cpu_usage and the JVM's own metrics
 * remain), nor the connection-duration timers of Vert.x (request metrics remain). Micrometer's MeterFilter is the hook for exactly this; no library does the renaming for us.
 */
@Singleton
public class PrometheusConventions {

    /**
     * Names that break the rules, and the Vert.x connection long-task timers, whose _active_count and
     * _duration_sum series the Prometheus registry writes without a help text.
     */
    private static final Set<String> DENIED = Set.of("process.cpu.time", "system.cpu.count", "http.client.connections",
            "http.server.connections");

    @Produces
    @Singleton
    MeterFilter prometheusConventions() {
        return new MeterFilter() {
            @Override
            public MeterFilterReply accept(Meter.Id id) {
                return DENIED.contains(id.getName()) ? MeterFilterReply.DENY : MeterFilterReply.NEUTRAL;
            }

            @Override
            public Meter.Id map(Meter.Id id) {
                List<Tag> tags = new ArrayList<>();
                id.getTagsAsIterable().forEach(t -> tags.add(Tag.of(snakeCase(t.getKey()), t.getValue())));
                String help = id.getDescription() != null && !id.getDescription().isBlank() ? id.getDescription()
                        : id.getName().replace('.', ' ') + " (library metric)";
                return new Meter.Id(id.getName(), Tags.of(tags), id.getBaseUnit(), help, id.getType());
            }
        };
    }

    static String snakeCase(String key) {
        return key.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }
}
