package io.doorsync.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.doorsync.Account;
import io.doorsync.plan.Link;
import io.doorsync.plan.Plan.Quarantine;
import io.doorsync.plan.PhotoPlanner;
import io.doorsync.support.PostgresAndSimulator;
import io.doorsync.support.TestWorld;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Two accounts in one database, with the same member ids: every store reads and writes its account's rows only.
 * Random members, links and quarantines are written to both through the stores, in an interleaved order, and each
 * account must read back exactly what was written to it (a query that forgets its account reads the other's).
 */
@QuarkusTest
@WithTestResource(value = PostgresAndSimulator.class, scope = TestResourceScope.GLOBAL)
class AccountIsolationTest {

    private static final Account FIRST = Account.DEFAULT;
    private static final Account SECOND = new Account("second");

    @Inject
    TestWorld world;

    @Inject
    LinkStore links;

    @Inject
    QuarantineStore quarantine;

    @Inject
    RunStore runs;

    @Inject
    OwnershipStore ownership;

    @Inject
    AccountStore accounts;

    @BeforeEach
    void setUp() {
        world.reset();
        world.sql("insert into doorsync.account (id) values (?)", SECOND.id());
    }

    @Test
    void eachAccountReadsBackExactlyWhatWasWrittenToIt() {
        Random random = new Random(24);
        Map<Account, Map<String, Long>> linked = Map.of(FIRST, new HashMap<>(), SECOND, new HashMap<>());
        Map<Account, Integer> journaledM0 = new HashMap<>(Map.of(FIRST, 0, SECOND, 0));
        for (int round = 0; round < 20; round++) {
            Map<Account, Set<String>> held = Map.of(FIRST, new HashSet<>(), SECOND, new HashSet<>());
            Map<Account, Long> lastRun = new HashMap<>();
            for (Account account : List.of(FIRST, SECOND)) {
                long runId = runs.startRun(account, "round " + round, Instant.now());
                lastRun.put(account, runId);
                OutcomeBatch outcomes = runs.outcomes(account, runId);
                List<Quarantine> quarantined = new ArrayList<>();
                for (int m = 0; m < 12; m++) {
                    String member = "M" + m; // the same ids in both accounts
                    int roll = random.nextInt(4);
                    if (m == 0 && roll != 1) {
                        journaledM0.merge(account, 1, Integer::sum);
                    }
                    if (roll == 0) {
                        long person = 1000L * (account == FIRST ? 1 : 2) + m;
                        linked.get(account).put(member, person);
                        outcomes.add(JournalLine.ofMember(member, "create", JournalOutcome.APPLIED, person, "made"),
                                new LinkUpdate.Save(person, "h" + round, Set.of()));
                    } else if (roll == 1) {
                        held.get(account).add(member);
                        quarantined.add(new Quarantine(member, "held in " + account));
                    } else {
                        linked.get(account).remove(member);
                        outcomes.add(JournalLine.ofMember(member, "unlink", JournalOutcome.APPLIED, null, "gone"),
                                new LinkUpdate.Remove());
                    }
                }
                outcomes.flush();
                quarantine.replaceQuarantine(account, runId, quarantined, Instant.now(), null);
                ownership.stampStarted(account, "S-" + account, Instant.now());
                ownership.approveAdoption(account, "A-" + account, round, Instant.now());
                accounts.pinAccount(account, "doorflow-" + account, Instant.now());
                runs.finishRun(runId, Instant.now(), "success", new RunTotals(1, 1, 0, 0, 0), "done", true);
            }
            for (Account account : List.of(FIRST, SECOND)) {
                Map<String, Link> read = links.links(account);
                assertThat(read.keySet()).as("links of %s, round %d", account, round)
                        .isEqualTo(linked.get(account).keySet());
                read.values().forEach(l -> assertThat(l.personId()).isEqualTo(linked.get(account).get(l.memberId())));
                assertThat(links.linkedCount(account)).isEqualTo(linked.get(account).size());
                assertThat(links.activeLinkCount(account)).isEqualTo(linked.get(account).size());
                assertThat(links.membersLinkedTo(account, List.of(1000L, 1001L, 2000L, 2001L)))
                        .isEqualTo(linkedTo(linked.get(account), Set.of(1000L, 1001L, 2000L, 2001L)));
                assertThat(quarantine.quarantinedMembers(account)).as("quarantine of %s", account)
                        .isEqualTo(held.get(account));
                assertThat(quarantine.quarantinedCount(account)).isEqualTo(held.get(account).size());
                held.get(account).forEach(m -> assertThat(quarantine.quarantineReason(account, m))
                        .isEqualTo("held in " + account));
                assertThat(ownership.stampsInFlight(account)).containsExactly("S-" + account);
                assertThat(ownership.approvedAdoptions(account)).containsOnlyKeys("A-" + account);
                assertThat(accounts.pinnedAccount(account)).isEqualTo("doorflow-" + account);
                assertThat(runs.latestRunId(account)).isEqualTo(lastRun.get(account));
                assertThat(runs.runs(account, 0, 100).total()).isEqualTo(round + 1L);
                assertThat(runs.journalOfMember(account, "M0", 100)).hasSize(journaledM0.get(account));
            }
            // A run id names one account's run: the other account does not see it.
            assertThat(runs.run(SECOND, lastRun.get(FIRST))).isNull();
            assertThat(runs.run(FIRST, lastRun.get(FIRST))).isNotNull();
        }
    }

    @Test
    void operatorsActOnTheirAccountsMembersOnly() {
        quarantine.replaceQuarantine(FIRST, runs.startRun(FIRST, "t", Instant.now()),
                List.of(new Quarantine("M1", "email is missing")), Instant.now(), null);
        quarantine.replaceQuarantine(SECOND, runs.startRun(SECOND, "t", Instant.now()),
                List.of(new Quarantine("M1", "email is missing")), Instant.now(), null);

        assertThat(quarantine.release(SECOND, "M1")).isTrue();
        assertThat(quarantine.quarantinedMembers(SECOND)).isEmpty();
        assertThat(quarantine.quarantinedMembers(FIRST)).containsExactly("M1");
        assertThat(quarantine.knows(SECOND, "M1")).isFalse();
        assertThat(quarantine.knows(FIRST, "M1")).isTrue();
    }

    @Test
    void pushesOwedAndPhotosAreTheAccounts() {
        accounts.owePush(SECOND); // an account without a push row yet gets one
        assertThat(accounts.pushState(SECOND).pending()).isTrue();
        assertThat(accounts.pushState(FIRST).pending()).isFalse();
        assertThat(accounts.pushState(new Account("never-ran")).pending()).isFalse();

        for (Account account : List.of(FIRST, SECOND)) {
            long runId = runs.startRun(account, "t", Instant.now());
            OutcomeBatch outcomes = runs.outcomes(account, runId);
            outcomes.add(JournalLine.ofMember("M1", "create", JournalOutcome.APPLIED, 7L, "made"),
                    new LinkUpdate.Save(7, "h", Set.of()));
            outcomes.flush();
        }
        links.photoApplied(SECOND, "M1", new PhotoPlanner.Applied(7, "sha256:ab", false));
        assertThat(links.appliedPhotos(SECOND)).containsOnlyKeys("M1");
        assertThat(links.appliedPhotos(FIRST)).isEmpty();
    }

    private static Set<String> linkedTo(Map<String, Long> linked, Set<Long> people) {
        Set<String> members = new HashSet<>();
        linked.forEach((m, p) -> {
            if (people.contains(p)) {
                members.add(m);
            }
        });
        return members;
    }
}
