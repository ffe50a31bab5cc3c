package io.doorsync.run;

import java.sql.SQLException;

import javax.sql.DataSource;

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
 * for the lease every doorsync.sync.standby-poll, so one takes over within seconds of the writer's death (its
 * session, and the lease with it, goes when the process does) or of its losing the database session. Each run
 * still takes the run lock ({@link ReplicaLock#KEY}) and checks it before every write: that is the fence, so an
 * operator's run on a standby, or a writer that lost its lease mid-run, never writes beside another.
 */
@ApplicationScoped
public class WriterLease {

    private static final Logger LOG = Logger.getLogger(WriterLease.class);

    private final DataSource dataSource;
    private ReplicaLock lease;
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
        }
        try {
            ReplicaLock taken = ReplicaLock.tryAcquire(dataSource, ReplicaLock.WRITER_KEY);
            if (!taken.acquired()) {
                taken.close();
                return false;
            }
            lease = taken;
            LOG.info("this replica is the writer: it runs the syncs until it stops (the others stand by)");
            return true;
        } catch (SQLException e) {
            LOG.debugf("the writer lease could not be asked for: %s", e.getMessage());
            return false;
        }
    }

    /** Whether this replica held the lease when last asked (no database round trip: for the gauge). */
    synchronized boolean isWriter() {
        return lease != null;
    }

    /** A stopping writer hands the lease over at once, rather than when its session times out. */
    synchronized void release(@Observes ShutdownEvent event) {
        stopped = true;
        if (lease != null) {
            lease.close();
            lease = null;
        }
    }
}
