package io.doorsync.store;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

import io.doorsync.Account;

/**
 * The accounts themselves (account), and what there is one of per account (account_pin, push_state): the DoorFlow
 * account it is pinned to, and the push to doors it owes. Each method is its own transaction.
 */
@ApplicationScoped
public class AccountStore {

    private final Sql sql;

    AccountStore(DataSource dataSource) {
        this.sql = new Sql(dataSource);
    }

    /**
     * One account as stored: where it came from ({@code installation}, {@code settings} or {@code api}), its CRM
     * schema and its encrypted API key (both null for the installation's own), whether it is paused, and when it
     * was removed (null: it was not).
     */
    public record AccountRow(Account account, String source, String crmSchema, byte[] apiKey, boolean paused,
            Instant removedAt) {
        @Override
        public String toString() {
            return "AccountRow[" + account + ", " + source + (paused ? ", paused" : "")
                    + (removedAt != null ? ", removed" : "") + "]";
        }
    }

    /** Every account, removed ones too, by id. */
    @Transactional(TxType.REQUIRES_NEW)
    public List<AccountRow> accounts() {
        return sql.list("select id, source, crm_schema, doorflow_api_key, paused, removed_at from account order by id",
                rs -> new AccountRow(new Account(rs.getString(1)), rs.getString(2), rs.getString(3), rs.getBytes(4),
                        rs.getBoolean(5), Sql.instant(rs, "removed_at")));
    }

    /**
     * One account at a glance, for the admin page and API: as stored (never its key), the DoorFlow account it is
     * pinned to, its last finished run, when a run last ended complete, when its first run (kept) started, and
     * how many members it holds back.
     */
    public record AccountOverview(Account account, String source, String crmSchema, boolean hasApiKey, boolean paused,
            Instant removedAt, String doorflowAccount, RunStore.RunView lastRun, Instant lastSuccessAt,
            Instant firstRunAt, long quarantined) {
    }

    /** Every account at a glance, by id: one query, however many accounts there are. */
    @Transactional(TxType.REQUIRES_NEW)
    public List<AccountOverview> overview() {
        return sql.list("select a.id as account, a.source, a.crm_schema, a.doorflow_api_key is not null as has_key,"
                + " a.paused, a.removed_at, p.account_id as pin,"
                + " r.*, (select finished_at from sync_run s where s.account = a.id and s.complete order by"
                + " s.started_at desc limit 1) as last_success,"
                + " (select min(started_at) from sync_run s where s.account = a.id) as first_run,"
                + " (select count(*) from quarantine q where q.account = a.id) as held_back"
                + " from account a left join account_pin p on p.account = a.id left join lateral (select id, trigger,"
                + " outcome, started_at, finished_at, planned, applied, failed, unchanged, quarantined, message from"
                + " sync_run where account = a.id and finished_at is not null order by started_at desc limit 1) r on"
                + " true order by a.id",
                rs -> new AccountOverview(new Account(rs.getString("account")), rs.getString("source"),
                        rs.getString("crm_schema"), rs.getBoolean("has_key"), rs.getBoolean("paused"), Sql.instant(rs, "removed_at"),
                        rs.getString("pin"), Sql.longOrNull(rs, "id") == null ? null : RunStore.RunView.of(rs),
                        Sql.instant(rs, "last_success"), Sql.instant(rs, "first_run"), rs.getLong("held_back")));
    }

    /** Adds the account, or declares it again (a removed one comes back): its source, schema, key and pause. */
    @Transactional(TxType.REQUIRES_NEW)
    public void declare(Account account, String source, String crmSchema, byte[] apiKey, boolean paused) {
        sql.update("insert into account (id, source, crm_schema, doorflow_api_key, paused) values (?, ?, ?, ?, ?) on"
                + " conflict (id) do update set source = excluded.source, crm_schema = excluded.crm_schema,"
                + " doorflow_api_key = excluded.doorflow_api_key, paused = excluded.paused, removed_at = null",
                account.id(), source, crmSchema, apiKey, paused);
    }

    /** Whether the account is there (removed ones too). */
    @Transactional(TxType.REQUIRES_NEW)
    public boolean exists(Account account) {
        return sql.count("select count(*) from account where id = ?", account.id()) > 0;
    }

    /** Whether the account is there and neither paused nor removed, as the table says now. */
    @Transactional(TxType.REQUIRES_NEW)
    public boolean active(Account account) {
        return sql.count("select count(*) from account where id = ? and not paused and removed_at is null",
                account.id()) > 0;
    }

    /** Pauses or resumes an account that is not removed; whether there was one. */
    @Transactional(TxType.REQUIRES_NEW)
    public boolean setPaused(Account account, boolean paused) {
        return sql.update("update account set paused = ? where id = ? and removed_at is null", paused,
                account.id()) > 0;
    }

    /** Removes an account: no longer synced, its API key forgotten, its rows kept; whether there was one. */
    @Transactional(TxType.REQUIRES_NEW)
    public boolean remove(Account account, Instant at) {
        return sql.update("update account set removed_at = ?, doorflow_api_key = null where id = ? and removed_at is"
                + " null and source <> 'installation'", at, account.id()) > 0;
    }

    /** Replica {@code name} is alive now (the replica table). */
    @Transactional(TxType.REQUIRES_NEW)
    public void replicaSeen(String name, Instant at) {
        sql.update("insert into replica (name, seen_at) values (?, ?) on conflict (name) do update set seen_at ="
                + " excluded.seen_at", name, at);
    }

    /** Replica {@code name} stopped: not counted any more, at once. */
    @Transactional(TxType.REQUIRES_NEW)
    public void replicaGone(String name) {
        sql.update("delete from replica where name = ?", name);
    }

    /** How many replicas were seen within {@code fresh}; stale rows (replicas long dead) are forgotten. */
    @Transactional(TxType.REQUIRES_NEW)
    public int liveReplicas(java.time.Duration fresh) {
        Instant now = Instant.now();
        sql.update("delete from replica where seen_at < ?", now.minus(fresh.multipliedBy(100)));
        return (int) sql.count("select count(*) from replica where seen_at > ?", now.minus(fresh));
    }

    /** The instances of db-scheduler task {@code task} that have an execution (held or waiting). */
    @Transactional(TxType.REQUIRES_NEW)
    public java.util.Set<String> executions(String task) {
        return new java.util.HashSet<>(sql.list("select task_instance from scheduled_tasks where task_name = ?",
                rs -> rs.getString(1), task));
    }

    /** Whether replica {@code by} still holds this execution, as it picked it ({@code version}): not taken over. */
    @Transactional(TxType.REQUIRES_NEW)
    public boolean stillHeld(String task, String instance, String by, long version) {
        return sql.count("select count(*) from scheduled_tasks where task_name = ? and task_instance = ? and picked"
                + " and picked_by = ? and version = ?", task, instance, by, version) > 0;
    }

    /** The DoorFlow account this installation is pinned to, or null before its first connection. */
    @Transactional(TxType.REQUIRES_NEW)
    public String pinnedAccount(Account account) {
        return sql.first("select account_id from account_pin where account = ?", rs -> rs.getString(1), account.id());
    }

    /** Pins (or, confirmed by an operator, re-pins) the DoorFlow account. */
    @Transactional(TxType.REQUIRES_NEW)
    public void pinAccount(Account account, String accountId, Instant at) {
        sql.update("insert into account_pin (account, account_id, pinned_at) values (?, ?, ?) on conflict (account) do"
                + " update set account_id = excluded.account_id, pinned_at = excluded.pinned_at", account.id(),
                accountId, at);
    }

    /**
     * Push-to-doors state (nothing owed until a run first writes). {@code refused} says why DoorFlow last refused a push
     * for another reason than its rate limit (null once one succeeds).
     */
    public record PushState(boolean pending, Instant notBefore, String refused) {
    }

    @Transactional(TxType.REQUIRES_NEW)
    public PushState pushState(Account account) {
        PushState state = sql.first("select pending, not_before, refused from push_state where account = ?",
                rs -> new PushState(rs.getBoolean("pending"), Sql.instant(rs, "not_before"), rs.getString("refused")),
                account.id());
        return state != null ? state : new PushState(false, null, null);
    }

    /** Records, before a run's first write, that DoorFlow is owed a push: a failure after the writes loses none. */
    @Transactional(TxType.REQUIRES_NEW)
    public void owePush(Account account) {
        sql.update("insert into push_state (account, pending) values (?, true) on conflict (account) do update set"
                + " pending = true", account.id());
    }

    /** The push state and, when given, its journal line, in one transaction. */
    @Transactional(TxType.REQUIRES_NEW)
    public void savePushState(Account account, PushState state, long runId, JournalLine line) {
        sql.update("insert into push_state (account, pending, not_before, refused) values (?, ?, ?, ?) on conflict"
                + " (account) do update set pending = excluded.pending, not_before = excluded.not_before, refused ="
                + " excluded.refused", account.id(), state.pending(), state.notBefore(), state.refused());
        if (line != null) {
            RunStore.journal(sql, account, runId, line, Instant.now());
        }
    }
}
