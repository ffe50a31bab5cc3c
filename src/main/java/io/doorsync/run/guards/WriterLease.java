package io.doorsync.run.guards;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;

/**
 * Which replica is the writer: the one holding a second advisory lock ({@link ReplicaLock#WRITER_KEY}) on a
 * session of its own for as long as it lives. Only the writer runs on the interval and on CRM wake-ups, so
 * its mirror of DoorFlow stays warm; the others stand by (no ticks, no wake-up runs, no DoorFlow calls) and ask
 * for the lease every doorsync.sync.standby-poll. PostgreSQL frees the lease when the writer's session ends: at
 * once when its process stops or is killed, and within about 25 s when its node or network dies (the lease
 * session asks PostgreSQL for TCP keepalives of 10 s, 5 s, 3 probes, instead of the system's two hours). Each
 * run still takes the run lock ({@link ReplicaLock#KEY}) and checks it before every write: that is the fence,
 * so an operator's run on a standby, or a writer that lost its lease mid-run, never writes beside another.
 */
@ApplicationScoped
public class WriterLease {

    private static final Logger LOG = Logger.getLogger(WriterLease.class);
    /** A lease session that does not answer within this long counts as lost (a half-open socket). */
    private static final int ANSWER_WITHIN_MILLIS = 15_000;

    private final DataSource dataSource;
    private ReplicaLock lease;
    /** Without a database round trip: for the gauge, the page and the standby poll. */
    private volatile boolean writer;
    /** Taken since the last {@link #takenOver()}: the takeover run is owed. */
    private volatile boolean newlyTaken;
    private volatile long losses;
    private boolean stopped;

    WriterLease(DataSource dataSource, MeterRegistry registry) {
        this.dataSource = dataSource;
        Gauge.builder("doorsync.writer", this, l -> l.isWriter() ? 1 : 0)
                .description("1 on the replica that runs the syncs (holds the writer lease), 0 on one standing by")
                .register(registry);
    }

    /** Whether this replica is the writer now: it holds the lease, or takes it if nobody does. */
    public synchronized boolean holdOrTake() {
        if (stopped) {
            return false;
        }
        if (lease != null && lease.lostReason() == null) {
            return true;
        }
        if (lease != null) {
            LOG.warnf("this replica lost the writer lease (%s); it stands by unless it can take the lease again",
                    lease.lostReason());
            lease.close();
            lease = null;
            writer = false;
            losses++;
        }
        try {
            ReplicaLock taken = ReplicaLock.tryAcquire(dataSource, ReplicaLock.WRITER_KEY, WriterLease::keepAlive);
            if (!taken.acquired()) {
                taken.close();
                return false;
            }
            lease = taken;
            writer = true;
            newlyTaken = true;
            LOG.info("this replica is the writer: it runs the syncs until it stops (the others stand by)");
            return true;
        } catch (SQLException e) {
            LOG.debugf("the writer lease could not be asked for: %s", e.getMessage());
            return false;
        }
    }

    /** The lease session notices a dead peer in seconds, and so does PostgreSQL (then the lease goes). */
    private static void keepAlive(Connection session) throws SQLException {
        session.setNetworkTimeout(Runnable::run, ANSWER_WITHIN_MILLIS);
        try (Statement s = session.createStatement()) {
            s.execute("set tcp_keepalives_idle = 10");
            s.execute("set tcp_keepalives_interval = 5");
            s.execute("set tcp_keepalives_count = 3");
        }
    }

    /** How often this replica lost the lease it held (what it knew as the writer is stale after each). */
    public long losses() {
        return losses;
    }

    /** Whether this replica held the lease when last asked (no database round trip). */
    public boolean isWriter() {
        return writer;
    }

    /** Whether the lease was taken since the last call: the takeover run is owed (and now counted as done). */
    public boolean takenOver() {
        boolean owed = newlyTaken;
        newlyTaken = false;
        return owed;
    }

    /**
     * A stopping writer hands the lease over at once, rather than when its session times out: after the run in
     * progress has wound down (SyncRunner's own stop observer comes first), so the next writer's first run is not
     * skipped for it.
     */
    synchronized void release(@Observes @Priority(jakarta.interceptor.Interceptor.Priority.APPLICATION + 1000)
            ShutdownEvent event) {
        stopped = true;
        writer = false;
        if (lease != null) {
            lease.close();
            lease = null;
        }
    }
}
