package io.doorsync.run.triggers;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.doorsync.Account;
import io.doorsync.DoorsyncConfig;
import io.doorsync.run.SyncRunner;

/**
 * The runs of the accounts besides the installation's own: each on a small pool of its own
 * (doorsync.sync.accounts-at-once), so that one account's slow DoorFlow or long first sync never delays another's
 * tick, and each account queued at most once (a tick that finds it still queued or running adds nothing).
 */
@ApplicationScoped
public class AccountRuns {

    private static final Logger LOG = Logger.getLogger(AccountRuns.class);

    private final SyncRunner sync;
    private final Set<Account> queued = ConcurrentHashMap.newKeySet();
    // A plain fixed pool (not the managed executor): the work is a blocking sync run, bounded by the setting.
    private final ExecutorService pool;

    AccountRuns(SyncRunner sync, DoorsyncConfig config) {
        this.sync = sync;
        this.pool = Executors.newFixedThreadPool(Math.max(1, config.sync().accountsAtOnce()), r -> {
            Thread t = new Thread(r, "doorsync-account");
            t.setDaemon(true);
            return t;
        });
    }

    /** Queues a run of {@code account}, unless one is queued or running already. */
    void queue(Account account, String trigger) {
        if (!queued.add(account)) {
            return;
        }
        pool.submit(() -> {
            try {
                sync.runOnce(account, trigger, false);
            } catch (RuntimeException e) {
                LOG.errorf("sync run of account %s could not run: %s", account, e.getMessage());
            } finally {
                queued.remove(account);
            }
        });
    }

    @PreDestroy
    void shutdown() {
        pool.shutdownNow();
    }
}
