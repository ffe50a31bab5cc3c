package io.doorsync.plan;

import static io.doorsync.plan.PlanFixture.CARD;
import static io.doorsync.plan.PlanFixture.CREDENTIAL_POLICY;
import static io.doorsync.plan.PlanFixture.CREDENTIAL_TYPES;
import static io.doorsync.plan.PlanFixture.DOORFLOW_GROUPS;
import static io.doorsync.plan.PlanFixture.FOB;
import static io.doorsync.plan.PlanFixture.HOT;
import static io.doorsync.plan.PlanFixture.OFFICE;
import static io.doorsync.plan.PlanFixture.TEAMS;
import static io.doorsync.plan.PlanFixture.UNMANAGED;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;

/**
 * A wake-up's run plans some members over the part of DoorFlow {@link PlanScope} picks for them; it must decide
 * for them exactly what a plan of everyone decides. Shown on generated accounts built to collide: few emails
 * (in different case and blanks), repeated member ids, people linked, marked, marked by another installation or
 * not at all, leavers, creations in flight, credentials. For each, random member sets are planned both ways.
 */
class PlanScopeTest {

    private static final String[] EMAILS = { "a@x.test", "b@x.test", "c@x.test", "d@x.test", "e@x.test",
            "f@x.test", "g@x.test", "h@x.test", "i@x.test", "j@x.test" };

    @Test
    void aPlanOfSomeMembersDecidesForThemWhatAPlanOfEveryoneDecides() {
        long seed = Long.getLong("doorsync.seed", 20261201L);
        int compared = 0;
        int withChanges = 0;
        for (int world = 0; world < 400; world++) {
            Random random = new Random(seed + world);
            PlanInput all = randomAccount(random);
            Plan everyone = Planner.plan(all);
            Set<String> ids = new HashSet<>();
            all.members().forEach(m -> ids.add(m.id()));
            ids.addAll(all.links().keySet());
            for (int sample = 0; sample < 5; sample++) {
                Set<String> named = new HashSet<>();
                ids.stream().sorted().filter(id -> random.nextInt(3) == 0).forEach(named::add);
                Set<String> scope = closure(all, named);
                Plan some = Planner.plan(scoped(all, scope));
                String why = "seed " + (seed + world) + ", scope " + scope;
                Predicate<String> in = scope::contains;
                assertThat(some.changes()).as(why).isEqualTo(only(everyone.changes(), in));
                assertThat(some.quarantined()).as(why)
                        .isEqualTo(everyone.quarantined().stream().filter(q -> in.test(q.memberId())).toList());
                assertThat(some.credentialProblems()).as(why).isEqualTo(everyone.credentialProblems().stream()
                        .filter(p -> in.test(p.memberId())).toList());
                assertThat(some.driftProblems()).as(why).isEqualTo(everyone.driftProblems().stream()
                        .filter(p -> in.test(p.memberId())).toList());
                compared++;
                withChanges += some.changes().isEmpty() ? 0 : 1;
            }
        }
        // Not a vacuous comparison: most samples plan something.
        assertThat(withChanges).as("samples with changes, of %d", compared).isGreaterThan(compared / 2);
    }

    private static List<Change> only(List<Change> changes, Predicate<String> in) {
        return changes.stream().filter(c -> in.test(c.memberId())).toList();
    }

    /** What CrmReader's scoped read covers: the members named, and those sharing an email with them. */
    private static Set<String> closure(PlanInput all, Set<String> named) {
        Set<String> emails = new HashSet<>();
        all.members().stream().filter(m -> named.contains(m.id()) && m.email() != null)
                .forEach(m -> emails.add(normal(m.email())));
        Set<String> scope = new HashSet<>(named);
        all.members().stream().filter(m -> m.email() != null && emails.contains(normal(m.email())))
                .forEach(m -> scope.add(m.id()));
        return scope;
    }

    /** The input a scoped run builds (run/PlanInputs), from the account's whole input. */
    private static PlanInput scoped(PlanInput all, Set<String> scope) {
        List<CrmMember> members = all.members().stream().filter(m -> scope.contains(m.id())).toList();
        Map<String, Link> links = new HashMap<>(all.links());
        links.keySet().retainAll(scope);
        List<DoorFlowPerson> people = PlanScope.people(all.people(), scope, links.values(), members,
                all.systemIdPrefix());
        Set<String> creations = new HashSet<>(all.stampsInFlight());
        creations.retainAll(scope);
        PlanInput.Credentials c = all.credentials();
        return new PlanInput(members, all.teams(), links, people, all.doorflowGroupIds(), all.systemIdPrefix(),
                all.leavePolicy(), new PlanInput.Credentials(c.desired().stream()
                        .filter(d -> scope.contains(d.memberId())).toList(), c.types(),
                        PlanScope.credentials(c.actual(), people), c.policy()),
                all.driftRepairLimit(), all.approvedAdoptions(), creations);
    }

    private static PlanInput randomAccount(Random random) {
        List<CrmMember> members = new ArrayList<>();
        Map<String, Link> links = new HashMap<>();
        List<DoorFlowPerson> people = new ArrayList<>();
        List<CrmCredential> wanted = new ArrayList<>();
        List<DoorFlowCredential> held = new ArrayList<>();
        Set<String> inFlight = new HashSet<>();
        Map<String, Long> approved = new HashMap<>();
        long nextPerson = 1;
        int size = 3 + random.nextInt(10);
        for (int i = 1; i <= size; i++) {
            String id = "M" + i;
            String email = variant(random, EMAILS[random.nextInt(EMAILS.length)]);
            boolean inCrm = random.nextInt(8) != 0; // otherwise a member who has left the CRM
            if (inCrm) {
                members.add(member(random, id, email));
                if (random.nextInt(12) == 0) {
                    members.add(member(random, id, variant(random, EMAILS[random.nextInt(EMAILS.length)])));
                }
                if (random.nextBoolean()) {
                    wanted.add(new CrmCredential(id, "card", "C" + random.nextInt(3)));
                }
            }
            int kind = random.nextInt(6);
            if (kind <= 2) { // linked, mostly to its own marked person
                long person = nextPerson++;
                String mark = kind == 2 && random.nextBoolean() ? null : "crm:" + id;
                people.add(person(random, person, mark, mark == null && random.nextBoolean() ? other(random)
                        : variant(random, email)));
                links.put(id, new Link(id, person, random.nextBoolean() ? "stale" : "h" + random.nextInt(2),
                        random.nextBoolean() ? Set.of(HOT) : Set.of()));
                if (random.nextBoolean()) {
                    held.add(new DoorFlowCredential("k" + person, person, random.nextBoolean() ? CARD : FOB,
                            "C" + random.nextInt(3), null));
                }
            } else if (kind == 3) { // created by this installation, crashed before the link
                people.add(person(random, nextPerson++, "crm:" + id, random.nextBoolean() ? email : other(random)));
                inFlight.add(id);
            } else if (kind == 4 && random.nextBoolean()) { // another installation's person with the same mark
                people.add(person(random, nextPerson++, "crm:" + id, random.nextBoolean() ? email : other(random)));
            }
        }
        for (int n = random.nextInt(5); n > 0; n--) { // unmanaged people, some with CRM emails
            long person = nextPerson++;
            people.add(person(random, person, random.nextInt(4) == 0 ? "other:" + person : null,
                    variant(random, EMAILS[random.nextInt(EMAILS.length)])));
            if (random.nextBoolean()) {
                approved.put("M" + (1 + random.nextInt(size)), person);
            }
        }
        LeavePolicy policy = LeavePolicy.values()[random.nextInt(LeavePolicy.values().length)];
        return new PlanInput(members, TEAMS, links, people, DOORFLOW_GROUPS, "crm", policy,
                new PlanInput.Credentials(wanted, CREDENTIAL_TYPES, held, CREDENTIAL_POLICY),
                PlanInput.DEFAULT_DRIFT_REPAIR_LIMIT, approved, inFlight);
    }

    private static CrmMember member(Random random, String id, String email) {
        String status = random.nextInt(5) == 0 ? "cancelled" : "active";
        Set<String> teams = switch (random.nextInt(4)) {
            case 0 -> Set.of();
            case 1 -> Set.of("hot");
            case 2 -> Set.of("hot", "office");
            default -> random.nextInt(6) == 0 ? Set.of("nowhere") : Set.of("office");
        };
        return new CrmMember(id, email, "First", random.nextBoolean() ? "Last" : "Other", null, null, null, status,
                null, null, teams);
    }

    private static DoorFlowPerson person(Random random, long id, String systemId, String email) {
        Set<Long> groups = switch (random.nextInt(4)) {
            case 0 -> Set.of();
            case 1 -> Set.of(HOT);
            case 2 -> Set.of(OFFICE, UNMANAGED);
            default -> Set.of(HOT, OFFICE);
        };
        return new DoorFlowPerson(id, systemId, email, "First", "Last", null, null, null, null, null,
                random.nextInt(5) != 0, groups);
    }

    /** The same email as DoorFlow compares it, written another way now and then. */
    private static String variant(Random random, String email) {
        return switch (random.nextInt(4)) {
            case 0 -> email.toUpperCase(Locale.ROOT);
            case 1 -> " " + email + " ";
            default -> email;
        };
    }

    /** An email no member has: a person found only by its link or mark. */
    private static String other(Random random) {
        return "elsewhere" + random.nextInt(1000) + "@y.test";
    }

    private static String normal(String email) {
        return email.strip().toLowerCase(Locale.ROOT);
    }
}
