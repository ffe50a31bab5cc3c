package io.doorsync.checkins;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.doorsync.Account;
import io.doorsync.DoorsyncConfig;
import io.doorsync.doorflow.DoorFlowException;
import io.doorsync.run.guards.WriterLease;
import io.doorsync.run.triggers.AccountOwners;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;

/**
 * Reads new check-ins every doorsync.checkins.interval while check-ins are on: the installation's own account's
 * on the writer replica, every other account's on the replica that holds it. A failed read is logged once (until
 * it changes) with what to do, and kept for the admin page; the next read starts from the same point.
 */
@ApplicationScoped
public class CheckInScheduler {

    private static final Logger LOG = Logger.getLogger(CheckInScheduler.class);

    /** Skips the job while doorsync.checkins.enabled is false. */
    @Singleton
    public static class Off implements Scheduled.SkipPredicate {
        private final boolean enabled;

        Off(DoorsyncConfig config) {
            this.enabled = config.checkins().enabled();
        }

        @Override
        public boolean test(ScheduledExecution execution) {
            return !enabled;
        }
    }

    /** The last read's outcome, for the admin page: when, and the problem if it failed. */
    public record LastRead(Instant at, String problem) {
    }

    private final CheckIns checkIns;
    private final WriterLease lease;
    private final AccountOwners owners;
    private final boolean enabled;
    private final Map<Account, LastRead> lastRead = new ConcurrentHashMap<>();
    /**
     * Each account's read on a thread of these, so one account's slow DoorFlow never delays another's; an account
     * whose read is still going is not read again meanwhile.
     */
    private final ExecutorService readers = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "doorsync-checkins");
        t.setDaemon(true);
        return t;
    });
    private final Set<Account> reading = ConcurrentHashMap.newKeySet();

    CheckInScheduler(CheckIns checkIns, WriterLease lease, AccountOwners owners, DoorsyncConfig config) {
        this.checkIns = checkIns;
        this.lease = lease;
        this.owners = owners;
        this.enabled = config.checkins().enabled();
    }

    /** Whether check-ins are read at all (doorsync.checkins.enabled). */
    public boolean enabled() {
        return enabled;
    }

    @Scheduled(identity = "doorsync-checkins", every = "${doorsync.checkins.interval}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Off.class)
    void tick() {
        if (lease.holdOrTake()) { // the writer reads them; a replica standing by makes no DoorFlow call
            readApart(Account.DEFAULT);
        }
        Set<Account> held = owners.holding();
        held.forEach(this::readApart);
        // An account that moved away is told of by its new holder (the installation's own stays: it never moves).
        lastRead.keySet().removeIf(a -> !Account.DEFAULT.equals(a) && !held.contains(a));
    }

    @PreDestroy
    void stop() {
        readers.shutdownNow();
    }

    private void readApart(Account account) {
        if (reading.add(account)) {
            readers.execute(() -> {
                try {
                    read(account);
                } finally {
                    reading.remove(account);
                }
            });
        }
    }

    /** One read of the account's check-ins now; never throws. */
    public LastRead read(Account account) {
        LastRead previous = lastRead.get(account);
        LastRead now;
        try {
            CheckIns.Read read = checkIns.readNew(account);
            if (read.added() > 0) {
                LOG.debugf("check-ins of account %s: %d new access events read from DoorFlow", account, read.added());
            }
            if (previous != null && previous.problem() != null) {
                LOG.infof("check-ins of account %s: DoorFlow's access events are read again", account);
            }
            now = new LastRead(Instant.now(), null);
        } catch (RuntimeException e) {
            String problem = e instanceof DoorFlowException d && d.status() == 403
                    ? "DoorFlow refused to list access events (403): an OAuth connection needs the scope"
                            + " account.event.access.readonly (press Reconnect on /admin to grant it), an API key a"
                            + " user allowed to see events"
                    : "access events could not be read: " + e.getMessage();
            if (previous == null || !problem.equals(previous.problem())) {
                LOG.warnf("check-ins of account %s: %s; the next read starts from the same point", account, problem);
            }
            now = new LastRead(Instant.now(), problem);
        }
        lastRead.put(account, now);
        return now;
    }

    /** The account's last read here, or null before the first. */
    public LastRead lastRead(Account account) {
        return lastRead.get(account);
    }
}
