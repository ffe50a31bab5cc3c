package io.doorsync.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.doorsync.plan.DriftMemory;
import io.doorsync.plan.Link;
import io.doorsync.plan.SpecHash;
import io.doorsync.plan.ValuePool;

/**
 * The links as runs read them: all of them for a run of everyone, some for a wake-up's run, and the members
 * linked to DoorFlow people. Written by {@link OutcomeBatch} with the change outcomes.
 */
@ApplicationScoped
public class LinkReader {

    private static final TypeReference<Map<String, DriftMemory>> DRIFT = new TypeReference<>() {
    };

    private final ObjectMapper json;
    private final DataSource dataSource;

    LinkReader(ObjectMapper json, DataSource dataSource) {
        this.json = json;
        this.dataSource = dataSource;
    }

    /**
     * Every link, read with plain JDBC: at 100,000 members, entities would sit in the persistence context with
     * their dirty-checking copies for the length of the read, for nothing (links are only read here).
     */
    public Map<String, Link> links() {
        return links(null);
    }

    /** The links of these members only (null: every link). */
    public Map<String, Link> links(Collection<String> memberIds) {
        Map<String, Link> links = new HashMap<>();
        String sql = "select member_id, person_id, applied_hash, applied_groups, drift from person_link"
                + (memberIds == null ? "" : " where member_id = any(?)");
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
                if (memberIds != null) {
                    ps.setArray(1, c.createArrayOf("text", memberIds.toArray()));
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
    public Set<String> membersLinkedTo(Collection<Long> personIds) {
        Set<String> members = new HashSet<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select member_id from person_link where person_id = any(?)")) {
            ps.setArray(1, c.createArrayOf("bigint", personIds.toArray()));
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
    public int activeLinkCount() {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select count(*) from person_link where applied_hash <> ?")) {
            ps.setString(1, SpecHash.DISABLED);
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
}
