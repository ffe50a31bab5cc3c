package io.doorsync.execute;

import jakarta.enterprise.context.ApplicationScoped;

import io.doorsync.plan.PersonFields;
import io.doorsync.store.JournalOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;

/**
 * doorsync_changes_total{kind, outcome} and doorsync_drift_repaired_total{field}: low-cardinality labels only,
 * never a member, email or value.
 */
// At start-up, so every series exists (at zero) from the first scrape, for rate() and the alerts.
@Startup
@ApplicationScoped
public class ChangeMetrics {

    private final MeterRegistry registry;

    /** Every field a drift repair can name (the person field table's), so every series exists from the start. */
    ChangeMetrics(MeterRegistry registry, PersonFields fields) {
        this.registry = registry;
        fields.names().forEach(this::driftCounter);
    }

    /** A field doorsync put back after DoorFlow drifted from it. */
    public void driftRepaired(String field) {
        driftCounter(field).increment();
    }

    private Counter driftCounter(String field) {
        return Counter.builder("doorsync.drift.repaired").description("Fields put back in DoorFlow after a hand edit,"
                + " by field").tag("field", field).register(registry);
    }

    public void change(String kind, JournalOutcome outcome) {
        Counter.builder("doorsync.changes").description("Planned changes by kind and outcome")
                .tag("kind", kind).tag("outcome", outcome.label()).register(registry).increment();
    }
}
