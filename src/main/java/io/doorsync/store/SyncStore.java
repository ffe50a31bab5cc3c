package io.doorsync.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.doorsync.Account;
import io.doorsync.plan.DriftMemory;
import io.doorsync.plan.Link;
import io.doorsync.plan.PhotoPlanner;
import io.doorsync.plan.Plan;
import io.doorsync.plan.Plan.Quarantine;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * doorsync's own schema as a run writes it: links, runs, the journal, quarantine and the push-to-doors state.
 * Each method is its own transaction; a run's change outcomes and the links they save are written together
 * in batches by {@link OutcomeBatch}. The admin API reads the same tables through RunHistory.
 */
@ApplicationScoped
@RegisterForReflection(targets = DriftMemory.class) // read and written as JSON
public class SyncStore {

    private final ObjectMapper json;
    /** For the small tables without an entity (approvals, stamps in flight, the account pin). */
    private final EntityManager em;
    private final DataSource dataSource;

    SyncStore(ObjectMapper json, EntityManager em, DataSource dataSource) {
        this.json = json;
        this.em = em;
        this.dataSource = dataSource;
    }

    /** What to do with a member's link when its change succeeded. */
    public sealed interface LinkUpdate {
        record Save(long personId, String hash, Set<Long> ownedGroups, Map<String, DriftMemory> drift)
                implements LinkUpdate {
            /** A save that forgets any drift remembered (the CRM asked for this change). */
            public Save(long personId, String hash, Set<Long> ownedGroups) {
                this(personId, hash, ownedGroups, Map.of());
            }
        }

        record Remove() implements LinkUpdate {
        }

        record Keep() implements LinkUpdate {
        }
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

    /** What doorsync last did with each linked member's photo (members it never set one for are absent). */
    public Map<String, PhotoPlanner.Applied> appliedPhotos() {
        return appliedPhotos(null);
    }

    /** The same, for these members only (null: everyone). */
    public Map<String, PhotoPlanner.Applied> appliedPhotos(List<String> memberIds) {
        Map<String, PhotoPlanner.Applied> applied = new HashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("select member_id,"
                + " photo_person, photo_key, photo_rejected from person_link where photo_key is not null"
                + (memberIds == null ? "" : " and member_id = any(?)"))) {
            if (memberIds != null) {
                ps.setArray(1, c.createArrayOf("text", memberIds.toArray()));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    applied.put(rs.getString(1), new PhotoPlanner.Applied(rs.getLong(2), rs.getString(3),
                            rs.getBoolean(4)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("doorsync's photo records could not be read: " + e.getMessage(), e);
        }
        return applied;
    }

    /**
     * Remembers the version ({@code version}, an SQL expression over the CRM's member_photos row {@code p}) of each
     * stored photo whose bytes are those doorsync last applied (or rejected): later runs take its key from here
     * instead of hashing it again. Hashes only the photos whose version is not remembered yet, once each.
     */
    public void rememberPhotoVersions(String crmSchema, String version) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("update person_link l set photo_version = " + version + " from " + crmSchema
                    + ".member_photos p where p.member_id::text = l.member_id and p.image is not null and case when"
                    + " l.photo_version is distinct from " + version + " then l.photo_key = 'sha256:' ||"
                    + " encode(sha256(p.image), 'hex') else false end");
        } catch (SQLException e) {
            throw new IllegalStateException("doorsync could not remember its applied photos: " + e.getMessage(), e);
        }
    }

    /** Records what was done with a member's photo; null: the person has no photo from doorsync (any more). */
    public void photoApplied(String memberId, PhotoPlanner.Applied applied) {
        // The version is remembered again, from the CRM row, by the run's rememberPhotoVersions.
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("update person_link"
                + " set photo_person = ?, photo_key = ?, photo_rejected = ?, photo_version = null where"
                + " member_id = ?")) {
            ps.setObject(1, applied == null ? null : applied.personId(), java.sql.Types.BIGINT);
            ps.setString(2, applied == null ? null : applied.key());
            ps.setBoolean(3, applied != null && applied.rejected());
            ps.setString(4, memberId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("the photo of member " + memberId + " could not be recorded: "
                    + e.getMessage(), e);
        }
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

    private static void journal(long runId, JournalLine line, Instant at) {
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

    /**
     * Makes the quarantine table hold exactly this run's quarantined members (of {@code scope}, for a run that
     * planned only those; null for everyone); returns those that are new or whose reason changed (they are
     * journaled and logged; the others were already reported).
     */
    @Transactional(TxType.REQUIRES_NEW)
    public List<Quarantine> replaceQuarantine(long runId, List<Quarantine> current, Instant now, Set<String> scope) {
        Map<String, QuarantineEntity> existing = QuarantineEntity.<QuarantineEntity>streamAll()
                .filter(q -> scope == null || scope.contains(q.memberId))
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
     * Records, before the write that stamps it (the POST of a creation, the PUT of an adoption), that this
     * installation stamps a DoorFlow person with the member's system_id: committed on its own, once per create, on
     * a first sync's hot path: plain JDBC on an autocommit connection, without a JTA
     * transaction and a Hibernate query each.
     */
    public void stampStarted(String memberId, Instant at) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("insert into"
                + " stamp_in_flight (member_id, started_at) values (?, ?) on conflict (account, member_id) do"
                + " update set started_at = excluded.started_at")) {
            ps.setString(1, memberId);
            ps.setObject(2, at.atOffset(java.time.ZoneOffset.UTC));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("the stamping of member " + memberId + "'s DoorFlow person could not be"
                    + " recorded, so it was not sent: " + e.getMessage(), e);
        }
    }

    /** DoorFlow refused the stamping write outright (a 4xx: not applied), so nothing carries the stamp. */
    public void stampAbandoned(String memberId) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("delete from"
                + " stamp_in_flight where member_id = ?")) {
            ps.setString(1, memberId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("the refused stamping of member " + memberId + "'s DoorFlow person could"
                    + " not be recorded: " + e.getMessage(), e);
        }
    }

    /** Members whose DoorFlow person this installation started to stamp (create or adopt) and has not linked yet. */
    @Transactional(TxType.REQUIRES_NEW)
    @SuppressWarnings("unchecked")
    public Set<String> stampsInFlight() {
        return Set.copyOf(em.createNativeQuery("select member_id from stamp_in_flight").getResultList());
    }

    /** Adoptions operators approved: member id → the DoorFlow person it may take over. */
    @Transactional(TxType.REQUIRES_NEW)
    @SuppressWarnings("unchecked")
    public Map<String, Long> approvedAdoptions() {
        Map<String, Long> approved = new HashMap<>();
        List<Object[]> rows = em
                .createNativeQuery("select member_id, person_id from adoption_approval").getResultList();
        rows.forEach(r -> approved.put((String) r[0], ((Number) r[1]).longValue()));
        return approved;
    }

    /**
     * Records an operator's approval that {@code memberId} may adopt DoorFlow person {@code personId}, if the member
     * is quarantined waiting to adopt exactly that person (the API and the page both ask this); whether it was.
     */
    @Transactional(TxType.REQUIRES_NEW)
    public boolean approveWaitingAdoption(String memberId, long personId, Instant at) {
        QuarantineEntity waiting = memberId == null ? null : QuarantineEntity.findById(memberId);
        if (waiting == null || !Plan.Quarantine.awaitsAdoptionOf(waiting.reason, personId)) {
            return false;
        }
        approveAdoption(memberId, personId, at);
        return true;
    }

    /** Records an operator's approval that {@code memberId} may adopt DoorFlow person {@code personId}. */
    @Transactional(TxType.REQUIRES_NEW)
    public void approveAdoption(String memberId, long personId, Instant at) {
        em.createNativeQuery("insert into adoption_approval (member_id,"
                + " person_id, approved_at) values (?1, ?2, ?3) on conflict (account, member_id) do update set person_id ="
                + " excluded.person_id, approved_at = excluded.approved_at").setParameter(1, memberId)
                .setParameter(2, personId).setParameter(3, at).executeUpdate();
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
            journal(runId, line, Instant.now());
        }
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

    /** Whether doorsync has a link or a quarantine entry for this member. */
    @Transactional(TxType.REQUIRES_NEW)
    public boolean knows(String memberId) {
        return PersonLinkEntity.findById(memberId) != null || QuarantineEntity.findById(memberId) != null;
    }

    @Transactional(TxType.REQUIRES_NEW)
    public long linkedCount() {
        return PersonLinkEntity.count();
    }

    @Transactional(TxType.REQUIRES_NEW)
    @SuppressWarnings("unchecked")
    public Set<String> quarantinedMembers() {
        return new HashSet<>(em.createNativeQuery("select member_id from quarantine").getResultList());
    }

    @Transactional(TxType.REQUIRES_NEW)
    public long quarantinedCount() {
        return QuarantineEntity.count();
    }
}
