package io.doorsync.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The production process stopped in the middle of a run: by SIGTERM (as Kubernetes stops a pod) the run stops
 * sending changes, records itself as interrupted and lets go of the lock; by SIGKILL (a crash) the run is left
 * open, and the next run closes it as interrupted. Either way the next runs finish the job without duplicates.
 */
class GracefulStopIT {

    private static final int MEMBERS = 40;

    private SimulatorProcess doorflow;
    private Installation doorsync;

    @BeforeEach
    void start() throws Exception {
        assertThat(Installation.APP).as("the packaged production build (run by ./mvnw verify after package)").exists();
        doorflow = SimulatorProcess.start();
        // Slow writes, so that a run is still writing when the signal comes.
        doorflow.setFaults("{\"seed\": 1, \"rules\": [{\"route\": \"WRITE *\", \"latency_ms\": 250}]}");
        doorsync = new Installation(doorflow.baseUrl()).with("DOORSYNC_SYNC_PUSH_TO_DOORS", "false");
        for (int i = 1; i <= MEMBERS; i++) {
            doorsync.member("S" + i, "s" + i + "@stop.example");
        }
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] { doorsync, doorflow }) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Test
    void aStoppedRunRecordsItselfAsInterruptedAndACrashedOneIsClosedByTheNextRun() throws Exception {
        doorsync.start();
        doorsync.await("doorsync started (its tables migrated)", this::started);
        doorsync.await("the first run writing", () -> created() >= 2);

        assertThat(doorsync.stop()).as("stopped within the bound").isTrue();

        assertThat(doorsync.text("select outcome || ': ' || message from doorsync.sync_run order by id limit 1"))
                .startsWith("interrupted: stopped writing: doorsync is stopping");
        assertThat(doorsync.count("select count(*) from doorsync.sync_run where finished_at is null")).isZero();
        assertThat(doorsync.count("select count(*) from doorsync.change_journal where outcome = 'skipped' and detail"
                + " = 'not attempted: doorsync is stopping'")).isPositive();
        assertThat(doorsync.count("select count(*) from pg_locks where locktype = 'advisory' and database = (select"
                + " oid from pg_database where datname = current_database())")).as("the lock let go").isZero();

        // A crash: the run in progress is left without an end ...
        long before = created();
        doorsync.log.clear();
        doorsync.start();
        doorsync.await("doorsync started again", this::started);
        doorsync.await("the next run writing", () -> created() >= before + 2);
        doorsync.kill();
        assertThat(doorsync.count("select count(*) from doorsync.sync_run where finished_at is null")).isEqualTo(1);

        // ... until the next run closes it as interrupted, and the job gets finished.
        doorsync.log.clear();
        doorsync.start();
        doorsync.await("every member in DoorFlow", () -> doorflow.managedPeople().size() == MEMBERS);
        doorsync.await("a run closed the crashed one", () -> doorsync.count("select count(*) from doorsync.sync_run"
                + " where outcome = 'interrupted' and message like '%closed by the next run'") == 1);
        assertThat(doorflow.managedPeople().stream().map(p -> p.get("system_id").asText())).doesNotHaveDuplicates();
        assertThat(doorsync.lines()).anyMatch(line -> line.contains("had no end (the process stopped during a run)"));
    }

    private boolean started() {
        return doorsync.lines().stream().anyMatch(line -> line.contains("started in"));
    }

    /** Seen in DoorFlow: the journal is written in batches, a second or a phase later. */
    private long created() {
        return doorflow.managedPeople().size();
    }
}
