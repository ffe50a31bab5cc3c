package io.doorsync.run;

import io.doorsync.Account;
import io.doorsync.run.guards.WriterLease;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
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
    private final WriterLease lease;
    private volatile long leaseLossesSeen;
    private final AtomicLong lastSuccessEpochSeconds = new AtomicLong();
    private final AtomicLong linkedPeople = new AtomicLong();
    private final AtomicLong quarantinedMembers = new AtomicLong();
    private final AtomicLong guardHolding = new AtomicLong();
    /** Members whose change DoorFlow refused, by runs in a row: kept by the writer, from its own runs. */
    private final Map<String, Refused> refusedRunsInARow = new ConcurrentHashMap<>();

    /** Refused in this many runs in a row, a member is "refused run after run": counted, shown and alerted on. */
    static final int REFUSED_RUNS = 2;

    RunMetrics(MeterRegistry registry, WriterLease lease) {
        this.registry = registry;
        this.lease = lease;
        Gauge.builder("doorsync.last.success.timestamp", lastSuccessEpochSeconds, AtomicLong::get).baseUnit("seconds")
                .description("Unix time of the last complete sync run: every change that could be applied was, and"
                        + " the push to doors went out (a member DoorFlow refuses does not count against it)")
                .register(registry);
        Gauge.builder("doorsync.members.refused", this, m -> m.refusedRunAfterRun().size())
                .description("Members whose change DoorFlow refused in " + REFUSED_RUNS + " or more runs in a row"
                        + " (a card number in use, a person doorsync may not write); each is on /admin with why")
                .register(registry);
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

    /**
     * A run of {@code account} ended. The counters add up every account's runs; the gauges (last success, guard
     * holding, refusals, counts) are the installation's own account's: no metric has an account label yet.
     */
    public void run(Account account, RunReport report) {
        runsCounter(report.outcome()).increment();
        if (report.outcome() != RunReport.Outcome.SKIPPED) {
            Timer.builder("doorsync.run.duration").description("Duration of sync runs").register(registry)
                    .record(java.time.Duration.between(report.startedAt(), report.finishedAt()));
        }
        if (report.complete() && Account.DEFAULT.equals(account)) {
            lastSuccessEpochSeconds.set(report.finishedAt().getEpochSecond());
        }
    }

    /**
     * Members whose change DoorFlow refused in this run ({@code refused}, member id → why) or that it applied
     * ({@code applied}): a member refused in runs in a row is counted on its own, not as an outage. A run of
     * {@code everyone} forgets whoever it did not find refused (fixed, or gone from the CRM).
     */
    public void refusals(Account account, Map<String, String> refused, Collection<String> applied, boolean everyone) {
        if (!Account.DEFAULT.equals(account)) {
            return; // member ids are the installation's own account's here (another account's may be the same)
        }
        applied.forEach(refusedRunsInARow::remove);
        if (everyone) {
            refusedRunsInARow.keySet().retainAll(refused.keySet());
        }
        refused.forEach((member, why) -> refusedRunsInARow.merge(member, new Refused(1, why),
                (earlier, now) -> new Refused(earlier.runs() + 1, now.reason())));
    }

    /** A member DoorFlow refused in {@code runs} runs in a row, the last time for {@code reason}. */
    public record Refused(int runs, String reason) {
    }

    /**
     * Members refused in at least {@value #REFUSED_RUNS} runs in a row, with why (for the page and the gauge);
     * forgotten when this replica loses the writer lease (the next writer's runs say what holds then).
     */
    public Map<String, Refused> refusedRunAfterRun() {
        Map<String, Refused> shown = new TreeMap<>();
        long losses = lease.losses();
        if (losses != leaseLossesSeen) { // what this replica saw as the writer is no longer its to report
            refusedRunsInARow.clear();
            leaseLossesSeen = losses;
        }
        refusedRunsInARow.forEach((member, r) -> {
            if (r.runs() >= REFUSED_RUNS) {
                shown.put(member, r);
            }
        });
        return shown;
    }

    /** 1 while the last run was held by the revocation guard. */
    public void guardHolding(Account account, boolean holding) {
        if (!Account.DEFAULT.equals(account)) {
            return;
        }
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
