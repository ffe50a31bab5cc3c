package io.doorsync.execute;

import jakarta.enterprise.context.ApplicationScoped;

import io.doorsync.Account;
import io.doorsync.DoorsyncConfig;
import io.doorsync.plan.PersonFields;
import io.doorsync.store.JournalOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.Startup;

/**
 * doorsync_changes_total{account, kind, outcome} and doorsync_drift_repaired_total{account, field} (the account
 * label as doorsync.metrics.account-label says): low-cardinality labels only, never a member, email or value.
 */
// At start-up, so every series exists (at zero) from the first scrape, for rate() and the alerts.
@Startup
@ApplicationScoped
public class ChangeMetrics {

    private final MeterRegistry registry;
    private final boolean labelled;

    /** Every field a drift repair can name (the person field table's), so every series exists from the start. */
    ChangeMetrics(MeterRegistry registry, PersonFields fields, DoorsyncConfig config) {
        this.registry = registry;
        this.labelled = config.metrics().accountLabel();
        fields.names().forEach(field -> driftCounter(Account.DEFAULT, field));
    }

    /** A field doorsync put back in the account's DoorFlow after it drifted from it. */
    public void driftRepaired(Account account, String field) {
        driftCounter(account, field).increment();
    }

    private Counter driftCounter(Account account, String field) {
        return Counter.builder("doorsync.drift.repaired").description("Fields put back in DoorFlow after a hand edit,"
                + " by field").tags(tags(account)).tag("field", field).register(registry);
    }

    public void change(Account account, String kind, JournalOutcome outcome) {
        Counter.builder("doorsync.changes").description("Planned changes by kind and outcome").tags(tags(account))
                .tag("kind", kind).tag("outcome", outcome.label()).register(registry).increment();
    }

    private Tags tags(Account account) {
        return labelled ? Tags.of("account", account.id()) : Tags.empty();
    }
}
