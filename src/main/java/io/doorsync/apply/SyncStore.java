package io.doorsync.apply;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

import io.doorsync.plan.Link;
import io.doorsync.plan.Plan.Quarantine;

/**
 * doorsync's own schema: links, run history, the journal and quarantine. Each method is its own transaction,
 * so a change's outcome and its link are written together and one member's failure cannot roll back another's.
 */
@ApplicationScoped
public class SyncStore {

    /** What to do with a member's link when its change succeeded. */
    public sealed interface LinkUpdate {
        record Save(long personId, String hash, Set<Long> ownedGroups) implements LinkUpdate {
        }

        record Remove() implements LinkUpdate {
        }

        record Keep() implements LinkUpdate {
        }
    }

    public record JournalLine(String memberId, String teamId, String kind, String outcome, Long personId,
            String detail) {
    }

    @Transactional(TxType.REQUIRES_NEW)
    public long startRun(String trigger, Instant startedAt) {
        SyncRunEntity run = new SyncRunEntity();
        run.trigger = trigger;
        run.startedAt = startedAt;
        run.persist();
        return run.id;
    }

    @Transactional(TxType.REQUIRES_NEW)
    public void finishRun(long runId, RunReport report) {
        SyncRunEntity run = SyncRunEntity.findById(runId);
        run.finishedAt = report.finishedAt();
        run.outcome = report.outcome().label();
        run.planned = report.planned();
        run.applied = report.applied();
        run.failed = report.failed();
        run.unchanged = report.unchanged();
        run.quarantined = report.quarantined();
        run.message = report.message();
    }

    @Transactional(TxType.REQUIRES_NEW)
    public Map<String, Link> links() {
        Map<String, Link> links = new HashMap<>();
        PersonLinkEntity.<PersonLinkEntity>streamAll().forEach(l -> links.put(l.memberId,
                new Link(l.memberId, l.personId, l.appliedHash, Set.copyOf(Arrays.asList(l.appliedGroups)))));
        return links;
    }

    /** Journals one change's outcome and, when it succeeded, updates the member's link, in one transaction. */
    @Transactional(TxType.REQUIRES_NEW)
    public void recordOutcome(long runId, JournalLine line, LinkUpdate link) {
        Instant now = Instant.now();
        if (link instanceof LinkUpdate.Save save) {
            PersonLinkEntity entity = PersonLinkEntity.findById(line.memberId());
            if (entity == null) {
                entity = new PersonLinkEntity();
                entity.memberId = line.memberId();
                entity.linkedAt = now;
            }
            entity.personId = save.personId();
            entity.appliedHash = save.hash();
            entity.appliedGroups = save.ownedGroups().stream().sorted().toArray(Long[]::new);
            entity.updatedAt = now;
            entity.persist();
        } else if (link instanceof LinkUpdate.Remove) {
            PersonLinkEntity.deleteById(line.memberId());
        }
        journal(runId, line, now);
    }

    @Transactional(TxType.REQUIRES_NEW)
    public void journal(long runId, List<JournalLine> lines) {
        Instant now = Instant.now();
        lines.forEach(line -> journal(runId, line, now));
    }

    private static void journal(long runId, JournalLine line, Instant at) {
        JournalEntryEntity entry = new JournalEntryEntity();
        entry.runId = runId;
        entry.at = at;
        entry.memberId = line.memberId();
        entry.teamId = line.teamId();
        entry.kind = line.kind();
        entry.outcome = line.outcome();
        entry.personId = line.personId();
        entry.detail = line.detail();
        entry.persist();
    }

    /**
     * Makes the quarantine table hold exactly this run's quarantined members; returns those that are new or
     * whose reason changed (they are journaled and logged; the others were already reported).
     */
    @Transactional(TxType.REQUIRES_NEW)
    public List<Quarantine> replaceQuarantine(long runId, List<Quarantine> current, Instant now) {
        Map<String, QuarantineEntity> existing = QuarantineEntity.<QuarantineEntity>streamAll()
                .collect(Collectors.toMap(q -> q.memberId, q -> q));
        List<Quarantine> fresh = new ArrayList<>();
        for (Quarantine q : current) {
            QuarantineEntity entity = existing.remove(q.memberId());
            if (entity == null) {
                entity = new QuarantineEntity();
                entity.memberId = q.memberId();
                entity.since = now;
            }
            if (!q.reason().equals(entity.reason)) {
                fresh.add(q);
                entity.reason = q.reason();
                entity.since = now;
            }
            entity.lastSeen = now;
            entity.runId = runId;
            entity.persist();
        }
        existing.values().forEach(QuarantineEntity::delete);
        return fresh;
    }

    /** Push-to-doors state; a row the migration creates. */
    public record PushState(boolean pending, Instant notBefore) {
    }

    @Transactional(TxType.REQUIRES_NEW)
    public PushState pushState() {
        PushStateEntity row = PushStateEntity.findById((short) 1);
        return new PushState(row.pending, row.notBefore);
    }

    @Transactional(TxType.REQUIRES_NEW)
    public void savePushState(PushState state, long runId, JournalLine line) {
        PushStateEntity row = PushStateEntity.findById((short) 1);
        row.pending = state.pending();
        row.notBefore = state.notBefore();
        if (line != null) {
            journal(runId, line, Instant.now());
        }
    }

    // ---- reading the history back (admin API) ----

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

    @Transactional(TxType.REQUIRES_NEW)
    public List<JournalView> journalOf(long runId) {
        return JournalEntryEntity.<JournalEntryEntity>find("runId = ?1 order by id", runId).stream()
                .map(j -> new JournalView(j.at, j.memberId, j.teamId, j.kind, j.outcome, j.personId, j.detail)).toList();
    }

    @Transactional(TxType.REQUIRES_NEW)
    public List<QuarantineView> quarantine() {
        return QuarantineEntity.<QuarantineEntity>find("order by memberId").stream()
                .map(q -> new QuarantineView(q.memberId, q.reason, q.since, q.lastSeen)).toList();
    }

    /**
     * Releases a member from quarantine: the next run looks at it afresh (and, if the cause is still there,
     * quarantines it again and reports it once more). True when the member was quarantined.
     */
    @Transactional(TxType.REQUIRES_NEW)
    public boolean release(String memberId) {
        return QuarantineEntity.deleteById(memberId);
    }

    /** Deletes runs (and, by cascade, their journal) started before {@code before}; returns how many. */
    @Transactional(TxType.REQUIRES_NEW)
    public long pruneHistory(Instant before) {
        return SyncRunEntity.delete("startedAt < ?1", before);
    }

    /** When a run last ended in success (across replicas), or null. */
    @Transactional(TxType.REQUIRES_NEW)
    public Instant lastSuccessAt() {
        return SyncRunEntity.<SyncRunEntity>find("outcome = 'success' order by id desc").firstResultOptional()
                .map(r -> r.finishedAt).orElse(null);
    }

    /** The most recent finished run, or null. */
    @Transactional(TxType.REQUIRES_NEW)
    public RunView lastFinishedRun() {
        return SyncRunEntity.<SyncRunEntity>find("finishedAt is not null order by id desc").firstResultOptional()
                .map(RunView::of).orElse(null);
    }

    @Transactional(TxType.REQUIRES_NEW)
    public long linkedCount() {
        return PersonLinkEntity.count();
    }

    @Transactional(TxType.REQUIRES_NEW)
    public long quarantinedCount() {
        return QuarantineEntity.count();
    }
}
