package io.doorsync.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.flywaydb.core.Flyway;

import com.fasterxml.jackson.databind.JsonNode;

import io.doorsync.doorflow.oauth.DoorFlowOAuth;
import io.doorsync.run.guards.ReplicaLock;
import io.doorsync.simulator.DoorFlowSimulator;
import io.doorsync.simulator.OAuthApp;

/**
 * Arranges the world a test runs in: the CRM contract in schema crm (made with the shipped DDL), doorsync's
 * own tables emptied, and the simulator reset to an account with the standard groups.
 */
@ApplicationScoped
public class TestWorld {

    public static final long HOT = 101;
    public static final long OFFICE = 102;
    public static final long LAB = 103;
    public static final long BIKES = 900;
    public static final long CARD = 1;
    public static final long PIN = 2;
    public static final long MOBILE = 3;
    /** A card type doorsync does not manage (issued by hand at the front desk). */
    public static final long FOB = 4;

    @Inject
    DataSource dataSource;

    @Inject
    DoorFlowSimulator simulator;

    @Inject
    DoorFlowOAuth oauth;

    /** The OAuth application of the test account (as configured in application.properties, %test). */
    public static final OAuthApp OAUTH_APP = new OAuthApp("doorsync-demo",
            "test-client-secret", "acc_demo01", Duration.ofHours(1), true);

    private boolean crmCreated;

    public DoorFlowSimulator simulator() {
        return simulator;
    }

    /**
     * Resets under the sync lock, so a scheduled run (ScheduledSyncTest) is never reading the tables being
     * truncated: a run in progress is waited for, and runs meanwhile are skipped.
     */
    public synchronized void reset() {
        try (Connection guard = dataSource.getConnection(); Statement s = guard.createStatement()) {
            s.execute("select pg_advisory_lock(" + ReplicaLock.KEY + ")");
            try {
                resetLocked();
            } finally {
                s.execute("select pg_advisory_unlock(" + ReplicaLock.KEY + ")");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not take the sync lock to reset the test world: " + e.getMessage(), e);
        }
    }

    private void resetLocked() {
        if (!crmCreated) {
            Flyway.configure().dataSource(dataSource).schemas("crm").table("test_flyway_history")
                    .locations("classpath:crm/contract").placeholders(Map.of("crm_schema", "crm")).load().migrate();
            crmCreated = true;
        }
        // An OAuth connection left by an earlier test is disconnected (also forgetting its token in memory).
        oauth.connection().filter(c -> c.exists()).ifPresent(c -> c.disconnect());
        // Every table of both schemas, from the catalog, so a table a new migration adds cannot escape the
        // reset; the Flyway histories stay. Rows a migration seeds are put back below.
        List<String> tables = rows("select schemaname || '.' || tablename as t from pg_tables where schemaname in"
                + " ('doorsync', 'crm') and tablename not like '%flyway%' order by 1").stream()
                .map(r -> (String) r.get("t")).toList();
        sql("truncate " + String.join(", ", tables) + " restart identity");
        sql("insert into doorsync.account (id, source) values ('default', 'installation')");
        sql("insert into doorsync.push_state (account, pending) values ('default', false)");
        simulator.reset();
        simulator.setSyncRateLimit(Duration.ZERO);
        simulator.setOAuthApp(OAUTH_APP);
        simulator.addGroup(HOT, "Hot desk");
        simulator.addGroup(OFFICE, "Private office");
        simulator.addGroup(LAB, "Makers lab");
        simulator.addGroup(BIKES, "Bike storage");
        simulator.addCredentialType(CARD, "Key card", "card", 100, DoorFlowSimulator.CredentialKind.CARD);
        simulator.addCredentialType(PIN, "PIN", "pin", 200, DoorFlowSimulator.CredentialKind.PIN);
        simulator.addCredentialType(MOBILE, "HID Mobile Access", "mobile", 300, DoorFlowSimulator.CredentialKind.MOBILE);
        simulator.addCredentialType(FOB, "Visitor fob", "visitor_fob", 101, DoorFlowSimulator.CredentialKind.CARD);
    }

    /**
     * Another tenant, for an account of its own: a DoorFlow account on the simulator reached with {@code apiKey},
     * with the Hot desk group, and an empty CRM schema whose team 'hot' opens it.
     */
    public DoorFlowSimulator otherTenant(String doorflowAccount, String apiKey, String crmSchema) {
        DoorFlowSimulator doorflow = simulator.addAccount(doorflowAccount, apiKey);
        doorflow.addGroup(HOT, "Hot desk");
        emptyCrmSchema(crmSchema);
        sql("insert into " + crmSchema + ".teams (id, name, doorflow_group_id) values ('hot', 'Hot', ?)", HOT);
        return doorflow;
    }

    /** Another account's CRM schema, laid out by the CRM contract and empty (created the first time). */
    public void emptyCrmSchema(String schema) {
        Flyway.configure().dataSource(dataSource).schemas(schema).table("test_flyway_history")
                .locations("classpath:crm/contract").placeholders(Map.of("crm_schema", schema)).load().migrate();
        rows("select tablename from pg_tables where schemaname = ? and tablename not like '%flyway%'", schema)
                .forEach(t -> sql("truncate " + schema + "." + t.get("tablename") + " cascade"));
    }

    public TestWorld team(String id, Long group) {
        sql("insert into crm.teams (id, name, doorflow_group_id) values (?, ?, ?)", id, "Team " + id, group);
        return this;
    }

    public TestWorld member(String id, String email, String... teams) {
        CrmRows.member(id, email, teams).insert(this::sql);
        return this;
    }

    /** A member_credentials row; a null value means mobile, or a PIN for DoorFlow to generate. */
    public TestWorld credential(String memberId, String type, String value) {
        sql("insert into crm.member_credentials (member_id, credential_type, value) values (?, ?, ?)", memberId, type,
                value);
        return this;
    }

    public int sql(String sql, Object... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    public List<Map<String, Object>> rows(String sql, Object... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                    }
                    rows.add(row);
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** "kind outcome: detail" lines journaled for a member, oldest first. */
    public List<String> journal(String memberId) {
        return rows("select kind, outcome, detail from doorsync.change_journal where member_id = ? order by id",
                memberId).stream().map(r -> r.get("kind") + " " + r.get("outcome") + ": " + r.get("detail")).toList();
    }

    /** The id of the DoorFlow person carrying member {@code memberId}'s system_id (the test prefix, crm). */
    public long personId(String memberId) {
        return simulator.people().stream().filter(p -> ("crm:" + memberId).equals(p.path("system_id").asText(null)))
                .findFirst().orElseThrow(() -> new AssertionError("no DoorFlow person for " + memberId))
                .get("id").asLong();
    }

    /** The DoorFlow person of member {@code memberId}, as the simulator holds it now. */
    public JsonNode person(String memberId) {
        return simulator.person(personId(memberId));
    }

    public String quarantineReason(String memberId) {
        List<Map<String, Object>> rows = rows("select reason from doorsync.quarantine where member_id = ?", memberId);
        return rows.isEmpty() ? null : (String) rows.get(0).get("reason");
    }
}
