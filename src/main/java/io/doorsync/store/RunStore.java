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
 * admin API reads the same tables through RunHistory.
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
}
