package io.doorsync.run.guards;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import javax.sql.DataSource;

import io.doorsync.Account;

/**
 * The one-writer guarantee across replicas: a PostgreSQL session-level advisory lock held on a dedicated
 * connection for the length of a run. If the holder dies, PostgreSQL drops the session and the lock with it.
 * The reverse holds too: if the session is lost (a database restart or failover, an idle timeout, a proxy
 * dropping the connection), the lock is gone and another replica may take it, so {@link #lostReason()} is asked
 * before every change and the run stops writing once it is lost. A session-level lock needs session pooling: behind
 * PgBouncer in transaction mode it would not be held at all (docs/operating.md).
 */
public final class ReplicaLock implements AutoCloseable {

    /** "doorsync" in ASCII: the advisory lock key every replica agrees on, held for a run of the default account. */
    public static final long KEY = 0x646f6f7273796e63L;

    /** "doorsynw" in ASCII: the writer's lease, held for the writer's lifetime ({@link WriterLease}). */
    public static final long WRITER_KEY = 0x646f6f7273796e77L;

    /** The key split the way pg_locks shows a bigint advisory lock: classid (high half), objid (low half). */
    private static final String STILL_HELD = "select exists (select 1 from pg_locks where locktype = 'advisory'"
            + " and pid = pg_backend_pid() and granted and objsubid = 1 and (classid::bigint << 32 | objid::bigint) = ?)";

    private final DataSource dataSource;
    private final Connection connection;
    private final long key;
    private final boolean acquired;
    private String lost;

    private ReplicaLock(DataSource dataSource, Connection connection, long key, boolean acquired) {
        this.dataSource = dataSource;
        this.connection = connection;
        this.key = key;
        this.acquired = acquired;
    }

    /**
     * The run lock of an account: {@link #KEY} for the default one (as before accounts), for any other the first
     * eight bytes of the SHA-256 of its id, so every replica derives the same key without asking anyone.
     */
    public static long keyOf(Account account) {
        if (Account.DEFAULT.equals(account)) {
            return KEY;
        }
        try {
            return ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(("doorsync run " + account.id())
                    .getBytes(StandardCharsets.UTF_8))).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** The run lock of {@code account}, if no one holds it. */
    public static ReplicaLock tryAcquire(DataSource dataSource, Account account) throws SQLException {
        return tryAcquire(dataSource, keyOf(account));
    }

    public static ReplicaLock tryAcquire(DataSource dataSource, long key) throws SQLException {
        return tryAcquire(dataSource, key, session -> {
        });
    }

    /** What a lock's session needs before it asks (the writer lease's timeouts and keepalives). */
    @FunctionalInterface
    interface SessionSetup {
        void prepare(Connection session) throws SQLException;
    }

    public static ReplicaLock tryAcquire(DataSource dataSource, long key, SessionSetup setup) throws SQLException {
        Connection c = dataSource.getConnection();
        try (PreparedStatement ps = c.prepareStatement("select pg_try_advisory_lock(?)")) {
            setup.prepare(c);
            ps.setLong(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new ReplicaLock(dataSource, c, key, rs.getBoolean(1));
            }
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    public boolean acquired() {
        return acquired;
    }

    /** Null while this session still holds the lock; once lost, why (and it stays lost). */
    public synchronized String lostReason() {
        if (lost != null || !acquired) {
            return lost;
        }
        try (PreparedStatement ps = connection.prepareStatement(STILL_HELD)) {
            ps.setLong(1, key);
            ps.setQueryTimeout(10);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || !rs.getBoolean(1)) {
                    lost = "doorsync no longer holds the one-writer lock, so another replica may be writing";
                }
            }
        } catch (SQLException e) {
            lost = "the database connection holding the one-writer lock was lost (" + e.getMessage()
                    + "), so another replica may be writing";
        }
        return lost;
    }

    /**
     * Releases the lock and the connection. An unlock that fails means the session is broken, which released the
     * lock already: nothing to report beyond what {@link #lostReason()} says.
     */
    @Override
    public synchronized void close() {
        try (Connection c = connection) {
            if (acquired && lost == null) {
                try (PreparedStatement ps = c.prepareStatement("select pg_advisory_unlock(?)")) {
                    ps.setLong(1, key);
                    ps.execute();
                }
            }
        } catch (SQLException brokenSession) {
            // the lock went with the session
        }
        if (lost != null) {
            DeadConnections.dropFrom(dataSource);
        }
    }
}
