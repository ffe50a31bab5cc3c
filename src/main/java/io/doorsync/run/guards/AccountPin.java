package io.doorsync.run.guards;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.doorsync.Account;
import io.doorsync.doorflow.DoorFlowGateways;
import io.doorsync.doorflow.auth.AuthStatus;
import io.doorsync.doorflow.auth.DoorFlowAuth;
import io.doorsync.store.AccountStore;

/**
 * doorsync writes to one DoorFlow account: the one it first connected to. Connected to another (a different API
 * key or OAuth approval), every member would be created again there, so runs stop before any write until an
 * operator confirms the new account (POST /admin/api/account?accountId=...).
 */
@ApplicationScoped
public class AccountPin {

    private static final Logger LOG = Logger.getLogger(AccountPin.class);

    /** Connected to another account than the pinned one; the message says what to do. */
    public static class OtherAccountException extends RuntimeException {
        OtherAccountException(String message) {
            super(message);
        }
    }

    private final DoorFlowAuth auth;
    private final DoorFlowGateways doorflow;
    private final AccountStore accounts;

    AccountPin(DoorFlowAuth auth, DoorFlowGateways doorflow, AccountStore accounts) {
        this.auth = auth;
        this.doorflow = doorflow;
        this.accounts = accounts;
    }

    /**
     * The DoorFlow account that {@code account}'s credentials reach: OAuth's from token info, else
     * GET /api/3/account (once).
     */
    public String current(Account account) {
        AuthStatus status = Account.DEFAULT.equals(account) ? auth.status() : null; // the others: their gateway asks
        if (status != null && "oauth".equals(status.auth()) && status.accountId() != null) {
            return status.accountId();
        }
        return doorflow.of(account).accountId(); // asked once per gateway: a changed key is asked again
    }

    /**
     * Pins doorsync {@code account} to the DoorFlow account on the first connection; throws when connected to
     * another one. Returns the DoorFlow account.
     */
    public String verify(Account account) {
        String current = current(account);
        String pinned = accounts.pinnedAccount(account);
        if (pinned == null) {
            accounts.pinAccount(account, current, Instant.now());
            LOG.infof("pinned to DoorFlow account %s: doorsync writes to no other without an operator's confirmation",
                    current);
        } else if (!pinned.equals(current)) {
            throw new OtherAccountException("doorsync is connected to DoorFlow account " + current + ", but it syncs"
                    + " account " + pinned + "; writing to " + current + " would create every member again there."
                    + " Nothing was written. If the new account is right, confirm it: POST /admin/api/account?accountId="
                    + current);
        }
        return current;
    }

    /** An operator confirmed the account doorsync is connected to now. */
    public void confirm(Account account, String accountId) {
        accounts.pinAccount(account, accountId, Instant.now());
        LOG.warnf("an operator confirmed DoorFlow account %s: doorsync syncs it from now on", accountId);
    }
}
