package io.doorsync.bench;

import static io.doorsync.bench.BenchReport.line;
import static io.doorsync.bench.BenchReport.machine;
import static io.doorsync.bench.BenchReport.percentiles;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.doorsync.packaging.Installation;
import io.doorsync.plan.Change;
import io.doorsync.plan.CredentialPolicy;
import io.doorsync.plan.CredentialType;
import io.doorsync.plan.CrmCredential;
import io.doorsync.plan.CrmMember;
import io.doorsync.plan.CrmTeam;
import io.doorsync.plan.DoorFlowCredential;
import io.doorsync.plan.DoorFlowPerson;
import io.doorsync.plan.LeavePolicy;
import io.doorsync.plan.Link;
import io.doorsync.plan.PersonSpec;
import io.doorsync.plan.Plan;
import io.doorsync.plan.PlanInput;
import io.doorsync.plan.Planner;
import io.doorsync.packaging.SimulatorProcess;

/**
 * The benchmark command ({@code ./mvnw verify -Pbench}, see docs/performance.md): doorsync's production
 * build and the simulator, each as its own process, on a throwaway database, with DoorFlow's latency simulated.
 * It prints figures and appends them to target/benchmark.txt. It asserts nothing about time: figures depend on
 * the machine, so they are read, not tested. Settings (system properties):
 * <ul>
 * <li>{@code bench.members}: account sizes, comma-separated (default 10000);</li>
 * <li>{@code bench.concurrency}: doorsync.sync.concurrency values, comma-separated (default 8);</li>
 * <li>{@code bench.latency-ms}: DoorFlow's latency on every call (default 20);</li>
 * <li>{@code bench.heap}: doorsync's -Xmx (default 256m);</li>
 * <li>{@code bench.planning-only}: only the planner's line, in this JVM (with {@code -DargLine=-Xmx256m} under
 * doorsync's heap);</li>
 * <li>{@code bench.wake-up-samples} / {@code bench.interval-samples}: CRM commit → DoorFlow samples with the
 * NOTIFY trigger (default 20) and without it at the default 30 s interval (default 4; 0 skips), measured at the
 * first size and concurrency only;</li>
 * <li>{@code bench.replica-samples}: as deploy/k8s ships it, one replica and then two: DoorFlow calls in an idle
 * minute (averaged over {@code bench.idle-minutes}, default 1) and that many CRM commit → DoorFlow samples each
 * (default 10; 0 skips), at the first size only.</li>
 * </ul>
 */
class SyncBenchmark {

    private static final Pattern WOKEN = Pattern.compile("read in (\\d+) ms .*planned \\d+ members .* in (\\d+) ms");
    private static final Pattern PLANNED = Pattern.compile("planned (?:everyone|\\d+ members).*? in (\\d+) ms");
    private static final Duration PATIENCE = Duration.ofHours(3);

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final long latencyMs = Long.getLong("bench.latency-ms", 20);
    private final String heap = System.getProperty("bench.heap", "256m");

    @Test
    void measure() throws Exception {
        line("doorsync benchmark, " + Instant.now() + "; machine: " + machine());
        line("DoorFlow simulated with " + latencyMs + " ms latency per call; doorsync heap -Xmx" + heap);
        boolean first = true;
        for (int members : list("bench.members", "10000")) {
            for (int concurrency : list("bench.concurrency", "8")) {
                measure(members, concurrency, first);
                first = false;
            }
        }
    }

    private void measure(int members, int concurrency, boolean withLatencies) throws Exception {
        line("");
        planning(members);
        if (Boolean.getBoolean("bench.planning-only")) {
            return;
        }
        line("== " + members + " members (each in one team, with a key card), concurrency " + concurrency);
        List<String> doorsyncLog = new ArrayList<>();
        try (SimulatorProcess doorflow = SimulatorProcess.start();
                Installation doorsync = new Installation(doorflow.baseUrl())) {
            doorsyncLog = doorsync.log;
            doorflow.setFaults("{\"rules\": [{\"route\": \"GET *\", \"latency_ms\": " + latencyMs + "},"
                    + " {\"route\": \"WRITE *\", \"latency_ms\": " + latencyMs + "}]}");
            populate(doorsync, members);
            doorsync.with("JAVA_TOOL_OPTIONS", "-Xmx" + heap).with("DOORSYNC_SYNC_INTERVAL", "1h")
                    .with("DOORSYNC_SYNC_CONCURRENCY", String.valueOf(concurrency))
                    .with("DOORSYNC_ADMIN_PASSWORD", "bench")
                    .with("QUARKUS_LOG_CATEGORY__IO_DOORSYNC_RUN__LEVEL", "DEBUG");
            clearCalls(doorflow);
            doorsync.start();

            // The first sync starts as doorsync does.
            waitUntil("the first run starts", () -> runsStarted(doorsync) > 0);
            long cpuAtStart = cpuMillis(doorsync);
            waitUntil("the first run finishes", () -> doorsync.finishedRuns() > 0);
            long cpu = cpuMillis(doorsync) - cpuAtStart;
            Map<String, Integer> calls = calls(doorflow);
            int writes = writes(calls);
            double seconds = doorsync.count("select (extract(epoch from finished_at - started_at) * 1000)::bigint"
                    + " from doorsync.sync_run order by id limit 1") / 1000.0;
            double bound = writes * latencyMs / 1000.0 / concurrency;
            line("first sync: %.1f s, %s: %s; %d calls (%d writes); bound writes x latency / concurrency = %.1f s,"
                    + " ratio %s; doorsync CPU %.2f ms per write", seconds, doorsync.text("select outcome from"
                            + " doorsync.sync_run order by id limit 1"), doorsync.text("select message from"
                                    + " doorsync.sync_run order by id limit 1"), total(calls), writes, bound,
                    bound > 0 ? "%.2f".formatted(seconds / bound) : "none (no latency)",
                    (double) cpu / Math.max(1, writes));
            line("  calls: " + calls);
            memory(doorsync, "after the first sync");

            // A run reads back what the run before it wrote, and re-lists what changed within the overlap.
            Thread.sleep(11_000); // past doorsync.doorflow.since-overlap
            run(doorsync, doorflow, "read-back run (what the first sync wrote)");
            run(doorsync, doorflow, "idle run");
            doorsync.sql("update crm.members set last_name = 'Changed' where id = 'B1'");
            run(doorsync, doorflow, "one change");
            run(doorsync, doorflow, "  its read-back run");
            doorsync.sql("update crm.members set status = 'cancelled' where substr(id, 2)::int % 100 = 0");
            run(doorsync, doorflow, "1 % cancelled");
            run(doorsync, doorflow, "  its read-back run");
            run(doorsync, doorflow, "idle run");

            if (withLatencies) {
                latencies(doorsync, doorflow, members);
            }
            memory(doorsync, "at the end");
        } finally {
            // doorsync's own log, to read what happened (on failure above all).
            Files.write(Path.of("target", "bench-doorsync-" + members + "-" + concurrency + ".log"),
                    List.copyOf(doorsyncLog));
        }
    }

    private static void populate(Installation doorsync, int members) {
        doorsync.sql("insert into crm.members (id, email, first_name, last_name) select 'B' || i,"
                + " 'b' || i || '@bench.test', 'First', 'Last' || i from generate_series(1, " + members + ") i");
        doorsync.sql("insert into crm.team_members (team_id, member_id) select 'hot-desk', 'B' || i"
                + " from generate_series(1, " + members + ") i");
        doorsync.sql("insert into crm.member_credentials (member_id, credential_type, value) select 'B' || i,"
                + " 'card', (50000000 + i)::text from generate_series(1, " + members + ") i");
    }

    /**
     * The planner alone, in this JVM: a converged account of {@code members} (each linked with a key card,
     * DoorFlow as applied), planned 8 times; the first plans warm the JIT up, as a long-running doorsync's have.
     * The heap is this JVM's ({@code -DargLine=-Xmx256m} caps it as doorsync's is).
     */
    private void planning(int members) throws IOException {
        List<CrmMember> crm = new ArrayList<>();
        List<CrmCredential> cards = new ArrayList<>();
        for (int i = 1; i <= members; i++) {
            crm.add(new CrmMember("B" + i, "b" + i + "@bench.test", "First", "Last" + i, null, null, null, "active",
                    null, null, Set.of("hot-desk")));
            cards.add(new CrmCredential("B" + i, "card", String.valueOf(50_000_000 + i)));
        }
        List<CrmTeam> teams = List.of(new CrmTeam("hot-desk", "Hot desk", 101L));
        List<CredentialType> types = List.of(new CredentialType(1, "card"));
        CredentialPolicy policy = new CredentialPolicy(Set.of("card"), Set.of());
        Plan creations = Planner.plan(new PlanInput(crm, teams, Map.of(), List.of(), Set.of(101L), "crm",
                LeavePolicy.DISABLE, new PlanInput.Credentials(cards, types, List.of(), policy)));
        Map<String, Link> links = new HashMap<>();
        List<DoorFlowPerson> people = new ArrayList<>();
        List<DoorFlowCredential> held = new ArrayList<>();
        long id = 1;
        for (Change change : creations.changes()) {
            Change.CreatePerson c = (Change.CreatePerson) change;
            PersonSpec s = c.spec();
            links.put(c.memberId(), new Link(c.memberId(), id, c.hash(), s.groupIds(), Map.of()));
            people.add(new DoorFlowPerson(id, s.systemId(), s.texts(), s.validFrom(), s.validTo(), s.enabled(),
                    s.groupIds()));
            held.add(new DoorFlowCredential("k" + id, id, 1,
                    String.valueOf(50_000_000 + Integer.parseInt(c.memberId().substring(1))), null));
            id++;
        }
        PlanInput converged = new PlanInput(crm, teams, links, people, Set.of(101L), "crm", LeavePolicy.DISABLE,
                new PlanInput.Credentials(cards, types, held, policy));
        creations = null; // as in doorsync, only the input is live while it plans
        List<Double> seconds = new ArrayList<>();
        int unchanged = 0;
        for (int round = 0; round < 8; round++) {
            long started = System.nanoTime();
            unchanged = Planner.plan(converged).unchanged();
            seconds.add((System.nanoTime() - started) / 1e9);
        }
        List<Double> warm = new ArrayList<>(seconds.subList(3, seconds.size()));
        Collections.sort(warm);
        line("planning %d converged members with a card each (the pure function, this JVM, max heap %d MiB): first"
                + " %.2f s, warm median %.2f s, max %.2f s; %d unchanged", members,
                Runtime.getRuntime().maxMemory() / 1048576, seconds.get(0), warm.get(warm.size() / 2),
                warm.get(warm.size() - 1), unchanged);
    }

    /** Runs started so far; none while doorsync's schema does not exist yet (Flyway runs at its start). */
    private static long runsStarted(Installation doorsync) {
        try {
            return doorsync.count("select count(*) from doorsync.sync_run");
        } catch (IllegalStateException notYet) {
            return 0;
        }
    }

    /** One run through the admin API: its time, calls and planning time. */
    private void run(Installation doorsync, SimulatorProcess doorflow, String what) throws Exception {
        clearCalls(doorflow);
        long started = System.nanoTime();
        JsonNode report = post(doorsync, "/admin/api/sync");
        double seconds = (System.nanoTime() - started) / 1e9;
        Map<String, Integer> calls = calls(doorflow);
        line("%s: %.2f s, %s, %s; %d calls: %s; planned in %s ms", what, seconds, report.path("outcome").asText(),
                report.path("message").asText(), total(calls), calls, lastPlanningMillis(doorsync));
    }

    /** CRM commit → the change in DoorFlow, with the NOTIFY trigger and then at the default interval without it. */
    private void latencies(Installation doorsync, SimulatorProcess doorflow, int members) throws Exception {
        String trigger;
        try (InputStream in = getClass().getResourceAsStream("/crm/wake-ups/notify-trigger.sql")) {
            trigger = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("${crm_schema}", "crm");
        }
        doorsync.sql(trigger);
        Random random = new Random(7);
        List<Double> withTrigger = new ArrayList<>();
        for (int k = 0; k < Integer.getInteger("bench.wake-up-samples", 20); k++) {
            withTrigger.add(commitToDoorFlow(doorsync, doorflow, 2 + random.nextInt(members - 1), "Wake" + k));
            Thread.sleep(300 + random.nextInt(700));
        }
        line("CRM commit -> DoorFlow with the trigger: %s", percentiles(withTrigger));
        List<Double> reads = new ArrayList<>();
        List<Double> plans = new ArrayList<>();
        for (String l : List.copyOf(doorsync.log)) {
            Matcher m = WOKEN.matcher(l);
            if (m.find()) {
                reads.add(Long.parseLong(m.group(1)) / 1000.0);
                plans.add(Long.parseLong(m.group(2)) / 1000.0);
            }
        }
        if (!reads.isEmpty()) {
            line("  the wake-ups' runs of the members named: reading %s; planning %s", percentiles(reads),
                    percentiles(plans));
        }

        replicas(doorsync, doorflow, members, random);

        int samples = Integer.getInteger("bench.interval-samples", 4);
        if (samples == 0) {
            return;
        }
        doorsync.sql("drop function crm.doorsync_notify() cascade");
        doorsync.sql("drop function crm.doorsync_notify_members() cascade");
        doorsync.stop();
        doorsync.with("DOORSYNC_SYNC_INTERVAL", "30s").with("DOORSYNC_SYNC_INITIAL_DELAY", "0s");
        long before = doorsync.finishedRuns();
        doorsync.start();
        waitUntil("the restarted doorsync's first run", () -> doorsync.finishedRuns() > before);
        List<Double> withoutTrigger = new ArrayList<>();
        for (int k = 0; k < samples; k++) {
            Thread.sleep(random.nextInt(30_000)); // a commit at any moment of the interval
            withoutTrigger.add(commitToDoorFlow(doorsync, doorflow, 2 + random.nextInt(members - 1), "Tick" + k));
        }
        line("CRM commit -> DoorFlow without the trigger (30 s interval): %s", percentiles(withoutTrigger));
    }

    /**
     * As deploy/k8s ships it (the 30 s interval, the wake-up triggers), one replica and then two on the same
     * database: DoorFlow calls in an idle minute, and CRM commit -> DoorFlow. {@code bench.replica-samples}
     * (default 10; 0 skips) commits each.
     */
    private void replicas(Installation doorsync, SimulatorProcess doorflow, int members, Random random)
            throws Exception {
        int samples = Integer.getInteger("bench.replica-samples", 10);
        if (samples == 0) {
            return;
        }
        doorsync.stop();
        doorsync.with("DOORSYNC_SYNC_INTERVAL", "30s").with("DOORSYNC_SYNC_INITIAL_DELAY", "0s");
        long before = doorsync.finishedRuns();
        doorsync.start();
        waitUntil("the restarted doorsync's first run", () -> doorsync.finishedRuns() > before);
        replicaFigures("one replica", doorsync, doorflow, members, random, samples);
        try (Installation second = Installation.replicaOf(doorsync)) {
            second.start();
            waitUntil("the second replica started", () -> second.lines().stream().anyMatch(l -> l.contains("started in")));
            Thread.sleep(5_000); // its first tick and standby poll
            replicaFigures("two replicas", doorsync, doorflow, members, random, samples);
        }
    }

    private void replicaFigures(String replicas, Installation doorsync, SimulatorProcess doorflow, int members,
            Random random, int samples) throws Exception {
        int minutes = Integer.getInteger("bench.idle-minutes", 1); // a tick every 30 s: 2 or 3 of them a minute
        clearCalls(doorflow);
        Thread.sleep(minutes * 60_000L);
        double idle = total(calls(doorflow)) / (double) minutes;
        List<Double> latencies = new ArrayList<>();
        for (int k = 0; k < samples; k++) {
            latencies.add(commitToDoorFlow(doorsync, doorflow, 2 + random.nextInt(members - 1), "Rep" + k));
            Thread.sleep(300 + random.nextInt(700));
        }
        line("%s (30 s interval, with the trigger): %.1f DoorFlow calls an idle minute (over %d); CRM commit ->"
                + " DoorFlow %s", replicas, idle, minutes, percentiles(latencies));
    }

    private double commitToDoorFlow(Installation doorsync, SimulatorProcess doorflow, int member, String lastName)
            throws InterruptedException {
        doorsync.sql("update crm.members set last_name = '" + lastName + "' where id = 'B" + member + "'");
        long committed = System.nanoTime();
        while (System.nanoTime() - committed < Duration.ofMinutes(5).toNanos()) {
            List<JsonNode> people = doorflow.people("crm:B" + member);
            if (!people.isEmpty() && lastName.equals(people.get(0).path("last_name").asText())) {
                return (System.nanoTime() - committed) / 1e9;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("member B" + member + " did not reach DoorFlow within 5 minutes");
    }

    // ---- what the processes say ----

    private void memory(Installation doorsync, String when) throws Exception {
        String status = Files.readString(Path.of("/proc", String.valueOf(doorsync.process().pid()), "status"));
        double heapUsed = 0;
        String metrics = get(doorsync.managementUrl() + "/q/metrics");
        for (String l : metrics.split("\n")) {
            if (l.startsWith("jvm_memory_used_bytes{area=\"heap\"")) {
                heapUsed += Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1));
            }
        }
        line("memory %s: heap used %.0f MiB (of -Xmx%s), resident %s, peak resident %s", when, heapUsed / 1048576,
                heap, procField(status, "VmRSS"), procField(status, "VmHWM"));
    }

    private static String procField(String status, String field) {
        Matcher m = Pattern.compile(field + ":\\s+(\\d+) kB").matcher(status);
        return m.find() ? (Long.parseLong(m.group(1)) / 1024) + " MiB" : "?";
    }

    private static long cpuMillis(Installation doorsync) throws IOException {
        String[] stat = Files.readString(Path.of("/proc", String.valueOf(doorsync.process().pid()), "stat"))
                .replaceAll("^.*\\) ", "").split(" ");
        long ticks = Long.parseLong(stat[11]) + Long.parseLong(stat[12]); // utime + stime, fields 14 and 15
        return ticks * 10; // USER_HZ is 100 on Linux
    }

    private static String lastPlanningMillis(Installation doorsync) {
        String found = "?";
        for (String l : List.copyOf(doorsync.log)) {
            Matcher m = PLANNED.matcher(l);
            if (m.find()) {
                found = m.group(1);
            }
        }
        return found;
    }

    private Map<String, Integer> calls(SimulatorProcess doorflow) throws Exception {
        Map<String, Integer> calls = new TreeMap<>();
        json.readTree(get(doorflow.baseUrl() + "/_simulator/calls")).fields()
                .forEachRemaining(e -> calls.put(e.getKey(), e.getValue().asInt()));
        return calls;
    }

    private void clearCalls(SimulatorProcess doorflow) throws Exception {
        http.send(HttpRequest.newBuilder(URI.create(doorflow.baseUrl() + "/_simulator/calls")).DELETE().build(),
                HttpResponse.BodyHandlers.discarding());
    }

    private static int writes(Map<String, Integer> calls) {
        return calls.entrySet().stream().filter(e -> !e.getKey().startsWith("GET ")).mapToInt(Map.Entry::getValue)
                .sum();
    }

    private static int total(Map<String, Integer> calls) {
        return calls.values().stream().mapToInt(Integer::intValue).sum();
    }

    private String get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private JsonNode post(Installation doorsync, String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(doorsync.baseUrl() + path))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("admin:bench"
                        .getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.noBody()).timeout(PATIENCE).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
        }
        return json.readTree(response.body());
    }

    private static void waitUntil(String what, java.util.function.BooleanSupplier condition)
            throws InterruptedException {
        BenchReport.waitUntil(what, condition, PATIENCE, Duration.ofMillis(100));
    }

    private static List<Integer> list(String property, String fallback) {
        return Arrays.stream(System.getProperty(property, fallback).split(",")).map(String::trim)
                .map(Integer::valueOf).toList();
    }
}
