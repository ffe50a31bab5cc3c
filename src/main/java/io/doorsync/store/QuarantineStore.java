package io.doorsync.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

import io.doorsync.plan.Plan;
import io.doorsync.plan.Plan.Quarantine;

/** The members held back (quarantine): replaced by each run's plan, released by operators. */
@ApplicationScoped
public class QuarantineStore {

    private final EntityManager em;
    private final OwnershipStore ownership;

    QuarantineStore(EntityManager em, OwnershipStore ownership) {
        this.em = em;
        this.ownership = ownership;
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

    /**
     * Releases a member from quarantine: the next run looks at it afresh (and, if the cause is still there,
     * quarantines it again and reports it once more). True when the member was quarantined.
     */
    @Transactional(TxType.REQUIRES_NEW)
    public boolean release(String memberId) {
        return QuarantineEntity.deleteById(memberId);
    }

    /** Whether doorsync has a link or a quarantine entry for this member. */
    @Transactional(TxType.REQUIRES_NEW)
    public boolean knows(String memberId) {
        return PersonLinkEntity.findById(memberId) != null || QuarantineEntity.findById(memberId) != null;
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
        ownership.approveAdoption(memberId, personId, at);
        return true;
    }


    public record QuarantineView(String memberId, String reason, Instant since, Instant lastSeen) {
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
}
