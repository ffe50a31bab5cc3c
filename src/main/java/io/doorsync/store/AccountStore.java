package io.doorsync.store;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

import io.doorsync.Account;

/**
 * What there is one of per account (account_pin, push_state): the DoorFlow account it is pinned to, and the push
 * to doors it owes. Each method is its own transaction.
 */
@ApplicationScoped
public class AccountStore {

    /** For the pin, which has no entity. */
    private final EntityManager em;

    AccountStore(EntityManager em) {
        this.em = em;
    }

    /** The DoorFlow account this installation is pinned to, or null before its first connection. */
    @Transactional(TxType.REQUIRES_NEW)
    public String pinnedAccount() {
        List<?> rows = em
                .createNativeQuery("select account_id from account_pin where account = ?1")
                .setParameter(1, Account.DEFAULT.id()).getResultList();
        return rows.isEmpty() ? null : (String) rows.get(0);
    }

    /** Pins (or, confirmed by an operator, re-pins) the DoorFlow account. */
    @Transactional(TxType.REQUIRES_NEW)
    public void pinAccount(String accountId, Instant at) {
        em.createNativeQuery("insert into account_pin (account, account_id, pinned_at) values (?3, ?1, ?2)"
                + " on conflict (account) do update set account_id = excluded.account_id, pinned_at ="
                + " excluded.pinned_at").setParameter(1, accountId).setParameter(2, at)
                .setParameter(3, Account.DEFAULT.id()).executeUpdate();
    }

    /**
     * Push-to-doors state; a row the migration creates. {@code refused} says why DoorFlow last refused a push
     * for another reason than its rate limit (null once one succeeds).
     */
    public record PushState(boolean pending, Instant notBefore, String refused) {
    }

    @Transactional(TxType.REQUIRES_NEW)
    public PushState pushState() {
        PushStateEntity row = PushStateEntity.findById(Account.DEFAULT.id());
        return new PushState(row.pending, row.notBefore, row.refused);
    }

    /** Records, before a run's first write, that DoorFlow is owed a push: a failure after the writes loses none. */
    @Transactional(TxType.REQUIRES_NEW)
    public void owePush() {
        PushStateEntity row = PushStateEntity.findById(Account.DEFAULT.id());
        row.pending = true;
    }

    @Transactional(TxType.REQUIRES_NEW)
    public void savePushState(PushState state, long runId, JournalLine line) {
        PushStateEntity row = PushStateEntity.findById(Account.DEFAULT.id());
        row.pending = state.pending();
        row.notBefore = state.notBefore();
        row.refused = state.refused();
        if (line != null) {
            RunStore.journal(runId, line, Instant.now()); // in this transaction: the state and its line together
        }
    }
}
