package io.doorsync.run.triggers;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.Execution;
import com.github.kagkarlsson.scheduler.task.ExecutionContext;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;

import io.doorsync.Account;
import io.doorsync.DoorsyncConfig;
import io.doorsync.accounts.AccountRegistry;
import io.doorsync.run.SyncRunner;
import io.doorsync.store.AccountStore;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Spreads the accounts besides the installation's own over the replicas with db-scheduler (cluster-aware, on
 * doorsync's own PostgreSQL, its table scheduled_tasks): each account is one execution, and the replica that picks
 * it (lock-and-fetch, {@code SKIP LOCKED}) holds it, running the account every doorsync.sync.interval with a warm
 * mirror. db-scheduler's heartbeats tell when a holder died; its executions are then revived and picked by the
 * others. A replica holds at most its share: the accounts over the replicas alive (each says so every heartbeat, in
 * the replica table); one it picks beyond that it offers straight back, and a holder offers each account back every
 * doorsync.sync.owners.hold, which is how a replica that joins gets accounts. The per-account advisory lock stays the fence
 * before every write: a holder paused past its heartbeats and taken over cannot run the account alongside the new
 * one, and it stops holding at its next tick. Scheduling off (quarkus.scheduler.enabled=false): nothing is held.
 */
@ApplicationScoped
public class AccountOwners {

    static final String TASK = "account";

    private static final Logger LOG = Logger.getLogger(AccountOwners.class);
    /** db-scheduler's default: silent for this many heartbeats, a holder is dead and its accounts move. */
    private static final int MISSED_HEARTBEATS = 4;

    private final SyncRunner sync;
    private final AccountRegistry accounts;
    private final AccountStore store;
    private final DataSource dataSource;
    private final DoorsyncConfig.Sync config;
    private final boolean enabled;
    private final String name;
    private final CustomTask<Void> task;
    private final Map<Account, Semaphore> nudges = new ConcurrentHashMap<>();
    /** When this replica last ran each account it held: one taken again keeps its interval's rhythm. */
    private final Map<Account, Instant> lastRun = new ConcurrentHashMap<>();
    /**
     * When a CRM change last woke each account, held here or not (every replica listens): a change that arrived while
     * the account was between holders is run for by whichever replica takes it next.
     */
    private final Map<Account, Instant> wokenAt = new ConcurrentHashMap<>();
    /** The accounts this replica holds now (decided one at a time, so a batch picked at once is shared out). */
    private final java.util.Set<Account> holding = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.ScheduledExecutorService presence = java.util.concurrent.Executors
            .newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "doorsync-replica-presence");
                t.setDaemon(true);
                return t;
            });
    /** Runs of held accounts going on now: bounded, so a replica holding hundreds never exhausts its pool. */
    private final Semaphore running;
    private volatile boolean stopping;
    private Scheduler scheduler;

    AccountOwners(SyncRunner sync, AccountRegistry accounts, AccountStore store, DataSource dataSource,
            DoorsyncConfig config, @ConfigProperty(name = "quarkus.scheduler.enabled", defaultValue = "true") boolean on) {
        this.sync = sync;
        this.accounts = accounts;
        this.store = store;
        this.dataSource = dataSource;
        this.config = config.sync();
        this.enabled = on;
        this.running = new Semaphore(Math.max(1, config.sync().owners().runsAtOnce()), true);
        // db-scheduler keeps 50 characters of a name (picked_by): a pod's host name is cut to fit.
        String host = hostName();
        this.name = host.substring(0, Math.min(host.length(), 28)) + "-" + ProcessHandle.current().pid() + "-"
                + UUID.randomUUID().toString().substring(0, 8);
        // Whatever goes wrong in a hold, the account is offered back within a poll, not db-scheduler's 5 minutes.
        this.task = Tasks.custom(TASK, Void.class).onFailure((complete, operations) -> operations.reschedule(complete,
                Instant.now().plus(config.sync().owners().poll()))).execute(this::hold);
    }

    void start(@Observes @Priority(20) StartupEvent event) {
        if (!enabled) {
            return;
        }
        DoorsyncConfig.Sync.Owners owners = config.owners();
        seen();
        presence.scheduleWithFixedDelay(this::seen, owners.heartbeat().toMillis(), owners.heartbeat().toMillis(),
                TimeUnit.MILLISECONDS);
        scheduler = Scheduler.create(dataSource, task).schedulerName(new SchedulerName.Fixed(name))
                .threads(Math.max(1, owners.perReplica())).pollingInterval(owners.poll())
                .heartbeatInterval(owners.heartbeat()).missedHeartbeatsLimit(MISSED_HEARTBEATS)
                .pollUsingLockAndFetch(0.5, 1.0).shutdownMaxWait(config.stopTimeout()).build();
        scheduler.start();
        offer(accounts.synced());
        LOG.infof("holding accounts as replica %s (at most %d at once)", name, owners.perReplica());
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true; // every hold ends at once and offers its account back: another replica takes it now
        nudges.values().forEach(Semaphore::release);
        if (scheduler != null) {
            scheduler.stop();
            presence.shutdownNow();
            store.replicaGone(name);
        }
    }

    /** Says this replica is alive, so the others count it when they share the accounts out. */
    private void seen() {
        try {
            store.replicaSeen(name, Instant.now());
        } catch (RuntimeException e) {
            LOG.warnf("could not say replica %s is alive: %s", name, e.getMessage());
        }
    }

    /** Gives every account synced besides the installation's own an execution, if it has none yet (a new one). */
    void offer(List<Account> synced) {
        if (scheduler == null) {
            return;
        }
        java.util.Set<String> existing = store.executions(TASK); // one read per tick, not one per account
        for (Account account : synced) {
            if (!Account.DEFAULT.equals(account) && !existing.contains(account.id())) {
                scheduler.scheduleIfNotExists(task.instance(account.id()), Instant.now());
            }
        }
    }

    /** Starts the account's next run now where it is held (a CRM change, say), or as soon as it is held again. */
    void nudge(Account account) {
        wokenAt.put(account, Instant.now());
        Semaphore nudge = nudges.get(account);
        if (nudge != null) {
            nudge.release();
        }
    }

    /** This replica picked the account: run it until the hold ends, it is taken over, or doorsync stops. */
    private CompletionHandler<Void> hold(TaskInstance<Void> instance, ExecutionContext context) {
        Account account = new Account(instance.getId());
        Execution execution = context.getExecution();
        Duration poll = config.owners().poll();
        if (!store.active(account)) {
            // Paused or removed, as the table says: no execution until it is synced again (offer() gives it one).
            return (complete, operations) -> operations.remove();
        }
        if (!accounts.synced().contains(account)) {
            return offerBack(poll.multipliedBy(2)); // not connected here (yet): a replica that is takes it
        }
        if (!takeWithinShare(account)) {
            return offerBack(poll.multipliedBy(2)); // another replica, under its share, takes it
        }
        Semaphore nudge = nudges.computeIfAbsent(account, a -> new Semaphore(0));
        Instant until = Instant.now().plus(config.owners().hold());
        try {
            while (!stopping && Instant.now().isBefore(until)
                    && store.stillHeld(TASK, instance.getId(), name, execution.version)) {
                // The next tick (an account taken again keeps its rhythm), a nudge, or the hold's end: the first.
                Instant last = lastRun.get(account);
                Instant woken = wokenAt.get(account);
                boolean owed = last == null || woken != null && woken.isAfter(last);
                long wait = Math.min(owed ? 0 : Duration.between(Instant.now(), last.plus(config.interval()))
                        .toMillis(), Duration.between(Instant.now(), until).toMillis());
                if (wait > 0 && !nudge.tryAcquire(wait, TimeUnit.MILLISECONDS)) {
                    continue; // due now, or the hold is over: the loop decides which
                }
                nudge.drainPermits();
                if (stopping || !store.active(account)) {
                    break; // stopping, or paused or removed since: not one more run
                }
                running.acquire();
                try {
                    if (stopping) {
                        break;
                    }
                    lastRun.put(account, Instant.now());
                    sync.runOnce(account, "schedule", false);
                } finally {
                    running.release();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.errorf("holding account %s failed: %s; it is offered back", account, e.getMessage());
        } finally {
            nudges.remove(account, nudge);
            holding.remove(account);
        }
        return offerBack(stopping ? Duration.ZERO : poll);
    }

    /** Back to the pool, due within {@code spread} (at random, so whichever replica polls first is not always us). */
    private static CompletionHandler<Void> offerBack(Duration spread) {
        long jitter = spread.isZero() ? 0 : ThreadLocalRandom.current().nextLong(spread.toMillis() + 1);
        return (complete, operations) -> operations.reschedule(complete, Instant.now().plusMillis(jitter));
    }

    /** The accounts this replica holds now. */
    public java.util.Set<Account> holding() {
        return java.util.Set.copyOf(holding);
    }

    /**
     * Takes the account if this replica holds less than its share: the accounts synced over the replicas alive
     * (rounded up, so the shares always cover every account). One decision at a time.
     */
    private synchronized boolean takeWithinShare(Account account) {
        int total = (int) accounts.synced().stream().filter(a -> !Account.DEFAULT.equals(a)).count();
        int replicas = Math.max(1, store.liveReplicas(config.owners().heartbeat().multipliedBy(MISSED_HEARTBEATS)));
        if (holding.size() >= (total + replicas - 1) / replicas) {
            return false;
        }
        holding.add(account);
        return true;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "doorsync";
        }
    }
}
