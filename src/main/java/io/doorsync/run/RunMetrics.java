package io.doorsync.run;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;

/**
 * The runs' Prometheus metrics: runs by outcome, duration, last success, people linked and quarantined, the
 * guard. Labels are low-cardinality by construction: never member ids, emails or credential values.
 */
// At start-up, so every series exists (at zero) from the first scrape, for rate() and the alerts.
@Startup
@ApplicationScoped
public class RunMetrics {

    private final MeterRegistry registry;
    private final AtomicLong lastSuccessEpochSeconds = new AtomicLong();
    private final AtomicLong linkedPeople = new AtomicLong();
    private final AtomicLong quarantinedMembers = new AtomicLong();
    private final AtomicLong guardHolding = new AtomicLong();

    RunMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("doorsync.last.success.timestamp", lastSuccessEpochSeconds, AtomicLong::get).baseUnit("seconds")
                .description("Unix time of the last sync run that ended in success").register(registry);
        Gauge.builder("doorsync.linked.people", linkedPeople, AtomicLong::get)
                .description("DoorFlow people doorsync manages (linked to a CRM member)").register(registry);
        Gauge.builder("doorsync.quarantined.members", quarantinedMembers, AtomicLong::get)
                .description("CRM members doorsync is holding back, each with a reason in the quarantine table")
                .register(registry);
        Gauge.builder("doorsync.revocation.guard.holding", guardHolding, AtomicLong::get)
                .description("1 when the last run was held by the revocation guard (too many people would lose"
                        + " access); an operator must allow it")
                .register(registry);
        for (String reason : new String[] { "forbidden", "server_error", "other" }) {
            pushFailures(reason); // zeros from the start, for rate() and the alert
        }
        for (RunReport.Outcome outcome : RunReport.Outcome.values()) {
            runsCounter(outcome); // every outcome series exists from the start, so rate() and alerts see zeros
        }
    }

    /**
     * The run in progress in this instance, as two gauges: when it started and when it last moved on (0 while no run
     * is in progress). The alert on freshness stays silent while a run keeps moving (docs/operating.md, Alerts).
     */
    void watch(Supplier<Instant> runningSince, Supplier<Instant> lastProgress) {
        Gauge.builder("doorsync.run.started.timestamp", () -> epochSeconds(runningSince.get())).baseUnit("seconds")
                .description("Unix time the sync run in progress here started; 0 while none is").register(registry);
        Gauge.builder("doorsync.run.progress.timestamp", () -> epochSeconds(lastProgress.get())).baseUnit("seconds")
                .description("Unix time the sync run in progress here last moved on (a phase finished, a change"
                        + " carried out); 0 while none is")
                .register(registry);
    }

    private static long epochSeconds(Instant t) {
        return t == null ? 0 : t.getEpochSecond();
    }

    public void run(RunReport report) {
        runsCounter(report.outcome()).increment();
        if (report.outcome() != RunReport.Outcome.SKIPPED) {
            Timer.builder("doorsync.run.duration").description("Duration of sync runs").register(registry)
                    .record(java.time.Duration.between(report.startedAt(), report.finishedAt()));
        }
        if (report.outcome() == RunReport.Outcome.SUCCESS) {
            lastSuccessEpochSeconds.set(report.finishedAt().getEpochSecond());
        }
    }

    /** 1 while the last run was held by the revocation guard. */
    public void guardHolding(boolean holding) {
        guardHolding.set(holding ? 1 : 0);
    }

    /** DoorFlow refused a push to doors for another reason than its rate limit. */
    public void pushFailed(int status) {
        pushFailures(status == 403 ? "forbidden" : status >= 500 ? "server_error" : "other").increment();
    }

    private Counter pushFailures(String reason) {
        return Counter.builder("doorsync.push.failures").description("Pushes to doors DoorFlow refused (not rate"
                + " limits), by reason").tag("reason", reason).register(registry);
    }

    public void counts(long linked, long quarantined) {
        linkedPeople.set(linked);
        quarantinedMembers.set(quarantined);
    }

    private Counter runsCounter(RunReport.Outcome outcome) {
        return Counter.builder("doorsync.runs").description("Sync runs by outcome").tag("outcome", outcome.label())
                .register(registry);
    }
}
