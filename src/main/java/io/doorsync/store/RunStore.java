package io.doorsync.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.doorsync.plan.DriftMemory;

/**
 * Runs and their journal (sync_run, change_journal) as a run writes them; each method is its own transaction. A
 * run's change outcomes and the links they save are written together, in batches, by {@link OutcomeBatch}. The
 * admin API, the page, the member explanation and the freshness check read them back here too.
 */
@ApplicationScoped
public class RunStore {

    private final ObjectMapper json;
    private final EntityManager em;
    private final DataSource dataSource;

    RunStore(ObjectMapper json, EntityManager em, DataSource dataSource) {
        this.json = json;
        this.em = em;
        this.dataSource = dataSource;
    }

    @Transactional(TxType.REQUIRES_NEW)
    public long startRun(String trigger, Instant startedAt) {
        SyncRunEntity run = new SyncRunEntity();
        run.trigger = trigger;
        run.startedAt = startedAt;
        run.persist();
        return run.id;
    }

    /** The last run recorded, by any replica, or null: runs never overlap, so the highest id is the latest. */
    @Transactional(TxType.REQUIRES_NEW)
    public Long latestRunId() {
        return em.createQuery("select max(r.id) from SyncRunEntity r", Long.class).getSingleResult();
    }

    /** Records every run without an end as ended now with {@code message}; returns how many there were. */
    @Transactional(TxType.REQUIRES_NEW)
    public int closeUnfinishedRuns(Instant now, String message) {
        return SyncRunEntity.update("finishedAt = ?1, outcome = 'interrupted', message = ?2 where finishedAt is null",
                now, message);
    }

    @Transactional(TxType.REQUIRES_NEW)
    public void finishRun(long runId, Instant finishedAt, String outcome, RunTotals totals, String message,
            boolean complete) {
        SyncRunEntity run = SyncRunEntity.findById(runId);
        run.complete = complete;
        run.finishedAt = finishedAt;
        run.outcome = outcome;
        run.planned = totals.planned();
        run.applied = totals.applied();
        run.failed = totals.failed();
        run.unchanged = totals.unchanged();
        run.quarantined = totals.quarantined();
        run.message = message;
    }

    /** Where a run's change outcomes go: written in batches, see {@link OutcomeBatch}. */
    public OutcomeBatch outcomes(long runId) {
        return new OutcomeBatch(dataSource, runId, this::json);
    }

    private String json(Map<String, DriftMemory> drift) {
        try {
            return json.writeValueAsString(new TreeMap<>(drift));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("drift memory could not be written as JSON", e);
        }
    }

    @Transactional(TxType.REQUIRES_NEW)
    public void journal(long runId, List<JournalLine> lines) {
        Instant now = Instant.now();
        lines.forEach(line -> journal(runId, line, now));
    }

    static void journal(long runId, JournalLine line, Instant at) {
        JournalEntryEntity entry = new JournalEntryEntity();
        entry.runId = runId;
        entry.at = at;
        entry.memberId = line.memberId();
        entry.teamId = line.teamId();
        entry.kind = line.kind();
        entry.outcome = line.outcome().label();
        entry.personId = line.personId();
        entry.detail = line.detail();
        entry.persist();
    }

    /** Deletes runs (and, by cascade, their journal) started before {@code before}; returns how many. */
    @Transactional(TxType.REQUIRES_NEW)
    public long pruneHistory(Instant before) {
        return SyncRunEntity.delete("startedAt < ?1", before);
    }

    // ---- read back, for the admin API, the page, the explanation and the health checks ----


    public record RunView(long id, String trigger, String outcome, Instant startedAt, Instant finishedAt, int planned,
            int applied, int failed, int unchanged, int quarantined, String message) {
        static RunView of(SyncRunEntity r) {
            return new RunView(r.id, r.trigger, r.outcome == null ? "running" : r.outcome, r.startedAt, r.finishedAt,
                    r.planned, r.applied, r.failed, r.unchanged, r.quarantined, r.message);
        }
    }

    public record JournalView(Instant at, String memberId, String teamId, String kind, String outcome, Long personId,
            String detail) {
    }

    public record RunsPage(List<RunView> items, long total) {
    }

    /** Runs, newest first: page {@code page} (from 0) of {@code size}, and how many there are in all. */
    @Transactional(TxType.REQUIRES_NEW)
    public RunsPage runs(int page, int size) {
        List<RunView> items = SyncRunEntity.<SyncRunEntity>find("order by id desc").page(page, size).list().stream()
                .map(RunView::of).toList();
        return new RunsPage(items, SyncRunEntity.count());
    }

    @Transactional(TxType.REQUIRES_NEW)
    public RunView run(long id) {
        SyncRunEntity r = SyncRunEntity.findById(id);
        return r == null ? null : RunView.of(r);
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
        List<JournalView> items = JournalEntryEntity.<JournalEntryEntity>find("runId = ?1 order by id", runId)
                .page(Math.min(page, Integer.MAX_VALUE / size - 1), size).stream().map(RunStore::view).toList();
        return new JournalPage(items, page, size, JournalEntryEntity.count("runId", runId));
    }

    /** A member's latest journal lines, newest first. */
    @Transactional(TxType.REQUIRES_NEW)
    public List<JournalView> journalOfMember(String memberId, int limit) {
        return JournalEntryEntity.<JournalEntryEntity>find("memberId = ?1 order by id desc", memberId).page(0, limit)
                .stream().map(RunStore::view).toList();
    }

    private static JournalView view(JournalEntryEntity j) {
        return new JournalView(j.at, j.memberId, j.teamId, j.kind, j.outcome, j.personId, j.detail);
    }

    /**
     * When a run last ended complete (across replicas), or null: every change that could be applied was, and the
     * push went out; only changes DoorFlow refused for their member may have failed.
     */
    @Transactional(TxType.REQUIRES_NEW)
    public Instant lastSuccessAt() {
        return SyncRunEntity.<SyncRunEntity>find("complete = true order by id desc").firstResultOptional()
                .map(r -> r.finishedAt).orElse(null);
    }

    /** The most recent finished run, or null. */
    @Transactional(TxType.REQUIRES_NEW)
    public RunView lastFinishedRun() {
        return SyncRunEntity.<SyncRunEntity>find("finishedAt is not null order by id desc").firstResultOptional()
                .map(RunView::of).orElse(null);
    }
}
