package io.doorsync.doorflow;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.doorsync.Account;
import io.doorsync.DoorsyncConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.Startup;

/**
 * doorsync_doorflow_retries_total{account, reason}: DoorFlow requests sent again; doorsync_doorflow_write_concurrency
 * {account}: writes sent at once now, per account (the account label as doorsync.metrics.account-label says; without
 * it, the retries of every account add up and the gauge is the installation's own account's). Request latency comes
 * from the REST client, every account together.
 */
// At start-up, so every series exists (at zero) from the first scrape, for rate() and the alerts.
@Startup
@ApplicationScoped
public class DoorFlowMetrics {

    private final MeterRegistry registry;
    private final boolean labelled;
    private final Map<Account, Gauge> writeConcurrency = new ConcurrentHashMap<>();

    DoorFlowMetrics(MeterRegistry registry, DoorsyncConfig config) {
        this.registry = registry;
        this.labelled = config.metrics().accountLabel();
        zeros(Account.DEFAULT);
    }

    /** Every series of the account exists from the start, so rate() and alerts see a zero. */
    private void zeros(Account account) {
        for (String reason : new String[] { "unauthorized", "unavailable", "rate_limited" }) {
            retries(account, reason);
        }
    }

    /**
     * doorsync sent one of the account's DoorFlow requests again: after a 401 with a renewed token
     * ({@code unauthorized}), after a failed read ({@code unavailable}: 5xx, connection lost), or after a 429
     * ({@code rate_limited}).
     */
    public void retried(Account account, String reason) {
        retries(account, reason).increment();
    }

    /** The account's gateway was made: its write concurrency is measured from now on. */
    void writeConcurrency(Account account, WriteLimit limit) { // its gateway holds it: a gauge's reference is weak
        if (!labelled && !Account.DEFAULT.equals(account)) {
            return;
        }
        forget(account);
        zeros(account);
        writeConcurrency.put(account, Gauge.builder("doorsync.doorflow.write.concurrency", limit, WriteLimit::limit)
                .tags(tags(account)).description("DoorFlow writes sent at once now: doorsync.sync.concurrency,"
                        + " halved after a 429 and grown back slowly").register(registry));
    }

    /** The account's gateway was closed: its gauge goes with it. */
    void forget(Account account) {
        Gauge gone = writeConcurrency.remove(account);
        if (gone != null) {
            registry.remove(gone);
        }
    }

    private Tags tags(Account account) {
        return labelled ? Tags.of("account", account.id()) : Tags.empty();
    }

    private Counter retries(Account account, String reason) {
        return Counter.builder("doorsync.doorflow.retries").description("DoorFlow requests sent again, by reason")
                .tags(tags(account)).tag("reason", reason).register(registry);
    }
}
