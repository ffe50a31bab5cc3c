package io.doorsync.history;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

import io.doorsync.store.JournalEntryEntity;
import io.doorsync.store.QuarantineEntity;
import io.doorsync.store.SyncRunEntity;

/** The run history, journal and quarantine read back for the admin API and the health checks; never written here. */
@ApplicationScoped
public class RunHistory {

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

    public record QuarantineView(String memberId, String reason, Instant since, Instant lastSeen) {
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
                .page(Math.min(page, Integer.MAX_VALUE / size - 1), size).stream().map(RunHistory::view).toList();
        return new JournalPage(items, page, size, JournalEntryEntity.count("runId", runId));
    }

    /** A member's latest journal lines, newest first. */
    @Transactional(TxType.REQUIRES_NEW)
    public List<JournalView> journalOfMember(String memberId, int limit) {
        return JournalEntryEntity.<JournalEntryEntity>find("memberId = ?1 order by id desc", memberId).page(0, limit)
                .stream().map(RunHistory::view).toList();
    }

    private static JournalView view(JournalEntryEntity j) {
        return new JournalView(j.at, j.memberId, j.teamId, j.kind, j.outcome, j.personId, j.detail);
    }

    /** Why the member is quarantined, or null when it is not. */
    @Transactional(TxType.REQUIRES_NEW)
    public String quarantineReason(String memberId) {
        QuarantineEntity q = QuarantineEntity.findById(memberId);
        return q == null ? null : q.reason;
    }

    /** Page {@code page} (from 0) of the members in quarantine, {@code size} of them, by id. */
    @Transactional(TxType.REQUIRES_NEW)
    public List<QuarantineView> quarantine(int page, int size) {
        return QuarantineEntity.<QuarantineEntity>find("order by memberId").page(page, size).stream()
                .map(q -> new QuarantineView(q.memberId, q.reason, q.since, q.lastSeen)).toList();
    }

    @Transactional(TxType.REQUIRES_NEW)
    public long quarantinedCount() {
        return QuarantineEntity.count();
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
