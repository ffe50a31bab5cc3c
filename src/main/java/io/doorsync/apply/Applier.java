package io.doorsync.apply;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.doorsync.DoorsyncConfig;
import io.doorsync.apply.SyncStore.JournalLine;
import io.doorsync.apply.SyncStore.LinkUpdate;
import io.doorsync.doorflow.DoorFlowException;
import io.doorsync.doorflow.DoorFlowGateway;
import io.doorsync.doorflow.DoorFlowNotConnectedException;
import io.doorsync.ops.SyncMetrics;
import io.doorsync.plan.Change;
import io.doorsync.plan.Change.AdoptPerson;
import io.doorsync.plan.Change.CreatePerson;
import io.doorsync.plan.Change.DeletePerson;
import io.doorsync.plan.Change.DisablePerson;
import io.doorsync.plan.Change.Unlink;
import io.doorsync.plan.Change.UpdatePerson;
import io.doorsync.plan.Plan;
import io.doorsync.plan.SpecHash;

/**
 * Executes a plan against DoorFlow with bounded concurrency. Each change succeeds or fails on its own: the
 * outcome is journaled against its member, and a failed member keeps its old link so the next run retries it.
 */
@ApplicationScoped
public class Applier {

    private static final Logger LOG = Logger.getLogger(Applier.class);

    /** The outcome of one change. {@code reachedDoorFlow} is false for bookkeeping-only changes. */
    public record Result(Change change, boolean applied, boolean reachedDoorFlow) {
    }

    private final DoorFlowGateway doorflow;
    private final SyncStore store;
    private final SyncMetrics metrics;
    // A plain fixed pool (not Mutiny or the managed executor): the work is blocking HTTP and the bound is
    // exactly doorsync.sync.concurrency, which is what DoorFlow sees.
    private final ExecutorService pool;

    Applier(DoorFlowGateway doorflow, SyncStore store, SyncMetrics metrics, DoorsyncConfig config) {
        this.doorflow = doorflow;
        this.store = store;
        this.metrics = metrics;
        this.pool = Executors.newFixedThreadPool(Math.max(1, config.sync().concurrency()), r -> {
            Thread t = new Thread(r, "doorsync-apply");
            t.setDaemon(true);
            return t;
        });
    }

    @PreDestroy
    void shutdown() {
        pool.shutdownNow();
    }

    /** Applies the plan's phases one after the other, the changes inside a phase in parallel up to the bound. */
    public List<Result> apply(long runId, Plan plan) {
        AtomicReference<String> refusal = new AtomicReference<>();
        List<Result> results = new ArrayList<>();
        for (List<Change> phase : plan.phases()) {
            List<Future<Result>> running = new ArrayList<>();
            for (Change change : phase) {
                running.add(pool.submit(() -> applyOne(runId, change, refusal)));
            }
            for (Future<Result> f : running) {
                try {
                    results.add(f.get());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("sync run interrupted", e);
                } catch (ExecutionException e) {
                    // applyOne catches DoorFlow failures itself; what gets here is doorsync's database failing.
                    throw new IllegalStateException("could not record a change outcome: " + e.getCause().getMessage(),
                            e.getCause());
                }
            }
        }
        return results;
    }

    private Result applyOne(long runId, Change change, AtomicReference<String> refusal) {
        String member = change.memberId();
        Long personId = personIdOf(change);
        if (refusal.get() != null) {
            record(runId, change, "skipped", personId, "not attempted: " + refusal.get(), new LinkUpdate.Keep());
            return new Result(change, false, false);
        }
        try {
            Outcome outcome = execute(change);
            record(runId, change, "applied", outcome.personId(), outcome.detail(), outcome.link());
            return new Result(change, true, !(change instanceof Unlink));
        } catch (DoorFlowNotConnectedException e) {
            refusal.compareAndSet(null, e.getMessage());
            record(runId, change, "failed", personId, e.getMessage(), new LinkUpdate.Keep());
        } catch (DoorFlowException e) {
            if (e.status() == 401 || e.status() == 403) {
                // Credentials are account-wide: every further call would be refused the same way.
                refusal.compareAndSet(null, "DoorFlow refused doorsync's credentials (" + e.getMessage() + ")");
            }
            record(runId, change, "failed", personId, e.getMessage(), new LinkUpdate.Keep());
        } catch (RuntimeException e) {
            LOG.errorf(e, "unexpected failure applying %s for member %s", change.kind(), member);
            record(runId, change, "failed", personId, "unexpected error: " + e, new LinkUpdate.Keep());
        }
        return new Result(change, false, true);
    }

    private record Outcome(Long personId, String detail, LinkUpdate link) {
    }

    private Outcome execute(Change change) {
        if (change instanceof CreatePerson c) {
            long id = doorflow.create(c.spec());
            return new Outcome(id, "created with groups " + c.spec().groupIds(),
                    new LinkUpdate.Save(id, c.hash(), c.spec().groupIds()));
        }
        if (change instanceof AdoptPerson a) {
            doorflow.update(a.personId(), a.spec());
            return new Outcome(a.personId(), "adopted unmanaged person by email; groups now " + a.spec().groupIds(),
                    new LinkUpdate.Save(a.personId(), a.hash(), a.ownedGroups()));
        }
        if (change instanceof UpdatePerson u) {
            doorflow.update(u.personId(), u.spec());
            return new Outcome(u.personId(), "changed " + String.join(", ", u.changedFields()),
                    new LinkUpdate.Save(u.personId(), u.hash(), u.ownedGroups()));
        }
        if (change instanceof DisablePerson d) {
            doorflow.disable(d.personId(), d.remainingGroups());
            return new Outcome(d.personId(), "disabled; groups kept " + d.remainingGroups(),
                    new LinkUpdate.Save(d.personId(), SpecHash.DISABLED, Set.of()));
        }
        if (change instanceof DeletePerson d) {
            try {
                doorflow.delete(d.personId());
            } catch (DoorFlowException e) {
                if (e.status() != 404) {
                    throw e;
                }
                return new Outcome(d.personId(), "already gone from DoorFlow", new LinkUpdate.Remove());
            }
            return new Outcome(d.personId(), "deleted (DoorFlow soft delete)", new LinkUpdate.Remove());
        }
        if (change instanceof Unlink u) {
            return new Outcome(u.personId(), u.reason(), new LinkUpdate.Remove());
        }
        throw new IllegalArgumentException("unknown change " + change);
    }

    private void record(long runId, Change change, String outcome, Long personId, String detail, LinkUpdate link) {
        store.recordOutcome(runId, new JournalLine(change.memberId(), null, change.kind(), outcome, personId, detail),
                link);
        metrics.change(change.kind(), outcome);
        if ("applied".equals(outcome)) {
            LOG.infof("member %s: %s applied (person %s): %s", change.memberId(), change.kind(), personId, detail);
        } else {
            LOG.warnf("member %s: %s %s (person %s): %s", change.memberId(), change.kind(), outcome, personId, detail);
        }
    }

    private static Long personIdOf(Change change) {
        if (change instanceof AdoptPerson a) {
            return a.personId();
        }
        if (change instanceof UpdatePerson u) {
            return u.personId();
        }
        if (change instanceof DisablePerson d) {
            return d.personId();
        }
        if (change instanceof DeletePerson d) {
            return d.personId();
        }
        if (change instanceof Unlink u) {
            return u.personId();
        }
        return null;
    }
}
