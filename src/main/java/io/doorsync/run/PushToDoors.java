package io.doorsync.run;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.doorsync.Account;
import io.doorsync.DoorsyncConfig;
import io.doorsync.doorflow.DoorFlowException;
import io.doorsync.doorflow.DoorFlowGateways;
import io.doorsync.doorflow.DoorFlowRateLimitedException;
import io.doorsync.store.JournalLine;
import io.doorsync.store.JournalOutcome;
import io.doorsync.store.AccountStore;

/** The push to door controllers after a run (POST /api/3/sync), owed until DoorFlow accepts it. */
@ApplicationScoped
class PushToDoors {

    private static final Logger LOG = Logger.getLogger(PushToDoors.class);

    private final DoorsyncConfig config;
    private final DoorFlowGateways doorflow;
    private final AccountStore accounts;
    private final RunMetrics metrics;

    PushToDoors(DoorsyncConfig config, DoorFlowGateways doorflow, AccountStore accounts, RunMetrics metrics) {
        this.config = config;
        this.doorflow = doorflow;
        this.accounts = accounts;
        this.metrics = metrics;
    }

    /**
     * A held run's push of what earlier runs applied (it writes nothing of its own). Its failure is logged and
     * the push stays owed: the run stays held, whatever happened to the push.
     */
    void owedByEarlierRuns(Account account, long runId) {
        try {
            afterRun(account, runId, false);
        } catch (RuntimeException e) {
            LOG.warnf("sync run %d is held; the push to doors earlier runs owe failed and stays owed: %s", runId,
                    e.getMessage());
        }
    }

    /**
     * Asks DoorFlow to push to door controllers when a change was made (now or in a run whose push was
     * refused). DoorFlow rate-limits /sync; a 429's retry_in is kept in the database and honoured by later
     * runs, so waiting never holds up a tick. Whether nothing is owed to the doors any more.
     */
    boolean afterRun(Account account, long runId, boolean changedDoorFlow) {
        if (!config.sync().pushToDoors()) {
            return true;
        }
        AccountStore.PushState state = accounts.pushState(account);
        boolean pending = state.pending() || changedDoorFlow;
        Instant now = Instant.now();
        if (!pending) {
            return true;
        }
        if (state.notBefore() != null && now.isBefore(state.notBefore())) {
            accounts.savePushState(account, new AccountStore.PushState(true, state.notBefore(), state.refused()), runId, null);
            return false;
        }
        try {
            doorflow.of(account).pushToDoors();
            accounts.savePushState(account, new AccountStore.PushState(false, null, null), runId, JournalLine.ofRun("push",
                    JournalOutcome.APPLIED, "asked DoorFlow to push changes to door controllers"));
            return true;
        } catch (DoorFlowException e) {
            if (e instanceof DoorFlowRateLimitedException limited) {
                Instant retryAt = now.plus(limited.retryAfter());
                accounts.savePushState(account, new AccountStore.PushState(true, retryAt, state.refused()), runId,
                        JournalLine.ofRun("push", JournalOutcome.DEFERRED, "DoorFlow rate-limited the push; it is retried after "
                                + retryAt));
                return false;
            }
            String refused = "DoorFlow refused the push to doors (" + e.getMessage() + ")" + (e.status() == 403
                    ? ": the account.sync scope is probably not granted; reconnect on /admin and grant it" : "");
            LOG.warnf("account %s: %s; it stays owed and is tried again next run", account, refused);
            metrics.pushFailed(account, e.status());
            accounts.savePushState(account, new AccountStore.PushState(true, null, refused), runId, JournalLine.ofRun("push",
                    JournalOutcome.FAILED, refused));
            return false;
        }
    }
}
