package io.doorsync.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.doorsync.Account;
import io.doorsync.plan.DriftMemory;

/**
 * Runs and their journal (sync_run, change_journal), each of one account, as a run writes them; each method is its
 * own transaction (a run is found by its id alone: ids are unique over accounts). A
 * run's change outcomes and the links they save are written together, in batches, by {@link OutcomeBatch}. The
 * admin API, the page, the member explanation and the freshness check read them back here too.
 */
@ApplicationScoped
public class RunStore {

    private static final String RUNS = "select id, trigger, outcome, started_at, finished_at, planned, applied, failed,"
            + " unchanged, quarantined, message from sync_run";
    private static final String JOURNAL = "select at, member_id, team_id, kind, outcome, person_id, detail from"
            + " change_journal";

    private final ObjectMapper json;
    private final DataSource dataSource;
    private final Sql sql;

    RunStore(ObjectMapper json, DataSource dataSource) {
        this.json = json;
        this.dataSource = dataSource;
        this.sql = new Sql(dataSource);
    }

    @Transactional(TxType.REQUIRES_NEW)
    public long startRun(Account account, String trigger, Instant startedAt) {
        return sql.first("insert into sync_run (account, trigger, started_at) values (?, ?, ?) returning id",
                rs -> rs.getLong(1), account.id(), trigger, startedAt);
    }

    /**
     * The account's last run recorded, by any replica, or null: an account's runs never overlap, so its highest id
     * is its latest.
     */
    @Transactional(TxType.REQUIRES_NEW)
    public Long latestRunId(Account account) {
        return sql.first("select max(id) from sync_run where account = ?", rs -> Sql.longOrNull(rs, "max"),
                account.id());
    }

    /** Records every run of the account without an end as ended now with {@code message}; returns how many. */
    @Transactional(TxType.REQUIRES_NEW)
    public int closeUnfinishedRuns(Account account, Instant now, String message) {
        return sql.update("update sync_run set finished_at = ?, outcome = 'interrupted', message = ? where account = ?"
                + " and finished_at is null", now, message, account.id());
    }

    @Transactional(TxType.REQUIRES_NEW)
    public void finishRun(long runId, Instant finishedAt, String outcome, RunTotals totals, String message,
            boolean complete) {
        sql.update("update sync_run set complete = ?, finished_at = ?, outcome = ?, planned = ?, applied = ?, failed = ?,"
                + " unchanged = ?, quarantined = ?, message = ? where id = ?", complete, finishedAt, outcome,
                totals.planned(), totals.applied(), totals.failed(), totals.unchanged(), totals.quarantined(), message,
                runId);
    }

    /** Where a run's change outcomes go: written in batches, see {@link OutcomeBatch}. */
    public OutcomeBatch outcomes(Account account, long runId) {
        return new OutcomeBatch(dataSource, account, runId, this::json);
    }

    private String json(Map<String, DriftMemory> drift) {
        try {
            return json.writeValueAsString(new TreeMap<>(drift));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("drift memory could not be written as JSON", e);
        }
    }

    @Transactional(TxType.REQUIRES_NEW)
    public void journal(Account account, long runId, List<JournalLine> lines) {
        Instant now = Instant.now();
        lines.forEach(line -> journal(sql, account, runId, line, now));
    }

    /** One journal line, in the caller's transaction. */
    static void journal(Sql sql, Account account, long runId, JournalLine line, Instant at) {
        sql.update("insert into change_journal (account, run_id, at, member_id, team_id, kind, outcome, person_id,"
                + " detail) values (?, ?, ?, ?, ?, ?, ?, ?, ?)", account.id(), runId, at, line.memberId(),
                line.teamId(), line.kind(), line.outcome().label(), line.personId(), line.detail());
    }

    /** Deletes runs of every account (and, by cascade, their journal) started before {@code before}; how many. */
    @Transactional(TxType.REQUIRES_NEW)
    public long pruneHistory(Instant before) {
        return sql.update("delete from sync_run where started_at < ?", before);
    }

    // ---- read back, for the admin API, the page, the explanation and the health checks ----

    public record RunView(long id, String trigger, String outcome, Instant startedAt, Instant finishedAt, int planned,
            int applied, int failed, int unchanged, int quarantined, String message) {
        static RunView of(ResultSet r) throws SQLException {
            String outcome = r.getString("outcome");
            return new RunView(r.getLong("id"), r.getString("trigger"), outcome == null ? "running" : outcome,
                    Sql.instant(r, "started_at"), Sql.instant(r, "finished_at"), r.getInt("planned"),
                    r.getInt("applied"), r.getInt("failed"), r.getInt("unchanged"), r.getInt("quarantined"),
                    r.getString("message"));
        }
    }

    public record JournalView(Instant at, String memberId, String teamId, String kind, String outcome, Long personId,
            String detail) {
    }

    public record RunsPage(List<RunView> items, long total) {
    }

    /** The account's runs, newest first: page {@code page} (from 0) of {@code size}, and how many in all. */
    @Transactional(TxType.REQUIRES_NEW)
    public RunsPage runs(Account account, int page, int size) {
        return new RunsPage(sql.list(RUNS + " where account = ? order by id desc limit ? offset ?", RunView::of,
                account.id(), size, (long) page * size), sql.count("select count(*) from sync_run where account = ?",
                        account.id()));
    }

    /** The account's run {@code id}, or null (also when the run is another account's). */
    @Transactional(TxType.REQUIRES_NEW)
    public RunView run(Account account, long id) {
        return sql.first(RUNS + " where account = ? and id = ?", RunView::of, account.id(), id);
    }

    /** One page of a run's journal, in order, and how many lines it has in all. */
    public record JournalPage(List<JournalView> items, int page, int size, long total) {
        public boolean hasNext() {
            return (long) (page + 1) * size < total;
        }

        /** The first line of this page, counted from 1 (for "lines 201–400 of 450"). */
        public long from() {
            return items.isEmpty() ? 0 : (long) page * size + 1;
        }

        public long to() {
            return (long) page * size + items.size();
        }
    }

    /**
     * Page {@code page} (from 0) of a run's journal, {@code size} lines: a first sync of 100,000 members journals
     * twice as many lines, never read whole.
     */
    @Transactional(TxType.REQUIRES_NEW)
    public JournalPage journalOf(long runId, int page, int size) {
        List<JournalView> items = sql.list(JOURNAL + " where run_id = ? order by id limit ? offset ?", RunStore::view,
                runId, size, (long) page * size);
        return new JournalPage(items, page, size, sql.count("select count(*) from change_journal where run_id = ?",
                runId));
    }

    /** A member's latest journal lines in the account, newest first. */
    @Transactional(TxType.REQUIRES_NEW)
    public List<JournalView> journalOfMember(Account account, String memberId, int limit) {
        return sql.list(JOURNAL + " where account = ? and member_id = ? order by id desc limit ?", RunStore::view,
                account.id(), memberId, limit);
    }

    private static JournalView view(ResultSet j) throws SQLException {
        return new JournalView(Sql.instant(j, "at"), j.getString("member_id"), j.getString("team_id"),
                j.getString("kind"), j.getString("outcome"), Sql.longOrNull(j, "person_id"), j.getString("detail"));
    }

    /**
     * When a run last ended complete (across replicas), or null: every change that could be applied was, and the
     * push went out; only changes DoorFlow refused for their member may have failed.
     */
    @Transactional(TxType.REQUIRES_NEW)
    public Instant lastSuccessAt(Account account) {
        return sql.first("select finished_at from sync_run where account = ? and complete order by id desc limit 1",
                rs -> Sql.instant(rs, "finished_at"), account.id());
    }

    /** The account's most recent finished run, or null. */
    @Transactional(TxType.REQUIRES_NEW)
    public RunView lastFinishedRun(Account account) {
        return sql.first(RUNS + " where account = ? and finished_at is not null order by id desc limit 1",
                RunView::of, account.id());
    }
}
