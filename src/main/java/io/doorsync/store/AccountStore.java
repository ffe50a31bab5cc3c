package io.doorsync.store;

import java.time.Instant;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

import io.doorsync.Account;

/**
 * What there is one of per account (account_pin, push_state): the DoorFlow account it is pinned to, and the push
 * to doors it owes. Each method is its own transaction.
 */
@ApplicationScoped
public class AccountStore {

    private static final String ACCOUNT = Account.DEFAULT.id();

    private final Sql sql;

    AccountStore(DataSource dataSource) {
        this.sql = new Sql(dataSource);
    }

    /** The DoorFlow account this installation is pinned to, or null before its first connection. */
    @Transactional(TxType.REQUIRES_NEW)
    public String pinnedAccount() {
        return sql.first("select account_id from account_pin where account = ?", rs -> rs.getString(1), ACCOUNT);
    }

    /** Pins (or, confirmed by an operator, re-pins) the DoorFlow account. */
    @Transactional(TxType.REQUIRES_NEW)
    public void pinAccount(String accountId, Instant at) {
        sql.update("insert into account_pin (account, account_id, pinned_at) values (?, ?, ?) on conflict (account) do"
                + " update set account_id = excluded.account_id, pinned_at = excluded.pinned_at", ACCOUNT, accountId,
                at);
    }

    /**
     * Push-to-doors state; a row the migration creates. {@code refused} says why DoorFlow last refused a push
     * for another reason than its rate limit (null once one succeeds).
     */
    public record PushState(boolean pending, Instant notBefore, String refused) {
    }

    @Transactional(TxType.REQUIRES_NEW)
    public PushState pushState() {
        return sql.first("select pending, not_before, refused from push_state where account = ?",
                rs -> new PushState(rs.getBoolean("pending"), Sql.instant(rs, "not_before"), rs.getString("refused")),
                ACCOUNT);
    }

    /** Records, before a run's first write, that DoorFlow is owed a push: a failure after the writes loses none. */
    @Transactional(TxType.REQUIRES_NEW)
    public void owePush() {
        sql.update("update push_state set pending = true where account = ?", ACCOUNT);
    }

    /** The push state and, when given, its journal line, in one transaction. */
    @Transactional(TxType.REQUIRES_NEW)
    public void savePushState(PushState state, long runId, JournalLine line) {
        sql.update("update push_state set pending = ?, not_before = ?, refused = ? where account = ?", state.pending(),
                state.notBefore(), state.refused(), ACCOUNT);
        if (line != null) {
            RunStore.journal(sql, runId, line, Instant.now());
        }
    }
}
