package io.doorsync.execute;

import jakarta.enterprise.context.ApplicationScoped;

import io.doorsync.store.JournalOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** doorsync_changes_total{kind, outcome}: low-cardinality labels only, never a member, email or value. */
@ApplicationScoped
public class ChangeMetrics {

    private final MeterRegistry registry;

    ChangeMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void change(String kind, JournalOutcome outcome) {
        Counter.builder("doorsync.changes").description("Planned changes by kind and outcome")
                .tag("kind", kind).tag("outcome", outcome.label()).register(registry).increment();
    }
}
