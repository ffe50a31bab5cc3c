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
import org.jboss.logging.MDC;

import io.doorsync.DoorsyncConfig;
import io.doorsync.apply.SyncStore.JournalLine;
import io.doorsync.apply.SyncStore.LinkUpdate;
import io.doorsync.doorflow.DoorFlowConflictException;
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
import io.doorsync.plan.CredentialChange;
import io.doorsync.plan.Plan;
import io.doorsync.plan.SpecHash;

/**
 * Executes a plan against DoorFlow with bounded concurrency. Each change succeeds or fails on its own: the
 * outcome is journaled against its member, and a failed member keeps its old link so the next run retries it.
 */
@ApplicationScoped
public class Applier {

    private static final Logger LOG = Logger.getLogger(Applier.class);

    /**
     * The outcome of one member's change. {@code reachedDoorFlow} is false for bookkeeping-only changes;
     * {@code failedCredentials} counts its credential steps that failed (each journaled on its own).
     */
    public record Result(Change change, boolean applied, boolean reachedDoorFlow, int failedCredentials) {
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
                running.add(pool.submit(() -> {
                    MDC.put(SyncService.RUN_ID, String.valueOf(runId));
                    try {
                        return applyOne(runId, change, refusal);
                    } finally {
                        MDC.remove(SyncService.RUN_ID);
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
            return new Result(change, false, false, 0);
        }
        try {
            Outcome outcome = execute(runId, change, refusal);
            record(runId, change, "applied", outcome.personId(), outcome.detail(), outcome.link());
            return new Result(change, true, !(change instanceof Unlink), outcome.failedCredentials());
        } catch (RuntimeException e) {
            record(runId, change, "failed", personId, failure(e, change.kind(), member, refusal), new LinkUpdate.Keep());
        }
        return new Result(change, false, true, 0);
    }

    /** Words for the journal; a refusal of doorsync's own credentials stops the run's other writes. */
    private static String failure(RuntimeException e, String kind, String member, AtomicReference<String> refusal) {
        if (e instanceof DoorFlowNotConnectedException) {
            refusal.compareAndSet(null, e.getMessage());
            return e.getMessage();
        }
        if (e instanceof DoorFlowException d) {
            if (d.status() == 401 || d.status() == 403) {
                // DoorFlow credentials are account-wide: every further call would be refused the same way.
                refusal.compareAndSet(null, "DoorFlow refused doorsync's credentials (" + d.getMessage() + ")");
            }
            return d.getMessage();
        }
        LOG.errorf(e, "unexpected failure applying %s for member %s", kind, member);
        return "unexpected error: " + e;
    }

    private record Outcome(Long personId, String detail, LinkUpdate link, int failedCredentials) {
    }

    private Outcome execute(long runId, Change change, AtomicReference<String> refusal) {
        if (change instanceof CreatePerson c) {
            long id = doorflow.create(c.spec());
            int failed = applyCredentials(runId, c.memberId(), id, c.credentials(), refusal);
            return new Outcome(id, "created with groups " + c.spec().groupIds(),
                    new LinkUpdate.Save(id, savedHash(c.hash(), failed), c.spec().groupIds()), failed);
        }
        if (change instanceof AdoptPerson a) {
            doorflow.update(a.personId(), a.spec());
            int failed = applyCredentials(runId, a.memberId(), a.personId(), a.credentials(), refusal);
            return new Outcome(a.personId(), "adopted unmanaged person by email; groups now " + a.spec().groupIds(),
                    new LinkUpdate.Save(a.personId(), savedHash(a.hash(), failed), a.ownedGroups()), failed);
        }
        if (change instanceof UpdatePerson u) {
            if (u.putsPerson()) {
                doorflow.update(u.personId(), u.spec());
            }
            int failed = applyCredentials(runId, u.memberId(), u.personId(), u.credentials(), refusal);
            String detail = u.putsPerson() ? "changed " + String.join(", ", u.changedFields())
                    : u.credentials().isEmpty() ? "DoorFlow already matches; link brought up to date"
                            : "person unchanged; credentials only";
            return new Outcome(u.personId(), detail,
                    new LinkUpdate.Save(u.personId(), savedHash(u.hash(), failed), u.ownedGroups()), failed);
        }
        if (change instanceof DisablePerson d) {
            // Access goes first; the credentials (freeing card numbers and mobile licences) after.
            doorflow.disable(d.personId(), d.remainingGroups());
            int failed = applyCredentials(runId, d.memberId(), d.personId(), d.credentials(), refusal);
            return new Outcome(d.personId(), "disabled; groups kept " + d.remainingGroups(),
                    new LinkUpdate.Save(d.personId(), savedHash(SpecHash.DISABLED, failed), Set.of()), failed);
        }
        if (change instanceof DeletePerson d) {
            // Credentials first: once the person is deleted they can no longer be reached to free them.
            int failed = applyCredentials(runId, d.memberId(), d.personId(), d.credentials(), refusal);
            try {
                doorflow.delete(d.personId());
            } catch (DoorFlowException e) {
                if (e.status() != 404) {
                    throw e;
                }
                return new Outcome(d.personId(), "already gone from DoorFlow", new LinkUpdate.Remove(), failed);
            }
            return new Outcome(d.personId(), "deleted (DoorFlow soft delete)", new LinkUpdate.Remove(), failed);
        }
        if (change instanceof Unlink u) {
            return new Outcome(u.personId(), u.reason(), new LinkUpdate.Remove(), 0);
        }
        throw new IllegalArgumentException("unknown change " + change);
    }

    /** A member with a failed credential step is planned again next run; the rest is not undone. */
    private static String savedHash(String hash, int failedCredentials) {
        return failedCredentials == 0 ? hash : SpecHash.INCOMPLETE;
    }

    /**
     * Applies a member's credential steps in order, each journaled on its own (type and outcome, never the
     * value). Returns how many failed; a failure does not stop the member's other steps.
     */
    private int applyCredentials(long runId, String memberId, long personId, List<CredentialChange> steps,
            AtomicReference<String> refusal) {
        int failed = 0;
        for (CredentialChange step : steps) {
            String outcome;
            String detail;
            if (refusal.get() != null) {
                outcome = "skipped";
                detail = step.typeSlug() + ": not attempted: " + refusal.get();
            } else {
                try {
                    outcome = "applied";
                    detail = step.typeSlug() + ": " + executeCredential(personId, step);
                } catch (RuntimeException e) {
                    outcome = "failed";
                    detail = step.typeSlug() + ": " + failure(e, step.kind(), memberId, refusal);
                }
            }
            if (!"applied".equals(outcome)) {
                failed++;
            }
            store.journal(runId, List.of(new JournalLine(memberId, null, step.kind(), outcome, personId, detail)));
            metrics.change(step.kind(), outcome);
            log(memberId, step.kind(), outcome, personId, detail);
        }
        return failed;
    }

    private String executeCredential(long personId, CredentialChange step) {
        if (step instanceof CredentialChange.Create c) {
            try {
                doorflow.createCredential(personId, c.typeId(), c.value());
            } catch (DoorFlowConflictException e) {
                // Someone issued one in the meantime; DoorFlow holds one per type, so make that one right.
                String existing = e.existing().id();
                if (c.value() == null || CredentialChange.GENERATE_PIN.equals(c.value())
                        || c.value().equals(e.existing().value())) {
                    return "already held (409, credential " + existing + "); kept";
                }
                doorflow.updateCredential(personId, existing, c.value());
                return "already held (409, credential " + existing + "); re-valued to the CRM's value";
            }
            return c.value() == null ? "issued without a value (DoorFlow sends the mobile invitation)"
                    : CredentialChange.GENERATE_PIN.equals(c.value()) ? "issued; DoorFlow generated the PIN"
                            : "issued with the CRM's value";
        }
        if (step instanceof CredentialChange.Update u) {
            doorflow.updateCredential(personId, u.credentialId(), u.value());
            return "credential " + u.credentialId() + " re-valued to the CRM's value";
        }
        if (step instanceof CredentialChange.Delete d) {
            try {
                return doorflow.deleteCredential(personId, d.credentialId())
                        ? "credential " + d.credentialId() + " revocation accepted (DoorFlow revokes mobile"
                                + " credentials asynchronously)"
                        : "credential " + d.credentialId() + " deleted";
            } catch (DoorFlowException e) {
                if (e.status() != 404) {
                    throw e;
                }
                return "credential " + d.credentialId() + " already gone";
            }
        }
        throw new IllegalArgumentException("unknown credential step " + step);
    }

    private void record(long runId, Change change, String outcome, Long personId, String detail, LinkUpdate link) {
        store.recordOutcome(runId, new JournalLine(change.memberId(), null, change.kind(), outcome, personId, detail),
                link);
        metrics.change(change.kind(), outcome);
        log(change.memberId(), change.kind(), outcome, personId, detail);
    }

    private static void log(String memberId, String kind, String outcome, Long personId, String detail) {
        if ("applied".equals(outcome)) {
            LOG.infof("member %s: %s applied (person %s): %s", memberId, kind, personId, detail);
        } else {
            LOG.warnf("member %s: %s %s (person %s): %s", memberId, kind, outcome, personId, detail);
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
