package io.doorsync.checkins;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.doorsync.Account;
import io.doorsync.DoorsyncConfig;
import io.doorsync.doorflow.DoorFlowGateway.AccessEvent;
import io.doorsync.doorflow.DoorFlowGateways;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * Reads DoorFlow's access events into doorsync.check_in, incrementally: each read asks for the events since the
 * last one read, less {@link #OVERLAP} (DoorFlow may record an event a little after it happened), and an event
 * read twice is the same row (its account and its DoorFlow id are the key), so nothing is lost or doubled, with several replicas
 * reading too. The member is the one linked to the event's person at the time of the read.
 */
@ApplicationScoped
public class CheckIns {

    private static final Logger LOG = Logger.getLogger(CheckIns.class);

    /** How far back each read reaches before the last event read: events DoorFlow records late are not missed. */
    static final Duration OVERLAP = Duration.ofMinutes(2);

    /** Events per listing call (DoorFlow allows at most 1000). */
    static final int PAGE_SIZE = 1000;

    /** One read: how many events DoorFlow listed, how many were new, and how far the events are now read. */
    public record Read(int listed, int added, Instant readUpTo) {
    }

    /** A check-in as the admin page shows it. */
    public record CheckIn(Instant at, String memberId, Long personId, String door, boolean admitted) {
    }

    private final DoorFlowGateways doorflow;
    private final DataSource dataSource;
    private final DoorsyncConfig.Checkins config;
    private final MeterRegistry registry;
    private final boolean accountLabel;
    /** One read at a time per account; accounts read side by side, so one slow DoorFlow holds up no other. */
    private final Map<Account, Object> reading = new ConcurrentHashMap<>();

    CheckIns(DoorFlowGateways doorflow, DataSource dataSource, DoorsyncConfig config, MeterRegistry registry) {
        this.doorflow = doorflow;
        this.dataSource = dataSource;
        this.config = config.checkins();
        this.registry = registry;
        this.accountLabel = config.metrics().accountLabel();
    }

    /**
     * Reads the events the account's DoorFlow recorded since its last read; a failure changes nothing (the next read
     * retries).
     */
    public Read readNew(Account account) {
        synchronized (reading.computeIfAbsent(account, a -> new Object())) {
            return read(account);
        }
    }

    private Read read(Account account) {
        Instant now = Instant.now();
        Instant cursor = cursor(account);
        Instant since = cursor == null ? now.minus(config.firstLookBack()) : cursor.minus(OVERLAP);
        List<AccessEvent> events = doorflow.of(account).events(since, PAGE_SIZE).stream()
                .filter(e -> admitted(e.code()) != null && e.at() != null).toList();
        int added = store(account, events);
        Instant upTo = events.stream().map(AccessEvent::at).max(Instant::compareTo).orElse(cursor);
        if (upTo != null) {
            saveCursor(account, upTo);
        }
        int pruned = update("delete from check_in where at < ?",
                Timestamp.from(now.minus(config.retention())));
        if (pruned > 0) {
            LOG.debugf("deleted %d check-ins older than %s (doorsync.checkins.retention)", pruned, config.retention());
        }
        return new Read(events.size(), added, upTo);
    }

    /** The account's latest check-ins, newest first. */
    public List<CheckIn> recent(Account account, int limit) {
        List<CheckIn> recent = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("select at,"
                + " member_id, person_id, coalesce(door_name, door_id::text), admitted from check_in"
                + " where account = ? order by at desc, event_id desc limit ?")) {
            ps.setString(1, account.id());
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    recent.add(new CheckIn(rs.getTimestamp(1).toInstant(), rs.getString(2),
                            rs.getObject(3, Long.class), rs.getString(4), rs.getBoolean(5)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the check-ins could not be read: " + e.getMessage(), e);
        }
        return recent;
    }

    /** True for an admit, false for a reject, null for an event that is neither (a door alarm, a sync...). */
    static Boolean admitted(int code) {
        if (code >= 10 && code <= 18 || code == 70) {
            return true;
        }
        return code >= 20 && code <= 29 || code >= 71 && code <= 73 ? false : null;
    }

    /** Inserts the events not stored yet; counts each new one, by door and result. Returns how many were new. */
    private int store(Account account, List<AccessEvent> events) {
        if (events.isEmpty()) {
            return 0;
        }
        int added = 0;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("insert into"
                + " check_in (account, event_id, at, member_id, person_id, door_id, door_name, admitted, event_code)"
                + " values (?, ?, ?, (select member_id from person_link where account = ? and person_id = ?), ?, ?,"
                + " ?, ?, ?) on conflict (account, event_id) do nothing")) {
            for (AccessEvent e : events) {
                ps.setString(1, account.id());
                ps.setLong(2, e.id());
                ps.setTimestamp(3, Timestamp.from(e.at()));
                ps.setString(4, account.id());
                ps.setObject(5, e.personId(), Types.BIGINT);
                ps.setObject(6, e.personId(), Types.BIGINT);
                ps.setObject(7, e.doorId(), Types.BIGINT);
                ps.setString(8, e.doorName());
                ps.setBoolean(9, admitted(e.code()));
                ps.setInt(10, e.code());
                ps.addBatch();
            }
            int[] counts = ps.executeBatch();
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] > 0) {
                    added++;
                    counted(account, events.get(i));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the check-ins could not be stored: " + e.getMessage(), e);
        }
        return added;
    }

    /** Doors are few, so the door's name is a label of bounded cardinality; never a person or member. */
    private void counted(Account account, AccessEvent e) {
        String door = e.doorName() != null ? e.doorName() : e.doorId() != null ? "#" + e.doorId() : "unknown";
        Counter.builder("doorsync.checkins").description("Access events read from DoorFlow, by door and result")
                .tags(accountLabel ? Tags.of("account", account.id()) : Tags.empty()).tag("door", door)
                .tag("result", admitted(e.code()) ? "admitted" : "rejected").register(registry).increment();
    }

    private Instant cursor(Account account) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select read_up_to from check_in_cursor where account = ?")) {
            ps.setString(1, account.id());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getTimestamp(1).toInstant() : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the check-in cursor could not be read: " + e.getMessage(), e);
        }
    }

    /** Moves the cursor forward only: another replica may have read further meanwhile. */
    private void saveCursor(Account account, Instant upTo) {
        update("insert into check_in_cursor (read_up_to, account) values (?, ?) on conflict (account) do update set"
                + " read_up_to = greatest(check_in_cursor.read_up_to, excluded.read_up_to)", Timestamp.from(upTo),
                account.id());
    }

    private int update(String sql, Timestamp value, String... more) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setTimestamp(1, value);
            for (int i = 0; i < more.length; i++) {
                ps.setString(i + 2, more[i]);
            }
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("the check-ins could not be stored: " + e.getMessage(), e);
        }
    }
}
