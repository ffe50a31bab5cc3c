package io.doorsync.run.triggers;

import static io.doorsync.support.TestWorld.HOT;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import io.doorsync.demo.DemoCrm;
import io.doorsync.run.SyncRunner;
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

    @Inject
    SyncRunner sync;

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
        world.sql("drop function if exists crm.doorsync_notify() cascade");
        world.sql("drop function if exists crm.doorsync_notify_members() cascade");
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

    @Test
    void aListeningSessionThatStopsAnsweringIsReplacedAndWhatWasCommittedMeanwhileIsSynced() throws Exception {
        List<Object> stuck = listeners();
        assertThat(stuck).as("doorsync's listening session").hasSize(1);
        String pid = String.valueOf(stuck.get(0));
        // A backend that stops answering while its socket stays open: what a failover can leave behind. Needs the
        // database on this machine (as in CI, where the tests run as root beside PostgreSQL).
        Assumptions.assumeTrue(Files.readString(Path.of("/proc", pid, "comm")).startsWith("postgres"),
                "the test database's backends are processes of this machine");
        signal("STOP", pid);
        try {
            world.member("M1", "ada@example.com", "hot"); // announced to a session that never reads it

            await("listening again, on a new session", () -> listeners().stream().anyMatch(p -> !p.equals(stuck.get(0))));
            await("M1 in DoorFlow after the session was replaced", () -> hasPerson("M1"));
        } finally {
            signal("CONT", pid);
            world.rows("select pg_terminate_backend(?)", stuck.get(0));
        }
    }

    private static void signal(String signal, String pid) throws Exception {
        assertThat(new ProcessBuilder("kill", "-" + signal, pid).inheritIO().start().waitFor()).isZero();
    }

    @Test
    void aCommitOnSomeMembersPlansThemOnlyAndATeamChangePlansEveryone() {
        world.member("M1", "ada@example.com", "hot").member("M2", "grace@example.com", "hot");
        await("M1 and M2 in DoorFlow", () -> hasPerson("M1") && hasPerson("M2"));
        awaitQuiet();
        sync.runOnce("test"); // reads back what the creations wrote, so the next run's DoorFlow side is quiet

        long beforeTheName = runs();
        world.sql("update crm.members set last_name = 'Byron' where id = 'M1'");
        await("the new name in DoorFlow", () -> "Byron".equals(world.person("M1").path("last_name").asText()));
        awaitQuiet();
        List<String> messages = messagesSince(beforeTheName);
        assertThat(messages).as("the runs the commit started").isNotEmpty()
                .allMatch(m -> m.contains("; planned for ") && m.contains("1 named by the CRM"));
        assertThat(messages.get(0)).as("the run of M1 plans M1 alone")
                .contains("1 changes planned, 1 applied, 0 failed, 0 unchanged")
                .contains("planned for 1 members (1 named by the CRM, 0 DoorFlow people changed)");

        long before = runs();
        world.sql("update crm.teams set name = 'Hot desks' where id = 'hot'");
        await("a run after the team change", () -> runs() > before);
        awaitQuiet();
        assertThat(messagesSince(before)).as("a team decides the groups of all its members: everyone is planned")
                .isNotEmpty().noneMatch(m -> m.contains("planned for"));
    }

    @Test
    void theRevocationGuardWeighsAPlanOfSomeMembersAgainstEveryoneWithAccess() {
        // 60 people with access: the limit is max(10, 20 % of 60) = 12. Against the 11 planned it would be 10.
        world.sql("insert into crm.members (id, email, first_name, last_name, status) select 'M' || g, 'm' || g"
                + " || '@example.com', 'Member', 'No ' || g, 'active' from generate_series(1, 60) g");
        world.sql("insert into crm.team_members (team_id, member_id) select 'hot', 'M' || g"
                + " from generate_series(1, 60) g");
        await("60 people in DoorFlow", () -> doorflow.people().size() == 60);
        awaitQuiet();
        sync.runOnce("test"); // reads back what the creations wrote: the next run plans the 11 alone

        long before = runs();
        world.sql("update crm.members set status = 'cancelled' where id in (select 'M' || g from"
                + " generate_series(1, 11) g)");
        await("the 11 disabled", () -> doorflow.people().stream().filter(p -> !p.path("enabled").asBoolean())
                .count() == 11);
        awaitQuiet();
        assertThat(world.rows("select outcome, message from doorsync.sync_run order by id offset ?", before))
                .as("the runs of the 11").isNotEmpty().noneMatch(r -> "held".equals(r.get("outcome")))
                .anyMatch(r -> ((String) r.get("message")).contains("planned for 11 members"));
    }

    @Test
    void statementsOfManyUuidIdsCommitAndWakeARunOfEveryone() {
        for (int rows : new int[] { 300, 10_000 }) { // 300 UUIDs are 11,700 bytes: once more than PostgreSQL takes
            long before = runs();
            // Leavers never synced (the run has nothing to write), with ids too long or too many to name.
            int inserted = world.sql("insert into crm.members (id, first_name, last_name, status) select"
                    + " gen_random_uuid()::text, 'Member', 'No ' || g, 'cancelled' from generate_series(1, ?) g", rows);

            assertThat(inserted).as("the CRM's statement of %d rows commits", rows).isEqualTo(rows);
            await("a run after the statement", () -> runs() > before);
            awaitQuiet();
            assertThat(messagesSince(before)).as("too long to name: everyone is planned").isNotEmpty()
                    .noneMatch(m -> m.contains("planned for"));
        }
    }

    @Test
    void aPayloadNamesTheMembersUpTo7000BytesAndTheTableBeyond() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("listen " + CrmWakeUps.CHANNEL);
            PGConnection pg = c.unwrap(PGConnection.class);
            List<String> atTheCap = idsOf(c, "A", 7_000);
            assertThat(notified(c, pg, atTheCap)).as("exactly 7,000 bytes: named").startsWith("{").hasSize(7_000)
                    .contains(atTheCap.get(0), atTheCap.get(29));
            assertThat(notified(c, pg, idsOf(c, "B", 7_001))).as("7,001 bytes: the table").isEqualTo(TABLE_ONLY);
            List<String> accented = new ArrayList<>();
            for (int i = 0; i < 21; i++) {
                accented.add("C" + i + "é".repeat(170));
            }
            assertThat(payloadBytes(c, accented)).as("over 7,000 bytes").isGreaterThan(7_000);
            assertThat(String.join("", accented).length()).as("but under 7,000 characters").isLessThan(4_000);
            assertThat(notified(c, pg, accented)).as("counted in bytes, not characters").isEqualTo(TABLE_ONLY);
            s.execute("unlisten *"); // the connection goes back to the pool
        }
    }

    /** The payload naming the schema and table alone (the run plans everyone). */
    private static final String TABLE_ONLY = "{\"schema\" : \"crm\", \"table\" : \"members\"}";

    /** 30 ids starting with {@code prefix} whose payload, as PostgreSQL would write it, is {@code bytes} long. */
    private static List<String> idsOf(Connection c, String prefix, int bytes) throws SQLException {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ids.add(prefix + i + "-" + "x".repeat(200));
        }
        ids.set(29, ids.get(29) + "x".repeat(bytes - payloadBytes(c, ids))); // one ASCII character, one byte
        assertThat(payloadBytes(c, ids)).isEqualTo(bytes);
        return ids;
    }

    /** The payload's length in bytes if the trigger named these ids, as PostgreSQL builds it. */
    private static int payloadBytes(Connection c, List<String> ids) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select octet_length(json_build_object('schema', 'crm',"
                + " 'table', 'members', 'members', ?::text[])::text)")) {
            ps.setArray(1, c.createArrayOf("text", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Inserts members with these ids in one statement (it must commit); returns the one payload it notified. */
    private static String notified(Connection c, PGConnection pg, List<String> ids) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into crm.members (id, first_name, last_name, status)"
                + " select unnest(?::text[]), 'Member', 'Edge', 'cancelled'")) {
            ps.setArray(1, c.createArrayOf("text", ids.toArray()));
            assertThat(ps.executeUpdate()).isEqualTo(ids.size());
        }
        PGNotification[] arrived = pg.getNotifications(5_000);
        assertThat(arrived).as("one notification for the statement").hasSize(1);
        return arrived[0].getParameter();
    }

    /** Waits until no run has started for a second and a half (a wake-up owed to the last commit has run). */
    private void awaitQuiet() {
        long seen = -1;
        while (seen != runs()) {
            seen = runs();
            try {
                Thread.sleep(1_500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private List<String> messagesSince(long runsBefore) {
        return world.rows("select message from doorsync.sync_run order by id offset ?", runsBefore).stream()
                .map(r -> (String) r.get("message")).toList();
    }

    private List<Object> listeners() {
        return world.rows("select pid from pg_stat_activity where application_name = ? and datname ="
                + " current_database()", CrmWakeUps.APPLICATION_NAME).stream().map(r -> r.get("pid")).toList();
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
