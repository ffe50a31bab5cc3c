package io.doorsync.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

import io.doorsync.Account;

/**
 * What this installation may claim in DoorFlow besides its links (stamp_in_flight, adoption_approval): the people
 * it started to stamp with a member's system_id and has not linked yet, and the adoptions operators approved.
 */
@ApplicationScoped
public class OwnershipStore {

    private final DataSource dataSource;
    private final Sql sql;

    OwnershipStore(DataSource dataSource) {
        this.dataSource = dataSource;
        this.sql = new Sql(dataSource);
    }

    /**
     * Records, before the write that stamps it (the POST of a creation, the PUT of an adoption), that this
     * installation stamps a DoorFlow person with the member's system_id: committed on its own, once per create, on
     * a first sync's hot path: an autocommit connection, without a JTA transaction each.
     */
    public void stampStarted(Account account, String memberId, Instant at) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("insert into"
                + " stamp_in_flight (account, member_id, started_at) values (?, ?, ?) on conflict (account, member_id)"
                + " do update set started_at = excluded.started_at")) {
            ps.setString(1, account.id());
            ps.setString(2, memberId);
            ps.setObject(3, at.atOffset(java.time.ZoneOffset.UTC));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("the stamping of member " + memberId + "'s DoorFlow person could not be"
                    + " recorded, so it was not sent: " + e.getMessage(), e);
        }
    }

    /** DoorFlow refused the stamping write outright (a 4xx: not applied), so nothing carries the stamp. */
    public void stampAbandoned(Account account, String memberId) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("delete from"
                + " stamp_in_flight where account = ? and member_id = ?")) {
            ps.setString(1, account.id());
            ps.setString(2, memberId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("the refused stamping of member " + memberId + "'s DoorFlow person could"
                    + " not be recorded: " + e.getMessage(), e);
        }
    }

    /** Members whose DoorFlow person this installation started to stamp (create or adopt) and has not linked yet. */
    @Transactional(TxType.REQUIRES_NEW)
    public Set<String> stampsInFlight(Account account) {
        return Set.copyOf(sql.list("select member_id from stamp_in_flight where account = ?", rs -> rs.getString(1),
                account.id()));
    }

    /** Adoptions operators approved: member id → the DoorFlow person it may take over. */
    @Transactional(TxType.REQUIRES_NEW)
    public Map<String, Long> approvedAdoptions(Account account) {
        Map<String, Long> approved = new HashMap<>();
        sql.list("select member_id, person_id from adoption_approval where account = ?", rs -> approved.put(
                rs.getString(1), rs.getLong(2)), account.id());
        return approved;
    }

    /** Records an operator's approval that {@code memberId} may adopt DoorFlow person {@code personId}. */
    @Transactional(TxType.REQUIRES_NEW)
    public void approveAdoption(Account account, String memberId, long personId, Instant at) {
        sql.update("insert into adoption_approval (account, member_id, person_id, approved_at) values (?, ?, ?, ?) on"
                + " conflict (account, member_id) do update set person_id = excluded.person_id, approved_at ="
                + " excluded.approved_at", account.id(), memberId, personId, at);
    }
}
