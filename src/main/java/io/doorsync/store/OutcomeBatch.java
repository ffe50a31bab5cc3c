package io.doorsync.store;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import javax.sql.DataSource;

import io.doorsync.Account;
import io.doorsync.plan.DriftMemory;
import io.doorsync.store.LinkUpdate;

/**
 * A run's change outcomes (journal lines and the links they save or remove), written in batches: one
 * transaction of JDBC batch statements per {@value #MAX_PENDING} outcomes or per second, not an entity and a
 * transaction per change. Measured (docs/performance.md) when the stores still used Hibernate entities, a
 * transaction per change was about half of doorsync's CPU per write.
 * <p>
 * What a crash can lose is the last batch: DoorFlow is re-read and re-planned by the next run, a person whose
 * creation or adoption was sent is found by its system_id (its stamp in flight is written before that write, not
 * here), so
 * only journal lines of that last second go missing. Thread-safe: the run's writers share one batch.
 */
public final class OutcomeBatch {

    public static final int MAX_PENDING = 100;
    private static final long MAX_AGE_NANOS = 1_000_000_000L;

    private record Pending(JournalLine line, LinkUpdate link, Instant at) {
    }

    private final DataSource dataSource;
    private final Account account;
    private final long runId;
    private final Function<Map<String, DriftMemory>, String> driftJson;
    private final List<Pending> pending = new ArrayList<>();
    private long oldest;

    /** The account whose run this is. */
    public Account account() {
        return account;
    }

    OutcomeBatch(DataSource dataSource, Account account, long runId,
            Function<Map<String, DriftMemory>, String> driftJson) {
        this.dataSource = dataSource;
        this.account = account;
        this.runId = runId;
        this.driftJson = driftJson;
    }

    /** A change's outcome and what becomes of its member's link; written with the batch. */
    public synchronized void add(JournalLine line, LinkUpdate link) {
        if (pending.isEmpty()) {
            oldest = System.nanoTime();
        }
        pending.add(new Pending(line, link, Instant.now()));
        if (pending.size() >= MAX_PENDING || System.nanoTime() - oldest >= MAX_AGE_NANOS) {
            flush();
        }
    }

    /** A journal line on its own (a credential step, say). */
    public void add(JournalLine line) {
        add(line, new LinkUpdate.Keep());
    }

    /** Writes what is pending in one transaction; throws when doorsync's database refuses it. */
    public synchronized void flush() {
        if (pending.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                write(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("doorsync's database refused " + pending.size() + " change outcome(s): "
                    + e.getMessage(), e);
        }
        pending.clear();
    }

    private void write(Connection c) throws SQLException {
        String id = account.id();
        try (PreparedStatement journal = c.prepareStatement("insert into change_journal (account, run_id, at,"
                + " member_id, team_id, kind, outcome, person_id, detail) values (?, ?, ?, ?, ?, ?, ?, ?, ?)");
                PreparedStatement save = c.prepareStatement("insert into person_link (account, member_id, person_id,"
                        + " applied_hash, applied_groups, drift, linked_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?)"
                        + " on conflict (account, member_id) do update set person_id = excluded.person_id,"
                        + " applied_hash = excluded.applied_hash, applied_groups = excluded.applied_groups, drift ="
                        + " excluded.drift, updated_at = excluded.updated_at");
                PreparedStatement remove = c.prepareStatement("delete from person_link where account = ? and"
                        + " member_id = ?");
                PreparedStatement linked = c.prepareStatement("delete from stamp_in_flight where account = ? and"
                        + " member_id = ?");
                PreparedStatement adopted = c.prepareStatement("delete from adoption_approval where account = ? and"
                        + " member_id = ?")) {
            for (Pending p : pending) {
                Timestamp at = Timestamp.from(p.at());
                JournalLine l = p.line();
                journal.setString(1, id);
                journal.setLong(2, runId);
                journal.setTimestamp(3, at);
                journal.setString(4, l.memberId());
                journal.setString(5, l.teamId());
                journal.setString(6, l.kind());
                journal.setString(7, l.outcome().label());
                if (l.personId() == null) {
                    journal.setNull(8, Types.BIGINT);
                } else {
                    journal.setLong(8, l.personId());
                }
                journal.setString(9, l.detail());
                journal.addBatch();
                if (p.link() instanceof LinkUpdate.Save s) {
                    Array groups = c.createArrayOf("bigint", s.ownedGroups().stream().sorted().toArray(Long[]::new));
                    save.setString(1, id);
                    save.setString(2, l.memberId());
                    save.setLong(3, s.personId());
                    save.setString(4, s.hash());
                    save.setArray(5, groups);
                    save.setString(6, driftJson.apply(new TreeMap<>(s.drift())));
                    save.setTimestamp(7, at);
                    save.setTimestamp(8, at);
                    save.addBatch();
                } else if (p.link() instanceof LinkUpdate.Remove) {
                    remove.setString(1, id);
                    remove.setString(2, l.memberId());
                    remove.addBatch();
                }
                if (!(p.link() instanceof LinkUpdate.Keep)) {
                    // Linked (or forgotten) now: no longer a stamp in flight.
                    linked.setString(1, id);
                    linked.setString(2, l.memberId());
                    linked.addBatch();
                }
                if (p.link() instanceof LinkUpdate.Save) {
                    // An approval is used once, by the adoption or by the run that links the person it stamped: a
                    // later adoption of another person needs its own.
                    adopted.setString(1, id);
                    adopted.setString(2, l.memberId());
                    adopted.addBatch();
                }
            }
            journal.executeBatch();
            save.executeBatch();
            remove.executeBatch();
            linked.executeBatch();
            adopted.executeBatch();
        }
    }
}
