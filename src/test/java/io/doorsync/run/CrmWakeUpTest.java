package io.doorsync.run;

import static io.doorsync.support.TestWorld.HOT;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.doorsync.demo.DemoCrm;
import io.doorsync.simulator.DoorFlowSimulator;
import io.doorsync.support.PostgresAndSimulator;
import io.doorsync.support.TestWorld;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * With the optional NOTIFY triggers in the CRM, a committed change starts a run by itself (the scheduler is off
 * in the tests), a burst of commits is one or two runs, and a lost listening session is reconnected. The other
 * test classes run without the triggers, so nothing wakes a run behind their backs.
 */
@QuarkusTest
@WithTestResource(value = PostgresAndSimulator.class, scope = TestResourceScope.GLOBAL)
class CrmWakeUpTest {

    private static final Duration PATIENCE = Duration.ofSeconds(15);

    @Inject
    TestWorld world;

    DoorFlowSimulator doorflow;

    @Inject
    DataSource dataSource;

    @BeforeEach
    void installTheTriggers() {
        world.reset();
        doorflow = world.simulator();
        world.team("hot", HOT);
        // The shipped DDL, installed as the demo installs it (twice: the demo's restarts must not fail).
        DemoCrm.installWakeUps(dataSource, "crm");
        DemoCrm.installWakeUps(dataSource, "crm");
    }

    @AfterEach
    void dropTheTriggers() {
        for (String table : new String[] { "members", "teams", "team_members", "member_credentials",
                "member_photos" }) {
            world.sql("drop trigger if exists doorsync_notify on crm." + table);
        }
        world.sql("drop function if exists crm.doorsync_notify()");
    }

    @Test
    void aCommittedChangeStartsARunAndABurstIsNotARunPerCommit() throws InterruptedException {
        world.member("M1", "ada@example.com", "hot");

        await("M1 in DoorFlow without a tick or a call", () -> hasPerson("M1"));

        long runsBefore = runs();
        for (int i = 2; i <= 21; i++) {
            world.member("M" + i, "m" + i + "@example.com", "hot");
        }
        await("the burst in DoorFlow", () -> doorflow.people().size() == 21);
        Thread.sleep(1_500); // any run still owed to the burst would start within this
        assertThat(runs() - runsBefore).as("runs for 20 commits in a burst").isBetween(1L, 3L);
    }

    @Test
    void aLostListeningSessionIsReconnectedAndWhatWasCommittedMeanwhileIsSynced() {
        List<Object> killed = listeners();
        assertThat(killed).as("doorsync's listening session").hasSize(1);
        world.rows("select pg_terminate_backend(?)", killed.get(0));
        // Committed while nobody listens: announced to no one, so the reconnect must catch up by itself.
        world.member("M1", "ada@example.com", "hot");

        await("listening again, on a new session", () -> !listeners().isEmpty() && !listeners().equals(killed));
        await("M1 in DoorFlow after the reconnect", () -> hasPerson("M1"));
    }

    private List<Object> listeners() {
        return world.rows("select pid from pg_stat_activity where query = 'LISTEN " + CrmWakeUps.CHANNEL
                + "' and datname = current_database() and state <> 'terminated'").stream().map(r -> r.get("pid"))
                .toList();
    }

    private boolean hasPerson(String memberId) {
        return doorflow.people().stream().anyMatch(p -> ("crm:" + memberId).equals(p.path("system_id").asText()));
    }

    private long runs() {
        return ((Number) world.rows("select count(*) as n from doorsync.sync_run").get(0).get("n")).longValue();
    }

    private static void await(String what, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(PATIENCE);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as(what).isBefore(deadline);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
