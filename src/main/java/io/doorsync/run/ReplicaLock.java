package io.doorsync.run;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import javax.sql.DataSource;

/**
 * The one-writer guarantee across replicas: a PostgreSQL session-level advisory lock held on a dedicated
 * connection for the length of a run. If the holder dies, PostgreSQL drops the session and the lock with it.
 */
public final class ReplicaLock implements AutoCloseable {

    /** "doorsync" in ASCII: the advisory lock key every replica agrees on. */
    public static final long KEY = 0x646f6f7273796e63L;

    private final Connection connection;
    private final boolean acquired;

    private ReplicaLock(Connection connection, boolean acquired) {
        this.connection = connection;
        this.acquired = acquired;
    }

    static ReplicaLock tryAcquire(DataSource dataSource) throws SQLException {
        Connection c = dataSource.getConnection();
        try (PreparedStatement ps = c.prepareStatement("select pg_try_advisory_lock(?)")) {
            ps.setLong(1, KEY);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new ReplicaLock(c, rs.getBoolean(1));
            }
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    boolean acquired() {
        return acquired;
    }

    @Override
    public void close() throws SQLException {
        try (Connection c = connection) {
            if (acquired) {
                try (PreparedStatement ps = c.prepareStatement("select pg_advisory_unlock(?)")) {
                    ps.setLong(1, KEY);
                    ps.execute();
                }
            }
        }
    }
}
