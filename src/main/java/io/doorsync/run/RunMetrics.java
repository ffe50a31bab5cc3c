package io.doorsync.run;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

import jakarta.enterprise.context.ApplicationScoped;

import io.doorsync.Account;
import io.doorsync.DoorsyncConfig;
import io.doorsync.run.guards.WriterLease;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;

/**
 * The runs' Prometheus metrics: runs by outcome, duration, last success, people linked and quarantined, members
 * refused, the guard. Each carries an {@code account} label (doorsync.metrics.account-label): a replica exports
 * the accounts it runs. With the label off, the counters add up every account and each gauge says the worst of
 * them. Never member ids, emails or credential values.
 */
// At start-up, so every series exists (at zero) from the first scrape, for rate() and the alerts.
@Startup
@ApplicationScoped
public class RunMetrics {

    /** Refused in this many runs in a row, a member is "refused run after run": counted, shown and alerted on. */
    static final int REFUSED_RUNS = 2;

    /** What one account's gauges say, as last seen by this replica's runs of it. */
    private static final class AccountState {
        /** A run of the account ended here (its last success means something only then). */
        volatile boolean ranHere;
        final AtomicLong lastSuccessEpochSeconds = new AtomicLong();
        final AtomicLong linkedPeople = new AtomicLong();
        final AtomicLong quarantinedMembers = new AtomicLong();
        final AtomicLong guardHolding = new AtomicLong();
        /** Members whose change DoorFlow refused, by runs in a row: kept by the replica that runs the account. */
        final Map<String, Refused> refusedRunsInARow = new ConcurrentHashMap<>();
        final List<Meter> meters = new ArrayList<>();
    }

    private final MeterRegistry registry;
    private final WriterLease lease;
    private final boolean labelled;
    private volatile long leaseLossesSeen;
    /** The run in progress here of an account (null: the oldest of any), as SyncRunner tells; none until it does. */
    private volatile Function<Account, Instant> runningSince = a -> null;
    private volatile Function<Account, Instant> lastProgress = a -> null;
    private final Map<Account, AccountState> accounts = new ConcurrentHashMap<>();

    RunMetrics(MeterRegistry registry, WriterLease lease, DoorsyncConfig config) {
        this.registry = registry;
        this.lease = lease;
        this.labelled = config.metrics().accountLabel();
        if (!labelled) { // one series each, over every account this replica runs
            gauges(Tags.empty(), new ArrayList<>(), m -> m.oldestSuccess(),
                    m -> m.accounts.keySet().stream().mapToInt(a -> m.refusedRunAfterRun(a).size()).sum(),
                    m -> m.sum(a -> a.linkedPeople.get()), m -> m.sum(a -> a.quarantinedMembers.get()),
                    m -> m.worst(a -> a.guardHolding.get(), false));
        }
        state(Account.DEFAULT); // the installation's own account's series exist from the first scrape
    }

    /**
     * The run in progress here, as two gauges per account (or for the oldest run, unlabelled): when it started and
     * when it last moved on (0 while no run is in progress). The alert on freshness stays silent while a run keeps
     * moving (docs/operating.md, Alerts).
     */
    void watch(Function<Account, Instant> runningSince, Function<Account, Instant> lastProgress) {
        this.runningSince = runningSince;
        this.lastProgress = lastProgress;
        if (!labelled) { // the installation's own run only: with many accounts, some run is nearly always moving
            progress(Tags.empty(), new ArrayList<>(), Account.DEFAULT);
        }
    }

    private void progress(Tags tags, List<Meter> meters, Account account) {
        meters.add(Gauge.builder("doorsync.run.started.timestamp", () -> epochSeconds(runningSince.apply(account)))
                .tags(tags).baseUnit("seconds").description("Unix time the sync run in progress here started; 0"
                        + " while none is").register(registry));
        meters.add(Gauge.builder("doorsync.run.progress.timestamp", () -> epochSeconds(lastProgress.apply(account)))
                .tags(tags).baseUnit("seconds").description("Unix time the sync run in progress here last moved on"
                        + " (a phase finished, a change carried out); 0 while none is").register(registry));
    }

    private static long epochSeconds(Instant t) {
        return t == null ? 0 : t.getEpochSecond();
    }

    /** A run of {@code account} ended. */
    public void run(Account account, RunReport report) {
        AccountState state = state(account);
        state.ranHere = true;
        runsCounter(account, report.outcome()).increment();
        if (report.outcome() != RunReport.Outcome.SKIPPED) {
            duration(account).record(Duration.between(report.startedAt(), report.finishedAt()));
        }
        if (report.complete()) {
            state.lastSuccessEpochSeconds.set(report.finishedAt().getEpochSecond());
        }
    }

    /**
     * Members whose change DoorFlow refused in this run ({@code refused}, member id → why) or that it applied
     * ({@code applied}): a member refused in runs in a row is counted on its own, not as an outage. A run of
     * {@code everyone} forgets whoever it did not find refused (fixed, or gone from the CRM).
     */
    public void refusals(Account account, Map<String, String> refused, Collection<String> applied, boolean everyone) {
        Map<String, Refused> inARow = state(account).refusedRunsInARow;
        applied.forEach(inARow::remove);
        if (everyone) {
            inARow.keySet().retainAll(refused.keySet());
        }
        refused.forEach((member, why) -> inARow.merge(member, new Refused(1, why),
                (earlier, now) -> new Refused(earlier.runs() + 1, now.reason())));
    }

    /** A member DoorFlow refused in {@code runs} runs in a row, the last time for {@code reason}. */
    public record Refused(int runs, String reason) {
    }

    /**
     * The account's members refused in at least {@value #REFUSED_RUNS} runs in a row, with why (for the page and
     * the gauge), as this replica's runs saw them. The installation's own account's are forgotten when this replica
     * loses the writer lease (the next writer's runs say what holds then).
     */
    public Map<String, Refused> refusedRunAfterRun(Account account) {
        AccountState state = accounts.get(account);
        if (state == null) {
            return Map.of();
        }
        long losses = lease.losses();
        if (Account.DEFAULT.equals(account) && losses != leaseLossesSeen) {
            state.refusedRunsInARow.clear(); // what this replica saw as the writer is no longer its to report
            leaseLossesSeen = losses;
        }
        Map<String, Refused> shown = new TreeMap<>();
        state.refusedRunsInARow.forEach((member, r) -> {
            if (r.runs() >= REFUSED_RUNS) {
                shown.put(member, r);
            }
        });
        return shown;
    }

    /** 1 while the account's last run was held by the revocation guard. */
    public void guardHolding(Account account, boolean holding) {
        state(account).guardHolding.set(holding ? 1 : 0);
    }

    /** The account's people linked and members quarantined, after a run. */
    public void counts(Account account, long linked, long quarantined) {
        AccountState state = state(account);
        state.linkedPeople.set(linked);
        state.quarantinedMembers.set(quarantined);
    }

    /**
     * The accounts this replica may run now (the installation's own while it is synced, on every replica: any may
     * become its writer; the others it holds): the series of any other are dropped, so an account that moved to
     * another replica, was paused or removed leaves no stale gauge (an old "guard holding" would alert for ever,
     * an installation account never connected would look stale for ever).
     */
    public void runningHere(Collection<Account> here) {
        accounts.keySet().removeIf(account -> {
            if (here.contains(account)) {
                return false;
            }
            accounts.get(account).meters.forEach(registry::remove);
            return true;
        });
    }

    /** DoorFlow refused a push to the account's doors for another reason than its rate limit. */
    public void pushFailed(Account account, int status) {
        state(account);
        pushFailures(account, status == 403 ? "forbidden" : status >= 500 ? "server_error" : "other").increment();
    }

    private Counter pushFailures(Account account, String reason) {
        return Counter.builder("doorsync.push.failures").description("Pushes to doors DoorFlow refused (not rate"
                + " limits), by reason").tags(tags(account)).tag("reason", reason).register(registry);
    }

    private AccountState state(Account account) {
        return accounts.computeIfAbsent(account, a -> {
            AccountState state = new AccountState();
            if (labelled) {
                gauges(tags(a), state.meters, s -> state.lastSuccessEpochSeconds.get(),
                        s -> refusedRunAfterRun(a).size(), s -> state.linkedPeople.get(),
                        s -> state.quarantinedMembers.get(), s -> state.guardHolding.get());
                progress(tags(a), state.meters, a);
            }
            for (RunReport.Outcome outcome : RunReport.Outcome.values()) {
                Counter runs = runsCounter(a, outcome); // every outcome exists from the start, for rate()
                if (labelled) { // unlabelled, the series is every account's: never dropped
                    state.meters.add(runs);
                }
            }
            for (String reason : new String[] { "forbidden", "server_error", "other" }) {
                Counter pushes = pushFailures(a, reason); // zeros from the start, for rate() and the alert
                if (labelled) {
                    state.meters.add(pushes);
                }
            }
            if (labelled) {
                state.meters.add(duration(a));
            }
            return state;
        });
    }

    private void gauges(Tags tags, List<Meter> meters, ToDoubleFunction<RunMetrics> lastSuccess,
            ToDoubleFunction<RunMetrics> refused, ToDoubleFunction<RunMetrics> linked,
            ToDoubleFunction<RunMetrics> quarantined, ToDoubleFunction<RunMetrics> guard) {
        meters.add(Gauge.builder("doorsync.last.success.timestamp", this, lastSuccess).tags(tags).baseUnit("seconds")
                .description("Unix time of the last complete sync run: every change that could be applied was, and"
                        + " the push to doors went out (a member DoorFlow refuses does not count against it)")
                .register(registry));
        meters.add(Gauge.builder("doorsync.members.refused", this, refused).tags(tags)
                .description("Members whose change DoorFlow refused in " + REFUSED_RUNS + " or more runs in a row"
                        + " (a card number in use, a person doorsync may not write); each is on /admin with why")
                .register(registry));
        meters.add(Gauge.builder("doorsync.linked.people", this, linked).tags(tags)
                .description("DoorFlow people doorsync manages (linked to a CRM member)").register(registry));
        meters.add(Gauge.builder("doorsync.quarantined.members", this, quarantined).tags(tags)
                .description("CRM members doorsync is holding back, each with a reason in the quarantine table")
                .register(registry));
        meters.add(Gauge.builder("doorsync.revocation.guard.holding", this, guard).tags(tags)
                .description("1 when the last run was held by the revocation guard (too many people would lose"
                        + " access); an operator must allow it")
                .register(registry));
    }

    /**
     * The oldest last success of the accounts run here (one that never succeeded here counts as 0), or NaN when
     * none ran here: a replica standing by must not hide, under max(), another replica's stale account.
     */
    private double oldestSuccess() {
        return accounts.values().stream().filter(a -> a.ranHere).mapToDouble(a -> a.lastSuccessEpochSeconds.get())
                .min().orElse(Double.NaN);
    }

    /** The worst of the accounts run here: the lowest, or the highest. */
    private double worst(ToDoubleFunction<AccountState> value, boolean lowest) {
        return accounts.values().stream().mapToDouble(value).reduce(lowest ? Math::min : Math::max).orElse(0);
    }

    private double sum(ToDoubleFunction<AccountState> value) {
        return accounts.values().stream().mapToDouble(value).sum();
    }

    private Tags tags(Account account) {
        return labelled ? Tags.of("account", account.id()) : Tags.empty();
    }

    private Timer duration(Account account) {
        return Timer.builder("doorsync.run.duration").description("Duration of sync runs").tags(tags(account))
                .register(registry);
    }

    private Counter runsCounter(Account account, RunReport.Outcome outcome) {
        return Counter.builder("doorsync.runs").description("Sync runs by outcome").tag("outcome", outcome.label())
                .tags(tags(account)).register(registry);
    }
}
