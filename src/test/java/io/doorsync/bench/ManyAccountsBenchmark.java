package io.doorsync.bench;

import static io.doorsync.bench.BenchReport.line;
import static io.doorsync.bench.BenchReport.machine;
import static io.doorsync.bench.BenchReport.percentiles;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.doorsync.packaging.Installation;
import io.doorsync.packaging.SimulatorProcess;

/**
 * Many accounts over replicas (docs/performance.md): {@code ./mvnw verify -Pbench -Dit.test=ManyAccountsBenchmark}.
 * For each number of replicas, a throwaway database and a simulator hosting the accounts (each its own API key, CRM
 * schema with the wake-up triggers, and DoorFlow latency per call), doorsync's production build as that many
 * processes, as deploy/k8s runs it (30 s interval, default heartbeats), and it prints:
 * <ul>
 * <li>how long until every account's members are all linked, from empty (processes started at once);</li>
 * <li>DoorFlow calls in an idle minute, all accounts together;</li>
 * <li>CRM commit → DoorFlow, p50 and p95, over commits in random accounts;</li>
 * <li>with more than one replica, {@code kill -9} of the replica holding an account → a change in it in DoorFlow.</li>
 * </ul>
 * Settings: {@code bench.accounts} (100), {@code bench.account-members} (1000), {@code bench.replicas} (1,2,3),
 * {@code bench.latency-ms} (20), {@code bench.commit-samples} (20), {@code bench.idle-minutes} (1).
 */
class ManyAccountsBenchmark {

    private static final Duration PATIENCE = Duration.ofMinutes(30);

    private final int accounts = Integer.getInteger("bench.accounts", 100);
    private final int members = Integer.getInteger("bench.account-members", 1000);
    private final long latencyMs = Long.getLong("bench.latency-ms", 20);

    @Test
    void manyAccountsOverReplicas() throws Exception {
        line("many accounts: %d accounts x %d members, DoorFlow latency %d ms per call; %s", accounts, members,
                latencyMs, machine());
        for (String replicas : System.getProperty("bench.replicas", "1,2,3").split(",")) {
            measure(Integer.parseInt(replicas.trim()));
        }
    }

    private void measure(int replicas) throws Exception {
        List<Installation> processes = new ArrayList<>();
        try (SimulatorProcess doorflow = SimulatorProcess.start()) {
            String latency = "{\"rules\": [{\"route\": \"GET *\", \"latency_ms\": " + latencyMs + "}, {\"route\":"
                    + " \"WRITE *\", \"latency_ms\": " + latencyMs + "}]}";
            Installation first = new Installation(doorflow.baseUrl()).with("DOORSYNC_DOORFLOW_API_KEY", "")
                    .with("DOORSYNC_SYNC_INTERVAL", "30s");
            processes.add(first);
            String trigger;
            try (InputStream ddl = getClass().getResourceAsStream("/crm/wake-ups/notify-trigger.sql")) {
                trigger = new String(ddl.readAllBytes(), StandardCharsets.UTF_8);
            }
            for (int a = 1; a <= accounts; a++) {
                String schema = "crm_a" + a;
                doorflow.addAccount("acc_" + a, "key-" + a);
                doorflow.setFaults(latency, "acc_" + a);
                first.crmSchema(schema).sql(trigger.replace("${crm_schema}", schema));
                first.sql("insert into " + schema + ".members (id, email, first_name, last_name) select 'B' || i, 'b'"
                        + " || i || '@a" + a + ".bench', 'First', 'Last' || i from generate_series(1, " + members
                        + ") i");
                first.with("DOORSYNC_ACCOUNTS_A" + a + "_CRM_SCHEMA", schema)
                        .with("DOORSYNC_ACCOUNTS_A" + a + "_DOORFLOW_API_KEY", "key-" + a);
            }
            for (int r = 1; r < replicas; r++) {
                processes.add(Installation.replicaOf(first));
            }
            Instant started = Instant.now();
            for (Installation process : processes) {
                process.start();
            }
            for (Installation process : processes) {
                waitUntil("a replica started", () -> process.lines().stream().anyMatch(l -> l.contains("started in")));
            }
            long all = (long) accounts * members;
            waitUntil("every account converged", () -> first.count("select count(*) from doorsync.person_link") == all);
            double converge = Duration.between(started, Instant.now()).toMillis() / 1000.0;

            Thread.sleep(35_000); // the first ticks after the first syncs
            for (int a = 1; a <= accounts; a++) {
                doorflow.calls("acc_" + a, true);
            }
            int minutes = Integer.getInteger("bench.idle-minutes", 1);
            Thread.sleep(minutes * 60_000L);
            long idle = 0;
            for (int a = 1; a <= accounts; a++) {
                idle += doorflow.calls("acc_" + a, false);
            }

            Random random = new Random(25);
            List<Double> commits = new ArrayList<>();
            for (int k = 0; k < Integer.getInteger("bench.commit-samples", 20); k++) {
                commits.add(commitToDoorFlow(first, doorflow, 1 + random.nextInt(accounts), 1 + random.nextInt(members),
                        "C" + k));
                Thread.sleep(300 + random.nextInt(700));
            }
            String failover = "";
            if (replicas > 1) {
                // a1 may be between holders for a moment (offered back every hold): wait until one holds it.
                String picked = "select picked_by from doorsync.scheduled_tasks where task_instance = 'a1' and picked";
                BenchReport.waitUntil("a1 held", () -> first.text(picked) != null, Duration.ofSeconds(60),
                        Duration.ofMillis(200));
                String holder = first.text(picked);
                Installation victim = processes.stream().filter(p -> holder.contains("-" + p.process().pid() + "-"))
                        .findFirst().orElseThrow();
                Installation survivor = processes.stream().filter(p -> p != victim).findFirst().orElseThrow();
                Instant killed = Instant.now();
                victimKill(victim);
                double seconds = commitToDoorFlow(survivor, doorflow, 1, 1, "Failover");
                failover = "; kill -9 of a1's replica -> a1's change in DoorFlow %.1f s (%.1f s after the commit)"
                        .formatted(Duration.between(killed, Instant.now()).toMillis() / 1000.0, seconds);
            }
            line("%d replica(s): converged from empty in %.1f s; %.0f DoorFlow calls an idle minute (%.2f per account);"
                    + " CRM commit -> DoorFlow %s%s", replicas, converge, idle / (double) minutes,
                    idle / (double) minutes / accounts, percentiles(commits), failover);
        } finally {
            for (int i = processes.size() - 1; i >= 0; i--) {
                processes.get(i).close();
            }
        }
    }

    private static void victimKill(Installation victim) {
        victim.process().destroyForcibly();
        victim.process().onExit().join();
    }

    private static double commitToDoorFlow(Installation doorsync, SimulatorProcess doorflow, int account, int member,
            String lastName) throws InterruptedException {
        doorsync.sql("update crm_a" + account + ".members set last_name = '" + lastName + "' where id = 'B" + member
                + "'");
        long committed = System.nanoTime();
        while (System.nanoTime() - committed < Duration.ofMinutes(5).toNanos()) {
            if (doorflow.people("key-" + account, "crm:B" + member).stream()
                    .anyMatch(p -> lastName.equals(p.path("last_name").asText()))) {
                return (System.nanoTime() - committed) / 1e9;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("a" + account + "/B" + member + " did not reach DoorFlow within 5 minutes");
    }

    private static void waitUntil(String what, java.util.function.BooleanSupplier condition)
            throws InterruptedException {
        BenchReport.waitUntil(what, condition, PATIENCE, Duration.ofMillis(500));
    }
}
