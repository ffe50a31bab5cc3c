package io.doorsync.run.triggers;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.doorsync.DoorsyncConfig;
import io.doorsync.accounts.AccountRegistry;
import io.doorsync.run.RunReport;
import io.doorsync.run.SyncRunner;
import io.doorsync.run.guards.DeadConnections;
import io.doorsync.run.guards.WriterLease;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Starts a run within a second of a committed CRM change, when the CRM has the optional NOTIFY triggers
 * (src/main/resources/crm/wake-ups/notify-trigger.sql): it LISTENs on channel {@value #CHANNEL} on a session of
 * its own, lets a burst of commits settle ({@code doorsync.crm.wake-up-debounce}) so that a burst is one run,
 * and reconnects after a database restart (then runs once, for what was committed while nobody listened).
 * A notification that names members starts a run of those members only ({@link SyncRunner#runFor}); one that
 * names a table only, a run of everyone. One that names another account's CRM schema wakes that account where it
 * is held ({@link AccountOwners#nudge}: every replica listens, and the holder runs it, everyone); the
 * installation's own account's runs go on a thread of their own, so they never hold up another account's
 * wake-up. Without the triggers nothing arrives and the interval does the work,
 * as it always does as the safety net. pgjdbc has no push API, so a thread polls the session for notifications.
 * Polling only reads, and a half-open connection (a database failover that never closed the socket) would never
 * error: so every doorsync.crm.wake-up-keepalive the session also makes a round trip that must answer within
 * that time, and a dead session is replaced (with its catch-up run) within two of them.
 */
@ApplicationScoped
public class CrmWakeUps {

    static final String CHANNEL = "doorsync_crm";
    /** The listening session's application_name. */
    static final String APPLICATION_NAME = "doorsync-wake-ups";

    private static final Logger LOG = Logger.getLogger(CrmWakeUps.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration MAX_SETTLE = Duration.ofSeconds(1);
    private static final Duration MAX_RECONNECT_WAIT = Duration.ofSeconds(30);

    private final DataSource dataSource;
    private final SyncRunner sync;
    private final DoorsyncConfig.Crm config;
    private final ObjectMapper json;
    private final WriterLease lease;
    private final AccountRegistry accounts;
    private final AccountOwners owners;
    private volatile boolean running;
    private Thread listener;
    /**
     * The installation's own account's wake-up runs go on a thread of their own, so the listener keeps waking the
     * other accounts (wherever they are held) while one of them goes on; what arrives meanwhile is merged into the
     * next run (null: none owed).
     */
    private Thread ownRuns;
    private Touched owed;

    CrmWakeUps(DataSource dataSource, SyncRunner sync, DoorsyncConfig config, ObjectMapper json, WriterLease lease,
            AccountRegistry accounts, AccountOwners owners) {
        this.lease = lease;
        this.accounts = accounts;
        this.owners = owners;
        this.json = json;
        this.dataSource = dataSource;
        this.sync = sync;
        this.config = config.crm();
    }

    void start(@Observes StartupEvent event) {
        if (!config.wakeUps()) {
            return;
        }
        running = true;
        listener = new Thread(this::listen, "doorsync-crm-wake-ups");
        listener.setDaemon(true);
        listener.start();
        ownRuns = new Thread(this::runOwed, "doorsync-crm-wake-up-runs");
        ownRuns.setDaemon(true);
        ownRuns.start();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        for (Thread t : new Thread[] { listener, ownRuns }) {
            if (t != null) {
                t.interrupt();
            }
        }
    }

    /** Owes the installation's own account a wake-up run for {@code touched} (merged with one owed already). */
    private synchronized void owe(Touched touched) {
        if (owed == null) {
            owed = touched;
        } else {
            owed.merge(touched);
        }
        notifyAll();
    }

    /** The thread running what is owed, one run at a time. */
    private void runOwed() {
        while (running) {
            Touched next;
            synchronized (this) {
                while (running && owed == null) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                next = owed;
                owed = null;
            }
            if (next != null) {
                runUntilNotSkipped(next);
            }
        }
    }

    private void listen() {
        Duration wait = Duration.ofSeconds(1);
        boolean reported = false;
        boolean listenedBefore = false;
        while (running) {
            try (Connection session = dataSource.getConnection(); Statement s = session.createStatement()) {
                session.setAutoCommit(true);
                session.setClientInfo("ApplicationName", APPLICATION_NAME); // to be told apart in pg_stat_activity
                s.execute("LISTEN " + CHANNEL);
                if (reported) {
                    LOG.infof("listening for CRM changes (channel %s) again", CHANNEL);
                }
                reported = false;
                wait = Duration.ofSeconds(1);
                PGConnection pg = session.unwrap(PGConnection.class);
                // Bounds the round trip below: a read that waits longer fails, and the session is replaced.
                session.setNetworkTimeout(Runnable::run, (int) config.wakeUpKeepalive().toMillis());
                Instant answered = Instant.now();
                if (listenedBefore) {
                    // What was committed while nobody listened was not announced to anyone.
                    accounts.synced().forEach(owners::nudge);
                    owe(Touched.everyone(json));
                }
                listenedBefore = true;
                while (running) {
                    Map<String, Touched> burst = new HashMap<>();
                    if (notified(pg, POLL, burst)) {
                        settle(pg, burst);
                        wake(burst);
                    }
                    if (Duration.between(answered, Instant.now()).compareTo(config.wakeUpKeepalive()) >= 0) {
                        s.execute("select 1"); // a dead session errors here instead of staying silent for ever
                        answered = Instant.now();
                    }
                }
                s.execute("UNLISTEN *"); // back to the pool as it came
                session.setNetworkTimeout(Runnable::run, 0);
                session.setClientInfo("ApplicationName", "");
            } catch (SQLException e) {
                if (!running) {
                    return;
                }
                DeadConnections.dropFrom(dataSource);
                if (!reported) {
                    LOG.warnf("not listening for CRM changes (%s); retrying, and runs go on every"
                            + " doorsync.sync.interval meanwhile", e.getMessage());
                    reported = true;
                }
                if (!pause(wait)) {
                    return;
                }
                Duration doubled = wait.multipliedBy(2);
                wait = doubled.compareTo(MAX_RECONNECT_WAIT) > 0 ? MAX_RECONNECT_WAIT : doubled;
            }
        }
    }

    /** Adds what arrived within {@code within} to the burst, by CRM schema; whether anything did. */
    private boolean notified(PGConnection pg, Duration within, Map<String, Touched> burst) throws SQLException {
        PGNotification[] arrived = pg.getNotifications((int) within.toMillis());
        if (arrived == null || arrived.length == 0) {
            return false;
        }
        for (PGNotification n : arrived) {
            String schema = Touched.schemaOf(json, n.getParameter());
            burst.computeIfAbsent(schema == null ? config.schema() : schema, k -> new Touched(json))
                    .add(n.getParameter());
        }
        return true;
    }

    /** Waits until the CRM has been quiet for the debounce time (at most a second), so a burst is one run. */
    private void settle(PGConnection pg, Map<String, Touched> burst) throws SQLException {
        Instant deadline = Instant.now().plus(MAX_SETTLE);
        while (Instant.now().isBefore(deadline) && notified(pg, config.wakeUpDebounce(), burst)) {
            // more of the same burst
        }
    }

    /** The installation's own account runs for its schema's changes here; another account is woken where held. */
    private void wake(Map<String, Touched> burst) {
        burst.forEach((schema, touched) -> {
            if (!schema.equals(config.schema())) {
                accounts.withCrmSchema(schema).forEach(owners::nudge);
            }
        });
        Touched own = burst.get(config.schema());
        if (own != null) {
            owe(own);
        }
    }

    /**
     * A run already in progress (here or on another replica) may have read the CRM before this commit, so the
     * wake-up waits for its own run rather than counting on that one.
     */
    private void runUntilNotSkipped(Touched touched) {
        if (!lease.holdOrTake()) {
            return; // standing by: the writer replica runs for this commit (it listens too)
        }
        while (running && lease.isWriter() && (touched.members == null ? sync.runOnce("crm-change")
                : sync.runFor(touched.members, "crm-change")).outcome() == RunReport.Outcome.SKIPPED) {
            if (!pause(Duration.ofMillis(200))) {
                return;
            }
        }
    }

    private static boolean pause(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * What a burst of notifications touched: the members they named, or null for everyone (a payload naming a
     * table only, as the triggers send for teams, TRUNCATE and large statements, and an earlier trigger for all).
     */
    static final class Touched {
        private final ObjectMapper json;
        Set<String> members = new HashSet<>();

        Touched(ObjectMapper json) {
            this.json = json;
        }

        static Touched everyone(ObjectMapper json) {
            Touched t = new Touched(json);
            t.members = null;
            return t;
        }

        /** The CRM schema a payload names, or null (a payload from an earlier trigger: doorsync.crm.schema). */
        static String schemaOf(ObjectMapper json, String payload) {
            try {
                JsonNode schema = payload != null && payload.startsWith("{") ? json.readTree(payload).get("schema")
                        : null;
                return schema == null || !schema.isTextual() ? null : schema.asText();
            } catch (JsonProcessingException e) {
                return null;
            }
        }

        /** Adds what {@code other} touched: everyone if either is everyone. */
        void merge(Touched other) {
            if (members != null) {
                if (other.members == null) {
                    members = null;
                } else {
                    members.addAll(other.members);
                }
            }
        }

        void add(String payload) {
            if (members == null) {
                return;
            }
            try {
                JsonNode named = payload != null && payload.startsWith("{") ? json.readTree(payload).get("members")
                        : null;
                if (named == null || !named.isArray()) {
                    members = null;
                    return;
                }
                named.forEach(id -> members.add(id.asText()));
            } catch (JsonProcessingException e) {
                members = null; // not ours to read: plan everyone
            }
        }
    }
}
