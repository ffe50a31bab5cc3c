package io.doorsync.execute;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import io.doorsync.Account;
import io.doorsync.DoorsyncConfig;
import io.doorsync.doorflow.DoorFlowGateway;
import io.doorsync.doorflow.DoorFlowGateways;
import io.doorsync.plan.Change;
import io.doorsync.plan.Plan;
import io.doorsync.store.JournalLine;
import io.doorsync.store.JournalOutcome;
import io.doorsync.store.LinkStore;
import io.doorsync.store.OutcomeBatch;
import io.doorsync.store.LinkUpdate;
import io.doorsync.store.OwnershipStore;
import io.doorsync.store.RunStore;

/**
 * Executes a plan against DoorFlow with bounded concurrency. Each change succeeds or fails on its own: the
 * outcome is journaled against its member, and a failed member keeps its old link so the next run retries it.
 */
@ApplicationScoped
public class Applier {

    private static final Logger LOG = Logger.getLogger(Applier.class);

    /** MDC key of the run id on every log line of a run (JSON logs: mdc.runId), on the run's threads and ours. */
    public static final String RUN_ID = "runId";

    /**
     * The outcome of one member's change. {@code reachedDoorFlow} is false for bookkeeping-only changes;
     * {@code failedCredentials} counts its credential steps that failed (each journaled on its own).
     */
    public record Result(Change change, boolean applied, boolean reachedDoorFlow, int failedCredentials) {
    }

    /**
     * The outcomes of a plan's changes; the members DoorFlow refused a change of for that member alone (member id →
     * why: a card number in use, a person doorsync may not write), and how many steps failed otherwise.
     */
    public record Applied(List<Result> results, Map<String, String> refused, int otherFailures) {
    }

    private final DoorFlowGateways doorflow;
    private final OwnershipStore ownership;
    private final RunStore runs;
    private final LinkStore links;
    private final ChangeMetrics metrics;
    // Plain pools (not Mutiny or the managed executor): the work is blocking HTTP and the bound is
    // doorsync.sync.concurrency; DoorFlowGateway sends fewer writes at once after a 429. One pool per account, so
    // one account's slow DoorFlow never holds up another's writes on the same replica; an idle account's threads
    // end after a minute (a replica may hold hundreds of accounts, and runs only a few at once).
    private final Map<Account, ThreadPoolExecutor> pools = new ConcurrentHashMap<>();
    private final int concurrency;

    Applier(DoorFlowGateways doorflow, OwnershipStore ownership, RunStore runs, LinkStore links, ChangeMetrics metrics,
            DoorsyncConfig config) {
        this.doorflow = doorflow;
        this.ownership = ownership;
        this.runs = runs;
        this.links = links;
        this.metrics = metrics;
        this.concurrency = Math.max(1, config.sync().concurrency());
    }

    @PreDestroy
    void shutdown() {
        pools.values().forEach(ThreadPoolExecutor::shutdownNow);
    }

    private ThreadPoolExecutor pool(Account account) {
        return pools.computeIfAbsent(account, a -> {
            String name = Account.DEFAULT.equals(a) ? "doorsync-apply" : "doorsync-apply-" + a.id();
            ThreadPoolExecutor pool = new ThreadPoolExecutor(concurrency, concurrency, 1, TimeUnit.MINUTES,
                    new LinkedBlockingQueue<>(), r -> {
                        Thread t = new Thread(r, name);
                        t.setDaemon(true);
                        return t;
                    });
            pool.allowCoreThreadTimeOut(true);
            return pool;
        });
    }

    /**
     * Runs {@code work} on each item on the run's writer threads (the same bound, the run id in their log lines),
     * for a phase after the plan's own (the photos); the results in the items' order.
     */
    public <T, R> List<R> inParallel(Account account, long runId, List<T> items, Function<T, R> work) {
        List<Future<R>> running = new ArrayList<>();
        for (T item : items) {
            running.add(onWriter(account, runId, () -> work.apply(item)));
        }
        List<R> results = new ArrayList<>();
        for (Future<R> f : running) {
            try {
                results.add(f.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("sync run interrupted", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
            }
        }
        return results;
    }

    /** {@code work} on one of the run's writer threads, with the run id in its log lines. */
    private <R> Future<R> onWriter(Account account, long runId, Callable<R> work) {
        return pool(account).submit(() -> {
            MDC.put(RUN_ID, String.valueOf(runId));
            try {
                return work.call();
            } finally {
                MDC.remove(RUN_ID);
            }
        });
    }

    /**
     * Applies the plan's phases one after the other, the changes inside a phase in parallel up to the bound.
     * Before each change the run checks it may still write ({@code permit}, and the refusals of this run); a
     * change it may not send is journaled as not attempted and planned again next run. {@code progress} is told
     * each time a change has been carried out and recorded (liveness follows it). {@code everyoneListed}: the
     * plan's DoorFlow side holds every live person, so a create needs no look-up first.
     */
    public Applied apply(Account account, long runId, Plan plan, boolean everyoneListed, WritePermit permit,
            Runnable progress) {
        DoorFlowGateway gateway = doorflow.of(account);
        Refusal refusal = new Refusal(permit, gateway::lacksScope);
        OutcomeBatch outcomes = runs.outcomes(account, runId);
        ChangeExecution execution = new ChangeExecution(account, gateway, ownership, links, metrics, outcomes,
                ownership.stampsInFlight(account), everyoneListed, refusal);
        List<Result> results = new ArrayList<>();
        RuntimeException databaseFailure = null;
        for (List<Change> phase : plan.phases()) {
            List<Future<Result>> running = new ArrayList<>();
            for (Change change : phase) {
                running.add(onWriter(account, runId, () -> {
                    try {
                        return applyOne(outcomes, change, execution, refusal);
                    } finally {
                        progress.run();
                    }
                }));
            }
            for (Future<Result> f : running) {
                try {
                    results.add(f.get());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("sync run interrupted", e);
                } catch (ExecutionException e) {
                    // applyOne catches DoorFlow failures itself; what gets here is doorsync's database failing.
                    // The changes queued behind it see the refusal and are not sent; wait for those in flight.
                    databaseFailure = new IllegalStateException("could not record a change outcome, so the"
                            + " changes after it were not sent: " + e.getCause().getMessage(), e.getCause());
                }
            }
            if (databaseFailure == null) {
                try {
                    outcomes.flush(); // the phase's outcomes are recorded before the next phase starts
                } catch (RuntimeException e) {
                    databaseFailure = new IllegalStateException("could not record the outcomes of a phase, so the"
                            + " changes after it were not sent: " + e.getMessage(), e);
                }
            }
            if (databaseFailure != null) {
                throw databaseFailure;
            }
        }
        return new Applied(results, refusal.refusedMembers(), refusal.otherFailures());
    }

    private Result applyOne(OutcomeBatch outcomes, Change change, ChangeExecution execution, Refusal refusal) {
        try {
            return attempt(outcomes, change, execution, refusal);
        } catch (RuntimeException databaseFailure) {
            refusal.databaseFailed(databaseFailure);
            throw databaseFailure;
        }
    }

    private Result attempt(OutcomeBatch outcomes, Change change, ChangeExecution execution, Refusal refusal) {
        String stop = refusal.reason();
        if (stop != null) {
            if (refusal.canRecord()) {
                record(outcomes, change, JournalOutcome.SKIPPED, change.doorflowPersonId(), "not attempted: " + stop,
                        new LinkUpdate.Keep());
            }
            return new Result(change, false, false, 0);
        }
        ChangeExecution.Done done;
        try {
            done = change.accept(execution);
        } catch (RuntimeException e) {
            record(outcomes, change, JournalOutcome.FAILED, change.doorflowPersonId(),
                    refusal.failure(e, change.kind(), change.memberId()), new LinkUpdate.Keep());
            return new Result(change, false, true, 0);
        }
        refusal.succeeded();
        record(outcomes, change, JournalOutcome.APPLIED, done.personId(), done.detail(), done.link());
        change.driftFields().forEach(field -> metrics.driftRepaired(outcomes.account(), field));
        return new Result(change, true, done.reachedDoorFlow(), done.failedCredentials());
    }

    private void record(OutcomeBatch outcomes, Change change, JournalOutcome outcome, Long personId, String detail,
            LinkUpdate link) {
        outcomes.add(JournalLine.ofMember(change.memberId(), change.kind(), outcome, personId, detail), link);
        metrics.change(outcomes.account(), change.kind(), outcome);
        log(LOG, change.memberId(), change.kind(), outcome, personId, detail);
    }

    static void log(Logger log, String memberId, String kind, JournalOutcome outcome, Long personId, String detail) {
        if (outcome == JournalOutcome.APPLIED) {
            log.infof("member %s: %s applied (person %s): %s", memberId, kind, personId, detail);
        } else {
            log.warnf("member %s: %s %s (person %s): %s", memberId, kind, outcome.label(), personId, detail);
        }
    }
}
