package io.doorsync.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.doorsync.support.CrmRows;

/**
 * Three production processes on one database keeping 20 DoorFlow accounts (on the simulator, each with its own
 * API key and CRM schema, with the wake-up triggers) besides the installation's own: every account converges, an
 * account's runs never overlap and nobody is made twice; the accounts are spread evenly over the replicas; a CRM
 * change in any account reaches DoorFlow through its wake-up (the interval is ten minutes), on whichever replica
 * holds it; {@code kill -9} of the replica holding the most moves its accounts to the others, where a CRM change
 * reaches DoorFlow within a minute.
 */
class ManyAccountsIT {

    private static final int ACCOUNTS = 20;
    private static final int MEMBERS = 3;

    private SimulatorProcess doorflow;
    private final List<Installation> replicas = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        assertThat(Installation.APP).as("the packaged production build (run by ./mvnw verify after package)").exists();
        doorflow = SimulatorProcess.start();
        Installation first = new Installation(doorflow.baseUrl())
                .with("DOORSYNC_SYNC_OWNERS_HEARTBEAT", "1s").with("DOORSYNC_SYNC_OWNERS_POLL", "500ms")
                .with("DOORSYNC_SYNC_OWNERS_HOLD", "10s").with("DOORSYNC_SYNC_INTERVAL", "10m");
        String trigger;
        try (InputStream ddl = getClass().getResourceAsStream("/crm/wake-ups/notify-trigger.sql")) {
            trigger = new String(ddl.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (int a = 1; a <= ACCOUNTS; a++) {
            String schema = "crm_a" + a;
            doorflow.addAccount("acc_" + a, "key-" + a);
            first.crmSchema(schema).sql(trigger.replace("${crm_schema}", schema));
            first.with("DOORSYNC_ACCOUNTS_A" + a + "_CRM_SCHEMA", schema)
                    .with("DOORSYNC_ACCOUNTS_A" + a + "_DOORFLOW_API_KEY", "key-" + a);
            for (int m = 1; m <= MEMBERS; m++) {
                CrmRows.member("M" + m, "m" + m + "@a" + a + ".example").insertInto(schema, first::sql);
            }
        }
        replicas.add(first);
        replicas.add(Installation.replicaOf(first));
        replicas.add(Installation.replicaOf(first));
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = replicas.size() - 1; i >= 0; i--) {
            replicas.get(i).close();
        }
        if (doorflow != null) {
            doorflow.close();
        }
    }

    @Test
    void everyAccountConvergesOnOneReplicaAtATimeAndMovesWhenItsReplicaDies() throws Exception {
        Instant started = Instant.now();
        for (Installation replica : replicas) {
            replica.start();
        }
        Installation any = replicas.get(0);
        any.await("every account converged", () -> convergedAccounts() == ACCOUNTS);
        System.out.printf("%d accounts x %d members converged on 3 replicas in %d ms%n", ACCOUNTS, MEMBERS,
                Duration.between(started, Instant.now()).toMillis());
        // Evenly: each holds a third, give or take one (an account or two is always between holders for a moment).
        any.await("the accounts spread evenly over the three replicas", () -> {
            Map<String, Integer> now = holders();
            return now.size() == 3 && now.values().stream()
                    .allMatch(n -> n >= ACCOUNTS / 3 - 1 && n <= (ACCOUNTS + 2) / 3 + 1);
        });
        System.out.println("accounts held per replica: " + holders());

        // A CRM change in any account wakes it where it is held: it reaches DoorFlow long before the next interval.
        for (int account : new int[] {3, 11, 19}) {
            Instant committed = Instant.now();
            any.sql("update crm_a" + account + ".members set last_name = 'Woken' where id = 'M2'");
            any.await("account a" + account + "'s change woken into DoorFlow", () -> doorflow.people("key-" + account,
                    "crm:M2").stream().anyMatch(p -> "Woken".equals(p.path("last_name").asText())));
            System.out.printf("a%d: CRM commit -> DoorFlow %d ms%n", account,
                    Duration.between(committed, Instant.now()).toMillis());
        }

        // kill -9 the replica holding the most; its accounts move, and a change in one of them reaches DoorFlow.
        Map<String, Integer> held = holders();
        String busiest = held.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        Installation victim = replicas.stream().filter(r -> busiest.contains("-" + r.process().pid() + "-"))
                .findFirst().orElseThrow();
        String moved = any.text("select task_instance from doorsync.scheduled_tasks where picked_by = '" + busiest
                + "' order by task_instance limit 1");
        int a = Integer.parseInt(moved.substring(1));
        victim.kill();
        Instant killed = Instant.now();
        Installation survivor = replicas.stream().filter(r -> r != victim).findFirst().orElseThrow();
        survivor.sql("update crm_a" + a + ".members set last_name = 'Moved' where id = 'M1'");
        survivor.await("account " + moved + " back in step after its replica died", () -> doorflow
                .people("key-" + a, "crm:M1").stream().anyMatch(p -> "Moved".equals(p.path("last_name").asText())));
        Duration failover = Duration.between(killed, Instant.now());
        System.out.printf("replica holding %d accounts killed; %s's CRM change reached DoorFlow %d ms later%n",
                held.get(busiest), moved, failover.toMillis());
        assertThat(failover).as("failover and the change").isLessThan(Duration.ofMinutes(1));
        survivor.await("its accounts held by the two left", () -> !holders().containsKey(busiest)
                && holders().values().stream().mapToInt(Integer::intValue).sum() == ACCOUNTS);

        assertThat(survivor.count("select count(*) from doorsync.sync_run a join doorsync.sync_run b on a.id < b.id"
                + " and a.account = b.account where a.started_at < b.finished_at and b.started_at < a.finished_at"))
                .as("runs of one account that overlapped").isZero();
        for (int account = 1; account <= ACCOUNTS; account++) {
            assertThat(doorflow.people("key-" + account, null).stream().map(p -> p.path("system_id").asText()))
                    .as("account %d's people", account).hasSize(MEMBERS).doesNotHaveDuplicates();
        }
    }

    /** How many accounts have exactly their members in DoorFlow, each once. */
    private int convergedAccounts() {
        int converged = 0;
        for (int a = 1; a <= ACCOUNTS; a++) {
            List<JsonNode> people = doorflow.people("key-" + a, null);
            String domain = "@a" + a + ".example";
            if (people.size() == MEMBERS && people.stream().allMatch(p -> p.path("email").asText().endsWith(domain))) {
                converged++;
            }
        }
        return converged;
    }

    /** Accounts held now, by replica (db-scheduler's picked executions). */
    private Map<String, Integer> holders() {
        Map<String, Integer> held = new TreeMap<>();
        for (Installation replica : replicas) {
            if (replica.isRunning()) {
                for (String name : replica.texts("select picked_by from doorsync.scheduled_tasks where picked")) {
                    held.merge(name, 1, Integer::sum);
                }
                return held;
            }
        }
        return held;
    }
}
