package io.doorsync.run.guards;

import java.sql.SQLException;

import javax.sql.DataSource;

import io.agroal.api.AgroalDataSource;

/**
 * A session doorsync holds for long (the one-writer lock, the CRM LISTEN) can die under it: a database restart,
 * a failover, an idle timeout. Closed, its connection goes back to the pool dead, and the next borrower (a run
 * recording its changes) would fail on it. Agroal can drop the connections that fail validation; this asks it to.
 */
public final class DeadConnections {

    private DeadConnections() {
    }

    public static void dropFrom(DataSource dataSource) {
        try {
            dataSource.unwrap(AgroalDataSource.class).flush(AgroalDataSource.FlushMode.INVALID);
        } catch (SQLException notAgroal) {
            // another pool validates in its own way
        }
    }
}
