package io.doorsync.run;

import static io.doorsync.support.TestWorld.HOT;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.doorsync.store.OutcomeBatch;
import io.doorsync.support.PostgresAndSimulator;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * One writer, really: a run that loses the database session holding the one-writer lock stops sending changes at
 * once; one whose own database fails stops when it next writes a batch of outcomes; the next run finishes the job
 * without a duplicate.
 */
@QuarkusTest
@WithTestResource(value = PostgresAndSimulator.class, scope = TestResourceScope.GLOBAL)
class OneWriterTest extends AgainstTheSimulator {

    private static final String CREATE = "POST /api/3/people";
    /** More than one batch of outcomes (OutcomeBatch.MAX_PENDING). */
    private static final int MEMBERS = 250;

    @BeforeEach
    void setUp() {
        world.team("hot", HOT);
        for (int i = 1; i <= MEMBERS; i++) {
            world.member("M" + i, "m" + i + "@example.com", "hot");
        }
    }

    @Test
    void aRunThatLosesTheLockSessionStopsWritingAndSaysSo() {
        // A failover, an idle timeout or a proxy ends the session that holds the advisory lock mid-run.
        doorflow.afterNext(CREATE, () -> world.rows("select pg_terminate_backend(pid) from pg_locks where locktype ="
                + " 'advisory' and database = (select oid from pg_database where datname = current_database())"));

        RunReport report = sync.runOnce("test");

        assertThat(report.outcome()).isEqualTo(RunReport.Outcome.FAILED);
        assertThat(report.message()).startsWith("stopped writing: the database connection holding the one-writer"
                + " lock was lost");
        assertThat(doorflow.calls(CREATE)).as("the creates already in flight at most").isLessThanOrEqualTo(inFlight());
        assertThat(world.rows("select detail from doorsync.change_journal where outcome = 'skipped'"))
                .hasSizeGreaterThanOrEqualTo(MEMBERS - inFlight()).allSatisfy(r -> assertThat((String) r.get("detail"))
                        .startsWith("not attempted: the database connection holding the one-writer lock was lost"));

        assertThat(sync.runOnce("test").outcome()).isEqualTo(RunReport.Outcome.SUCCESS);
        assertConvergedWithoutDuplicates();
    }

    @Test
    void whenRecordingAChangeFailsTheQueuedChangesAreNotSent() {
        doorflow.afterNext(CREATE, () -> world.sql("alter table doorsync.change_journal rename to change_journal_away"));
        try {
            RunReport report = sync.runOnce("test");

            assertThat(report.outcome()).isEqualTo(RunReport.Outcome.FAILED);
            assertThat(report.message()).startsWith("could not record a change outcome, so the changes after it were"
                    + " not sent");
            assertThat(doorflow.calls(CREATE)).as("one batch of outcomes and the creates in flight at most")
                    .isLessThanOrEqualTo(OutcomeBatch.MAX_PENDING + inFlight()).isLessThan(MEMBERS);
        } finally {
            world.sql("alter table doorsync.change_journal_away rename to change_journal");
        }

        assertThat(sync.runOnce("test").outcome()).isEqualTo(RunReport.Outcome.SUCCESS);
        assertConvergedWithoutDuplicates();
    }

    private void assertConvergedWithoutDuplicates() {
        List<String> systemIds = doorflow.people().stream().map(p -> p.get("system_id").asText()).toList();
        assertThat(systemIds).hasSize(MEMBERS).doesNotHaveDuplicates();
        assertThat(world.rows("select 1 from doorsync.person_link")).hasSize(MEMBERS);
    }
}
