package io.doorsync.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.doorsync.Account;
import io.doorsync.plan.DriftMemory;
import io.doorsync.plan.Link;
import io.doorsync.plan.PhotoPlanner;
import io.doorsync.plan.SpecHash;
import io.doorsync.plan.ValuePool;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The links (person_link) of one account at a time: all of them for a run of everyone, some for a wake-up's run,
 * the members linked to DoorFlow people, and what doorsync did with each member's photo. Written by
 * {@link OutcomeBatch} with the change outcomes; the photo columns here.
 */
@ApplicationScoped
@RegisterForReflection(targets = DriftMemory.class) // read and written as JSON
public class LinkStore {

    private static final TypeReference<Map<String, DriftMemory>> DRIFT = new TypeReference<>() {
    };

    private final ObjectMapper json;
    private final DataSource dataSource;
    private final Sql sql;

    LinkStore(ObjectMapper json, DataSource dataSource) {
        this.json = json;
        this.dataSource = dataSource;
        this.sql = new Sql(dataSource);
    }

    /**
     * Every link: at 100,000 members, what a run of everyone reads once (see {@link #links(Collection)} for how it
     * is fetched).
     */
    public Map<String, Link> links(Account account) {
        return links(account, null);
    }

    /** The links of these members only (null: every link). */
    public Map<String, Link> links(Account account, Collection<String> memberIds) {
        Map<String, Link> links = new HashMap<>();
        String sql = "select member_id, person_id, applied_hash, applied_groups, drift from person_link"
                + " where account = ?" + (memberIds == null ? "" : " and member_id = any(?)");
        ValuePool shared = new ValuePool(); // links share a few sets of groups
        try (Connection c = dataSource.getConnection()) {
            // In a transaction, so that the driver fetches 1,000 rows at a time instead of all 100,000 at once
            // (a caller's transaction, when there is one, does the same).
            boolean autoCommit = c.getAutoCommit();
            if (autoCommit) {
                c.setAutoCommit(false);
            }
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setFetchSize(1000);
                ps.setString(1, account.id());
                if (memberIds != null) {
                    ps.setArray(2, c.createArrayOf("text", memberIds.toArray()));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String memberId = rs.getString(1);
                        Long[] groups = (Long[]) rs.getArray(4).getArray();
                        links.put(memberId, new Link(memberId, rs.getLong(2), rs.getString(3),
                                shared.one(Set.of(groups)), drift(rs.getString(5))));
                    }
                }
            } finally {
                if (autoCommit) {
                    c.rollback(); // it only read
                    c.setAutoCommit(true);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("doorsync's links could not be read: " + e.getMessage(), e);
        }
        return links;
    }

    /** The members linked to these DoorFlow people. */
    public Set<String> membersLinkedTo(Account account, Collection<Long> personIds) {
        Set<String> members = new HashSet<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select member_id from person_link where account = ? and person_id = any(?)")) {
            ps.setString(1, account.id());
            ps.setArray(2, c.createArrayOf("bigint", personIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    members.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("doorsync's links could not be read: " + e.getMessage(), e);
        }
        return members;
    }

    /**
     * The revocation guard's base for a run that plans some members only: the links of members not disabled as
     * leavers (a full run counts those whose DoorFlow person is enabled; this count does not look at DoorFlow).
     */
    public int activeLinkCount(Account account) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select count(*) from person_link where account = ? and applied_hash <> ?")) {
            ps.setString(1, account.id());
            ps.setString(2, SpecHash.DISABLED);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("doorsync's links could not be counted: " + e.getMessage(), e);
        }
    }

    private Map<String, DriftMemory> drift(String drift) {
        if (drift == null || drift.equals("{}")) {
            return Map.of(); // nearly every link: no JSON parse
        }
        try {
            return json.readValue(drift, DRIFT);
        } catch (JsonProcessingException e) {
            // Only ever written here; unreadable means someone edited it: forget it rather than stop the run.
            return Map.of();
        }
    }

    /** What doorsync last did with each linked member's photo (members it never set one for are absent). */
    public Map<String, PhotoPlanner.Applied> appliedPhotos(Account account) {
        return appliedPhotos(account, null);
    }

    /** The same, for these members only (null: everyone). */
    public Map<String, PhotoPlanner.Applied> appliedPhotos(Account account, List<String> memberIds) {
        Map<String, PhotoPlanner.Applied> applied = new HashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("select member_id,"
                + " photo_person, photo_key, photo_rejected from person_link where account = ? and photo_key is not"
                + " null" + (memberIds == null ? "" : " and member_id = any(?)"))) {
            ps.setString(1, account.id());
            if (memberIds != null) {
                ps.setArray(2, c.createArrayOf("text", memberIds.toArray()));
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
    public void rememberPhotoVersions(Account account, String crmSchema, String version) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("update person_link l"
                + " set photo_version = " + version + " from " + crmSchema + ".member_photos p where l.account = ?"
                + " and p.member_id::text = l.member_id and p.image is not null and case when l.photo_version is"
                + " distinct from " + version + " then l.photo_key = 'sha256:' || encode(sha256(p.image), 'hex')"
                + " else false end")) {
            s.setString(1, account.id());
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("doorsync could not remember its applied photos: " + e.getMessage(), e);
        }
    }

    /** Records what was done with a member's photo; null: the person has no photo from doorsync (any more). */
    public void photoApplied(Account account, String memberId, PhotoPlanner.Applied applied) {
        // The version is remembered again, from the CRM row, by the run's rememberPhotoVersions.
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("update person_link"
                + " set photo_person = ?, photo_key = ?, photo_rejected = ?, photo_version = null where"
                + " account = ? and member_id = ?")) {
            ps.setObject(1, applied == null ? null : applied.personId(), java.sql.Types.BIGINT);
            ps.setString(2, applied == null ? null : applied.key());
            ps.setBoolean(3, applied != null && applied.rejected());
            ps.setString(4, account.id());
            ps.setString(5, memberId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("the photo of member " + memberId + " could not be recorded: "
                    + e.getMessage(), e);
        }
    }

    @Transactional(TxType.REQUIRES_NEW)
    public long linkedCount(Account account) {
        return sql.count("select count(*) from person_link where account = ?", account.id());
    }
}
