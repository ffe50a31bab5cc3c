package io.doorsync.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

import io.doorsync.Account;
import io.doorsync.plan.Plan;
import io.doorsync.plan.Plan.Quarantine;

/** The members of an account held back (quarantine): replaced by each run's plan, released by operators. */
@ApplicationScoped
public class QuarantineStore {

    private final Sql sql;
    private final OwnershipStore ownership;

    QuarantineStore(DataSource dataSource, OwnershipStore ownership) {
        this.sql = new Sql(dataSource);
        this.ownership = ownership;
    }

    /**
     * Makes the quarantine table hold exactly this run's quarantined members (of {@code scope}, for a run that
     * planned only those; null for everyone); returns those that are new or whose reason changed (they are
     * journaled and logged; the others were already reported).
     */
    @Transactional(TxType.REQUIRES_NEW)
    public List<Quarantine> replaceQuarantine(Account account, long runId, List<Quarantine> current, Instant now, Set<String> scope) {
        Map<String, String> existing = new HashMap<>();
        sql.list("select member_id, reason from quarantine where account = ?", rs -> new String[] {rs.getString(1),
                rs.getString(2)}, account.id()).stream().filter(q -> scope == null || scope.contains(q[0])).forEach(q -> existing.put(q[0], q[1]));
        List<Quarantine> fresh = new ArrayList<>();
        for (Quarantine q : current) {
            boolean known = existing.containsKey(q.memberId());
            String before = existing.remove(q.memberId());
            if (!known) {
                fresh.add(q);
                sql.update("insert into quarantine (account, member_id, reason, since, last_seen, run_id) values (?, ?,"
                        + " ?, ?, ?, ?)", account.id(), q.memberId(), q.reason(), now, now, runId);
            } else if (!q.reason().equals(before)) {
                fresh.add(q);
                sql.update("update quarantine set reason = ?, since = ?, last_seen = ?, run_id = ? where account = ?"
                        + " and member_id = ?", q.reason(), now, now, runId, account.id(), q.memberId());
            } else {
                sql.update("update quarantine set last_seen = ?, run_id = ? where account = ? and member_id = ?", now,
                        runId, account.id(), q.memberId());
            }
        }
        if (!existing.isEmpty()) {
            sql.update("delete from quarantine where account = ? and member_id = any(?)", account.id(),
                    existing.keySet().toArray(String[]::new));
        }
        return fresh;
    }

    /**
     * Releases a member from quarantine: the next run looks at it afresh (and, if the cause is still there,
     * quarantines it again and reports it once more). True when the member was quarantined.
     */
    @Transactional(TxType.REQUIRES_NEW)
    public boolean release(Account account, String memberId) {
        return sql.update("delete from quarantine where account = ? and member_id = ?", account.id(), memberId) > 0;
    }

    /** Whether doorsync has a link or a quarantine entry for this member. */
    @Transactional(TxType.REQUIRES_NEW)
    public boolean knows(Account account, String memberId) {
        return sql.count("select (select count(*) from person_link where account = ? and member_id = ?) + (select"
                + " count(*) from quarantine where account = ? and member_id = ?)", account.id(), memberId,
                account.id(), memberId) > 0;
    }

    @Transactional(TxType.REQUIRES_NEW)
    public Set<String> quarantinedMembers(Account account) {
        return new HashSet<>(sql.list("select member_id from quarantine where account = ?", rs -> rs.getString(1),
                account.id()));
    }

    @Transactional(TxType.REQUIRES_NEW)
    public long quarantinedCount(Account account) {
        return sql.count("select count(*) from quarantine where account = ?", account.id());
    }

    /**
     * Records an operator's approval that {@code memberId} may adopt DoorFlow person {@code personId}, if the member
     * is quarantined waiting to adopt exactly that person (the API and the page both ask this); whether it was.
     */
    @Transactional(TxType.REQUIRES_NEW)
    public boolean approveWaitingAdoption(Account account, String memberId, long personId, Instant at) {
        String reason = memberId == null ? null : quarantineReason(account, memberId);
        if (reason == null || !Plan.Quarantine.awaitsAdoptionOf(reason, personId)) {
            return false;
        }
        ownership.approveAdoption(account, memberId, personId, at);
        return true;
    }

    public record QuarantineView(String memberId, String reason, Instant since, Instant lastSeen) {
    }

    /** Why the member is quarantined, or null when it is not. */
    @Transactional(TxType.REQUIRES_NEW)
    public String quarantineReason(Account account, String memberId) {
        return sql.first("select reason from quarantine where account = ? and member_id = ?", rs -> rs.getString(1),
                account.id(), memberId);
    }

    /** Page {@code page} (from 0) of the members in quarantine, {@code size} of them, by id. */
    @Transactional(TxType.REQUIRES_NEW)
    public List<QuarantineView> quarantine(Account account, int page, int size) {
        return sql.list("select member_id, reason, since, last_seen from quarantine where account = ? order by"
                + " member_id limit ? offset ?", rs -> new QuarantineView(rs.getString(1), rs.getString(2),
                        Sql.instant(rs, "since"), Sql.instant(rs, "last_seen")), account.id(), size, (long) page * size);
    }
}
