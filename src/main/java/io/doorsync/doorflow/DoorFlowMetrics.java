package io.doorsync.doorflow;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;

/**
 * doorsync_doorflow_retries_total{reason}: DoorFlow requests sent again; doorsync_doorflow_write_concurrency: writes
 * sent at once now. Request latency comes from the REST client.
 */
// At start-up, so every series exists (at zero) from the first scrape, for rate() and the alerts.
@Startup
@ApplicationScoped
public class DoorFlowMetrics {

    private final MeterRegistry registry;

    DoorFlowMetrics(MeterRegistry registry) {
        this.registry = registry;
        // Every series exists from the start, so rate() and alerts see a zero.
        retries("unauthorized");
        retries("unavailable");
        retries("rate_limited");
    }

    /**
     * doorsync sent a DoorFlow request again: after a 401 with a renewed token ({@code unauthorized}), after a
     * failed read ({@code unavailable}: 5xx, connection lost), or after a 429 ({@code rate_limited}).
     */
    public void retried(String reason) {
        retries(reason).increment();
    }

    /** doorsync_doorflow_write_concurrency: writes doorsync sends at once now (lower after 429s). */
    void writeConcurrency(WriteLimit limit) { // the default account's gateway holds it: a gauge's reference is weak
        Gauge.builder("doorsync.doorflow.write.concurrency", limit, WriteLimit::limit)
                .description("DoorFlow writes sent at once now: doorsync.sync.concurrency, halved after a 429 and"
                        + " grown back slowly").register(registry);
    }

    private Counter retries(String reason) {
        return Counter.builder("doorsync.doorflow.retries").description("DoorFlow requests sent again, by reason")
                .tag("reason", reason).register(registry);
    }
}
