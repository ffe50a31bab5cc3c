package io.doorsync.run;

import static io.doorsync.support.TestWorld.BIKES;
import static io.doorsync.support.TestWorld.FOB;
import static io.doorsync.support.TestWorld.HOT;
import static io.doorsync.support.TestWorld.LAB;
import static io.doorsync.support.TestWorld.OFFICE;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.StreamSupport;

import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.doorsync.Account;
import io.doorsync.doorflow.DoorFlowMirrors;
import io.doorsync.simulator.DoorFlowSimulator;
import io.doorsync.simulator.FaultRule;
import io.doorsync.support.OAuthFlow;
import io.doorsync.support.PostgresAndSimulator;
import io.doorsync.support.Profiles;
import io.doorsync.support.TestWorld;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Convergence, shown on generated scenarios. Each scenario starts from a random CRM and a few people made by
 * hand in DoorFlow, then goes through rounds of random CRM mutations (joins, leavers, returns, deleted rows,
 * team, email, name and credential changes, bad rows and their fixes), random hand edits in DoorFlow (to
 * unmanaged people: they must survive; to managed people: they must be repaired) and sync runs under random
 * faults (5xx, 429, resets, lost answers, on reads and writes). Then the faults stop and at most three runs
 * follow, after which DoorFlow must equal the model's f(CRM) for managed people, unmanaged people must be
 * exactly as the hand edits left them, bad rows must be quarantined, and no system_id or managed email may
 * appear twice. {@code -Ddoorsync.scenarios=N -Ddoorsync.seed=S} runs other or more scenarios; a failure names
 * the seed of its scenario and what happened in it. The figures of the last run are written to
 * target/reliability.txt. Listings come three people a page, and some hand deletes land between two pages of
 * one, so a listing can miss a person the way DoorFlow's offset pagination does. Some people made by hand are
 * walk-ins with a member's email: with the member's names they are adopted on their own, otherwise (or when
 * the member has credentials) an operator approves the adoption through the admin API between runs, so adoptions
 * meet every fault. The CRM's members relation is a view whose ids may repeat (a second membership row,
 * cancelled or active): such a member is quarantined, and loses its access when either row says so.
 */
@QuarkusTest
@TestProfile(Profiles.PageSize3.class)
@WithTestResource(value = PostgresAndSimulator.class, scope = TestResourceScope.GLOBAL)
class ConvergenceScenariosTest {

    private static final Logger LOG = Logger.getLogger(ConvergenceScenariosTest.class);
    private static final Map<String, Integer> FAULTS = new TreeMap<>();
    private static final Map<String, Long> FIGURES = new TreeMap<>();

    @Inject
    TestWorld world;

    @Inject
    SyncRunner sync;

    @Inject
    ScenarioSettings settings;

    @Inject
    DoorFlowMirrors mirrors;

    DoorFlowSimulator doorflow;
    /** The scenario deleted a managed person or credential by hand: only a full reconcile sees that. */
    private boolean handDeletes;
    /**
     * The scenario's runs are those CRM wake-ups start: each plans only the members whose rows changed since the
     * run before it (what the NOTIFY triggers name), and the settling runs name none at all. Otherwise every run
     * plans everyone, as the interval's do.
     */
    private boolean wakeUps;
    private Map<String, String> crmBefore = Map.of();
    /**
     * Walk-ins with a member's email, and each one's snapshot once the faults stop while it is still nobody's
     * (null once a member adopted it).
     */
    private final Map<Long, JsonNode> walkIns = new HashMap<>();

    @Test
    void generatedScenariosConvergeOnceTheFaultsStop() {
        FIGURES.put("seed", settings.seed());
        for (int i = 0; i < settings.scenarios(); i++) {
            long seed = settings.seed() + i;
            List<String> story = new ArrayList<>();
            try {
                List<String> divergences = scenario(new Random(seed), story);
                count(divergences);
                assertThat(divergences).as("scenario seed %d (rerun: -Ddoorsync.scenarios=1 -Ddoorsync.seed=%d)%s",
                        seed, seed, String.join("\n  ", story)).isEmpty();
            } catch (RuntimeException e) {
                throw new AssertionError("scenario seed " + seed + " (rerun: -Ddoorsync.scenarios=1 -Ddoorsync.seed="
                        + seed + ")" + String.join("\n  ", story), e);
            }
            FIGURES.merge("scenarios", 1L, Long::sum);
            doorflow.faultsInjected().forEach((kind, n) -> FAULTS.merge(kind, n, Integer::sum));
        }
    }

    @Test
    void aCrashAtEveryWritePositionIsMadeGoodByTheNextRun() {
        int writes = writesOfTheCrashScenario(0);
        assertThat(writes).as("the crash scenario writes enough to be worth crashing").isGreaterThan(10);
        for (int k = 1; k <= writes; k++) {
            List<String> story = new ArrayList<>();
            story.add("crash at write " + k + " of " + writes);
            writesOfTheCrashScenario(k);
            doorflow.crashAtWrite(0);
            sync.runOnce("test");
            List<String> divergences = divergences(crashModel, unmanagedAfterCrashSetUp);
            count(divergences);
            assertThat(divergences).as(String.join("\n  ", story)).isEmpty();
            FIGURES.merge("crash positions", 1L, Long::sum);
        }
    }

    /** Divergences and, among them, duplicates, for the figures (a failing run writes them too). */
    private static void count(List<String> divergences) {
        FIGURES.merge("divergences", (long) divergences.size(), Long::sum);
        FIGURES.merge("duplicates", divergences.stream().filter(d -> d.startsWith("duplicate")).count(), Long::sum);
    }

    @AfterAll
    static void writeFigures() throws IOException {
        StringBuilder out = new StringBuilder();
        FIGURES.forEach((k, v) -> out.append(k).append(' ').append(v).append('\n'));
        FAULTS.forEach((k, v) -> out.append("faults injected: ").append(k).append(' ').append(v).append('\n'));
        Files.writeString(Path.of("target", "reliability.txt"), out);
        LOG.info("reliability figures:\n" + out);
    }

    // ---- one generated scenario ----

    private List<String> scenario(Random random, List<String> story) {
        reset();
        wakeUps = random.nextBoolean();
        story.add(wakeUps ? "runs as wake-ups start them, for the members that changed" : "runs of everyone");
        CrmModel crm = new CrmModel(world, random);
        for (int n = 3 + random.nextInt(6); n > 0; n--) {
            story.add(crm.join(random.nextBoolean()));
            if (random.nextInt(3) == 0) {
                story.add(walkInFor(crm.last(), random));
            }
        }
        Map<Long, JsonNode> unmanaged = new HashMap<>();
        for (int n = random.nextInt(4); n > 0; n--) {
            long id = doorflow.addPerson(Map.of("first_name", "Walk" + n, "last_name", "In", "email",
                    "walk" + n + "@walkin.test", "group_ids", random.nextBoolean() ? List.of(HOT) : List.of(BIKES)));
            if (random.nextBoolean()) {
                doorflow.addCredential(id, FOB, "F-" + random.nextInt(1_000_000) + "-" + n);
            }
            unmanaged.put(id, null);
        }
        for (int round = 1 + random.nextInt(4); round > 0; round--) {
            for (int n = random.nextInt(4); n > 0; n--) {
                story.add(crm.mutate());
            }
            for (int n = random.nextInt(3); n > 0; n--) {
                story.add(handEdit(random, unmanaged.keySet()));
            }
            if (!unmanaged.isEmpty() && random.nextInt(3) == 0) {
                story.add(deleteWhileListed(random, unmanaged));
            }
            List<FaultRule> faults = random.nextInt(4) == 0 ? List.of() : randomFaults(random);
            doorflow.setFaults(faults, random.nextLong());
            story.add("faults " + faults);
            for (int runs = 1 + random.nextInt(2); runs > 0; runs--) {
                RunReport report = run();
                story.add("run: " + report.outcome().label() + ": " + report.message());
                FIGURES.merge("runs under faults", 1L, Long::sum);
                if (random.nextBoolean()) {
                    approveWaitingAdoptions(story);
                }
            }
        }
        doorflow.setFaults(List.of(), 0);
        unmanaged.replaceAll((id, before) -> snapshot(id));
        walkIns.replaceAll((id, before) -> doorflow.person(id) == null
                || doorflow.person(id).hasNonNull("system_id") ? null : snapshot(id));
        // Incremental runs must converge on their own, unless DoorFlow lost something by hand: a listing of
        // changed people does not show a deleted person or credential; the next full reconcile does.
        List<String> divergences = settle(crm, unmanaged, story);
        if (!divergences.isEmpty() && handDeletes) {
            story.add("full reconcile: " + divergences + " left after hand deletes");
            mirrors.of(Account.DEFAULT).reconcileFullyNextRun("the scenario deleted by hand");
            FIGURES.merge("scenarios settled by a full reconcile", 1L, Long::sum);
            divergences = settle(crm, unmanaged, story);
        }
        story.add("CRM at the end:" + crm.describe());
        return divergences;
    }

    /**
     * Up to three fault-free runs, until DoorFlow matches the model; an adoption waiting for approval after a run
     * is approved, as an operator would. Returns what still diverges.
     */
    private List<String> settle(CrmModel crm, Map<Long, JsonNode> unmanaged, List<String> story) {
        List<String> divergences = List.of();
        for (int run = 1; run <= 3; run++) {
            RunReport report = run();
            story.add("fault-free run " + run + ": " + report.outcome().label() + ": " + report.message());
            FIGURES.merge("fault-free runs", 1L, Long::sum);
            approveWaitingAdoptions(story); // then the next run adopts
            divergences = divergences(crm, unmanaged);
            if (divergences.isEmpty()) {
                break;
            }
        }
        return divergences;
    }

    /**
     * A walk-in made by hand with the member's email: with its names (adopted without an operator, unless the
     * member's credentials or a fob change hands) or another's (approved by an operator), in a managed or an
     * unmanaged group, sometimes with a fob doorsync does not manage.
     */
    private String walkInFor(CrmModel.Row member, Random random) {
        boolean sameNames = random.nextBoolean();
        long id = doorflow.addPerson(Map.of("first_name", sameNames ? member.firstName : "Walk", "last_name",
                sameNames ? member.lastName : "Other", "email", member.email, "group_ids",
                List.of(random.nextBoolean() ? HOT : BIKES)));
        if (random.nextInt(4) == 0) {
            doorflow.addCredential(id, FOB, "W-" + random.nextInt(1_000_000));
        }
        walkIns.put(id, null);
        FIGURES.merge("walk-ins with a member's email", 1L, Long::sum);
        return "walk-in " + id + " with " + member.id + "'s email" + (sameNames ? " and names" : "");
    }

    /** An operator approves, through the admin API, every adoption waiting for approval. */
    private void approveWaitingAdoptions(List<String> story) {
        for (Map<String, Object> waiting : world.rows("select member_id, reason from doorsync.quarantine where reason"
                + " like 'adoption needs approval: %'")) {
            String reason = (String) waiting.get("reason");
            String person = reason.substring(reason.indexOf('#') + 1, reason.indexOf(' ', reason.indexOf('#')));
            OAuthFlow.admin().post("/admin/api/adoptions/" + waiting.get("member_id") + "?personId=" + person).then()
                    .statusCode(204);
            story.add("operator approves " + waiting.get("member_id") + " adopting #" + person);
            FIGURES.merge("adoptions approved through the API", 1L, Long::sum);
        }
    }

    /** A run of everyone, or as a wake-up would start it: for the members whose CRM rows changed since the last. */
    private RunReport run() {
        Map<String, String> now = crmRows();
        Set<String> changed = new TreeSet<>();
        now.forEach((id, rows) -> {
            if (!rows.equals(crmBefore.get(id))) {
                changed.add(id);
            }
        });
        crmBefore.keySet().stream().filter(id -> !now.containsKey(id)).forEach(changed::add);
        crmBefore = now;
        return wakeUps ? sync.runFor(changed, "test") : sync.runOnce("test");
    }

    /** Each member's rows in the CRM (members, team_members, member_credentials), as one text per member. */
    private Map<String, String> crmRows() {
        Map<String, String> rows = new HashMap<>();
        world.rows("select id, string_agg(row, '|' order by row) as rows from (select id::text as id, 'm' || m::text"
                + " as row from crm.members m union all select member_id::text, 't' || team_id::text from"
                + " crm.team_members union all select member_id::text, 'c' || c::text from crm.member_credentials c)"
                + " x group by id").forEach(r -> rows.put((String) r.get("id"), (String) r.get("rows")));
        return rows;
    }

    private void reset() {
        handDeletes = false;
        crmBefore = Map.of();
        walkIns.clear();
        world.reset();
        membersAsAView();
        doorflow = world.simulator();
        doorflow.setMobileRevocationTime(Duration.ZERO, false);
        world.team("hot", HOT).team("office", OFFICE).team("lab", LAB).team("podcast", null);
    }

    /**
     * The CRM's members relation as a view over a table without a key, as a CRM joining memberships has it: the
     * view is updatable, so the model writes through it, and an id may appear twice. Put back after the test.
     */
    private void membersAsAView() {
        if (world.rows("select to_regclass('crm.member_rows') as t").get(0).get("t") == null) {
            world.sql("alter table crm.members drop constraint members_pkey");
            world.sql("alter table crm.members rename to member_rows");
            world.sql("create view crm.members as select * from crm.member_rows");
        }
    }

    @AfterEach
    void membersAsATableAgain() {
        if (world.rows("select to_regclass('crm.member_rows') as t").get(0).get("t") != null) {
            world.sql("drop view crm.members");
            world.sql("truncate crm.member_rows");
            world.sql("alter table crm.member_rows rename to members");
            world.sql("alter table crm.members add primary key (id)");
        }
    }

    private static List<FaultRule> randomFaults(Random random) {
        return List.of(
                FaultRule.on("GET *").withErrors(random.nextDouble() * 0.25, 500 + random.nextInt(4))
                        .withRateLimits(random.nextDouble() * 0.15, 0).withResets(random.nextDouble() * 0.1),
                FaultRule.on("WRITE *").withErrors(random.nextDouble() * 0.15, 503)
                        .withRateLimits(random.nextDouble() * 0.15, 0).withResets(random.nextDouble() * 0.1)
                        .withLostAnswers(random.nextDouble() * 0.2));
    }

    /**
     * A colleague deletes an unmanaged person right after DoorFlow answers the first page of the next run's
     * listing, a full one: the unmanaged people came first, so the people after it move up a place and the
     * next page skips one, most often a managed person.
     */
    private String deleteWhileListed(Random random, Map<Long, JsonNode> unmanaged) {
        long id = new ArrayList<>(unmanaged.keySet()).get(random.nextInt(unmanaged.size()));
        unmanaged.remove(id);
        mirrors.of(Account.DEFAULT).reconcileFullyNextRun(
                "the scenario deletes a person while the listing is read");
        doorflow.afterNext("GET /api/3/people", () -> doorflow.deletePerson(id));
        return "unmanaged person " + id + " deleted by hand right after the next run's first page of people";
    }

    /** A colleague at DoorFlow's admin screen: to a managed person (to be put back) or an unmanaged one (to stay). */
    private String handEdit(Random random, Set<Long> unmanaged) {
        List<JsonNode> managed = doorflow.people().stream().filter(p -> p.hasNonNull("system_id")).toList();
        if (!unmanaged.isEmpty() && (managed.isEmpty() || random.nextInt(3) == 0)) {
            long id = new ArrayList<>(unmanaged).get(random.nextInt(unmanaged.size()));
            doorflow.editPerson(id, random.nextBoolean() ? Map.of("first_name", "Edited" + random.nextInt(1000))
                    : Map.of("group_ids", List.of(random.nextBoolean() ? OFFICE : BIKES)));
            return "hand edit of unmanaged person " + id;
        }
        if (managed.isEmpty()) {
            return "no hand edit";
        }
        JsonNode p = managed.get(random.nextInt(managed.size()));
        long id = p.get("id").asLong();
        String who = p.get("system_id").asText();
        switch (random.nextInt(6)) {
            case 0 -> doorflow.editPerson(id, Map.of("first_name", "Hand" + random.nextInt(1_000_000)));
            case 1 -> doorflow.editPerson(id, Map.of("enabled", !p.path("enabled").asBoolean(true)));
            case 2 -> doorflow.editPerson(id, Map.of("group_ids", List.of(random.nextBoolean() ? LAB : BIKES)));
            case 3 -> doorflow.editPerson(id, Map.of("email", "hand" + random.nextInt(1_000_000) + "@hand.test"));
            case 4 -> doorflow.credentialsOf(id).stream().findFirst().ifPresent(c -> {
                doorflow.deleteCredential(id, c.get("id").asText());
                handDeletes = true;
            });
            default -> {
                doorflow.deletePerson(id);
                handDeletes = true;
            }
        }
        return "hand edit of " + who;
    }

    /** A person and its credentials, to compare whole. */
    private JsonNode snapshot(long id) {
        ObjectNode person = (ObjectNode) doorflow.person(id).deepCopy();
        person.putArray("credentials").addAll(doorflow.credentialsOf(id));
        return person;
    }

    // ---- the crash scenario ----

    private CrmModel crashModel;
    private Map<Long, JsonNode> unmanagedAfterCrashSetUp;

    /**
     * Sets up a fixed world with a run's worth of every kind of write (creates with cards and PINs, updates, a
     * leaver), and runs once, crashing at write {@code crashAt} (0: no crash). Returns the writes the run made.
     */
    private int writesOfTheCrashScenario(int crashAt) {
        reset();
        Random random = new Random(settings.seed());
        crashModel = new CrmModel(world, random);
        for (int n = 0; n < 6; n++) {
            crashModel.join();
        }
        sync.runOnce("test");
        for (int n = 0; n < 8; n++) {
            crashModel.mutate();
        }
        // Two adoptions in the crashing run: one on its own, one an operator approved (another name, maybe a card).
        crashModel.join(false);
        CrmModel.Row own = crashModel.last();
        doorflow.addPerson(Map.of("first_name", own.firstName, "last_name", own.lastName, "email", own.email));
        crashModel.join(true);
        CrmModel.Row approved = crashModel.last();
        long other = doorflow.addPerson(Map.of("first_name", "Walk", "last_name", "Other", "email", approved.email));
        world.sql("insert into doorsync.adoption_approval (account, member_id, person_id, approved_at) values"
                + " ('default', ?, ?, now())",
                approved.id, other);
        unmanagedAfterCrashSetUp = new HashMap<>();
        long walkIn = doorflow.addPerson(Map.of("first_name", "Walk", "last_name", "In", "group_ids", List.of(HOT)));
        unmanagedAfterCrashSetUp.put(walkIn, snapshot(walkIn));
        doorflow.clearCalls();
        doorflow.crashAtWrite(crashAt);
        sync.runOnce("test");
        return doorflow.calls().entrySet().stream().filter(e -> !e.getKey().startsWith("GET "))
                .mapToInt(Map.Entry::getValue).sum();
    }

    // ---- the invariants ----

    private List<String> divergences(CrmModel crm, Map<Long, JsonNode> unmanaged) {
        CrmModel.Expected expected = crm.expected();
        List<String> problems = new ArrayList<>();
        List<JsonNode> people = doorflow.people();
        Map<String, List<JsonNode>> bySystemId = new TreeMap<>();
        Set<String> emails = new HashSet<>();
        for (JsonNode p : people) {
            if (p.hasNonNull("system_id")) {
                bySystemId.computeIfAbsent(p.get("system_id").asText(), k -> new ArrayList<>()).add(p);
                String email = p.path("email").asText("").toLowerCase(Locale.ROOT);
                if (!email.isEmpty() && !emails.add(email)) {
                    problems.add("duplicate managed email " + email);
                }
            } else if (walkIns.containsKey(p.get("id").asLong())) {
                walkInLeftAlone(problems, p, crm);
            } else if (!unmanaged.containsKey(p.get("id").asLong())) {
                problems.add("a person doorsync does not manage appeared: " + p);
            }
        }
        bySystemId.forEach((systemId, list) -> {
            if (list.size() > 1) {
                problems.add("duplicate system_id " + systemId + ": " + list.size() + " people");
            }
        });
        expected.withAccess().forEach((id, row) -> {
            List<JsonNode> list = bySystemId.getOrDefault("crm:" + id, List.of());
            if (list.size() != 1) {
                problems.add(id + ": expected one DoorFlow person, found " + list.size());
                return;
            }
            JsonNode p = list.get(0);
            expect(problems, id, "email", row.email, p.path("email").asText(null));
            expect(problems, id, "first_name", row.firstName, p.path("first_name").asText(null));
            expect(problems, id, "last_name", row.lastName, p.path("last_name").asText(null));
            expect(problems, id, "enabled", true, p.path("enabled").asBoolean(true));
            expect(problems, id, "managed groups", row.groups(), managedGroups(p));
            expect(problems, id, "managed credentials", row.credentials, managedCredentials(p.get("id").asLong()));
        });
        for (String id : expected.withoutAccess()) {
            for (JsonNode p : bySystemId.getOrDefault("crm:" + id, List.of())) {
                expect(problems, id, "enabled (leaver)", false, p.path("enabled").asBoolean(true));
                expect(problems, id, "managed groups (leaver)", Set.of(), managedGroups(p));
                expect(problems, id, "managed credentials (leaver)", Map.of(), managedCredentials(p.get("id").asLong()));
            }
        }
        Set<String> quarantined = new TreeSet<>();
        world.rows("select member_id from doorsync.quarantine").forEach(r -> quarantined.add((String) r.get("member_id")));
        expect(problems, "*", "quarantined members", expected.quarantined(), quarantined);
        unmanaged.forEach((id, before) -> expect(problems, "unmanaged person " + id, "all of it", before, snapshot(id)));
        return problems;
    }

    /**
     * A walk-in nobody adopted: left exactly as it was once the faults stopped, and no member who should hold it
     * has its email (an active member without a problem adopts it, with an operator's approval if need be).
     */
    private void walkInLeftAlone(List<String> problems, JsonNode p, CrmModel crm) {
        long id = p.get("id").asLong();
        JsonNode before = walkIns.get(id);
        if (before != null) {
            expect(problems, "walk-in " + id, "all of it", before, snapshot(id));
        }
        String email = p.path("email").asText("");
        crm.expected().withAccess().values().stream().filter(r -> email.equalsIgnoreCase(r.email))
                .forEach(r -> problems.add("walk-in " + id + " has the email of " + r.id + ", who has access, but"
                        + " was not adopted"));
    }

    private static void expect(List<String> problems, String who, String what, Object expected, Object actual) {
        if (!expected.equals(actual)) {
            problems.add(who + ": " + what + " should be " + expected + " but DoorFlow has " + actual);
        }
    }

    private static Set<Long> managedGroups(JsonNode person) {
        Set<Long> groups = new TreeSet<>();
        StreamSupport.stream(person.path("groups").spliterator(), false).map(JsonNode::asLong)
                .filter(CrmModel.MANAGED_GROUPS::contains).forEach(groups::add);
        return groups;
    }

    /** Card and PIN credentials not revoked, slug → value. */
    private Map<String, String> managedCredentials(long personId) {
        Map<String, String> held = new TreeMap<>();
        for (JsonNode c : doorflow.credentialsOf(personId)) {
            long type = c.get("credential_type_id").asLong();
            if (type == TestWorld.CARD || type == TestWorld.PIN) {
                held.put(type == TestWorld.CARD ? "card" : "pin", c.path("value").asText(null));
            }
        }
        return held;
    }
}
