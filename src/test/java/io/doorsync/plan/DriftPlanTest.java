package io.doorsync.plan;

import static io.doorsync.plan.PlanFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.doorsync.plan.PlanFixture.Row;

/**
 * Drift repair, one row each: a member whose CRM row did not change, whose DoorFlow person was edited by hand,
 * is put back (journal kind "drift"); what DoorFlow merely normalizes is left alone; a descriptive field DoorFlow
 * does not keep is given up after the limit, a field that grants access never is. And what a plan takes away,
 * as the revocation guard counts it.
 */
class DriftPlanTest {

    static final CrmMember ADA_TIMED = valid(ADA, "2026-01-01T08:00:00.123456Z", null);

    static Stream<Row> rows() {
        return Stream.of(
                new Row("nothing edited: nothing to do",
                        given().member(ADA).applied("M1", 5, HOT).person(personOf(5, ADA, HOT)),
                        List.of("unchanged 1")),
                new Row("a managed group added by hand is taken away again",
                        given().member(ADA).applied("M1", 5, HOT).person(personOf(5, ADA, HOT, OFFICE)),
                        List.of("update M1 #5 crm:M1 [101] (groups) drift(groups)")),
                new Row("a managed group removed by hand is given back",
                        given().member(ADA).applied("M1", 5, HOT).person(personOf(5, ADA)),
                        List.of("update M1 #5 crm:M1 [101] (groups) drift(groups)")),
                new Row("an unmanaged group added by hand stays: not doorsync's",
                        given().member(ADA).applied("M1", 5, HOT).person(personOf(5, ADA, HOT, UNMANAGED)),
                        List.of("unchanged 1")),
                new Row("a member disabled by hand is enabled again",
                        given().member(ADA).applied("M1", 5, HOT).person(disabled(personOf(5, ADA, HOT))),
                        List.of("update M1 #5 crm:M1 [101] (enabled) drift(enabled)")),
                new Row("a rename by hand is put back",
                        given().member(ADA).applied("M1", 5, HOT).person(renamed(personOf(5, ADA, HOT), "Eve", "X")),
                        List.of("update M1 #5 crm:M1 [101] (first_name, last_name) drift(first_name, last_name)")),
                new Row("a card deleted by hand is issued again",
                        given().member(ADA).wants("M1", "card", "40010001").applied("M1", 5, HOT)
                                .person(personOf(5, ADA, HOT)),
                        List.of("update M1 #5 crm:M1 [101] () drift(credentials)",
                                "  credential create card 40010001")),
                new Row("a card re-valued by hand is re-valued back",
                        given().member(ADA).wants("M1", "card", "40010001").applied("M1", 5, HOT)
                                .person(personOf(5, ADA, HOT)).holds("c1", 5, CARD, "666", null),
                        List.of("update M1 #5 crm:M1 [101] () drift(credentials)",
                                "  credential update card c1 40010001")),
                new Row("a hand-issued fob of an unmanaged type stays",
                        given().member(ADA).applied("M1", 5, HOT).person(personOf(5, ADA, HOT))
                                .holds("f1", 5, FOB, "55", null),
                        List.of("unchanged 1")),
                // ---- DoorFlow's normal forms are not drift ----
                new Row("email in another case and with blanks as DoorFlow lists it: no repair",
                        given().member(ADA).applied("M1", 5, HOT)
                                .person(withEmail(personOf(5, ADA, HOT), " ADA@Example.COM ")),
                        List.of("unchanged 1")),
                new Row("validity DoorFlow keeps to the second: no repair",
                        given().member(ADA_TIMED).applied("M1", 5, HOT).person(new DoorFlowPerson(5, "crm:M1",
                                ADA.email(), ADA.firstName(), ADA.lastName(), null, null, null,
                                Instant.parse("2026-01-01T08:00:00Z"), null, true, java.util.Set.of(HOT))),
                        List.of("unchanged 1")),
                // ---- what DoorFlow does not keep ----
                new Row("a rename repaired twice already: repaired a third time",
                        given().member(ADA).applied("M1", 5, HOT).person(renamed(personOf(5, ADA, HOT), "Eve", "X"))
                                .repaired("M1", "first_name", 2, renamed(personOf(5, ADA, HOT), "Eve", "X")),
                        List.of("update M1 #5 crm:M1 [101] (first_name, last_name) drift(first_name, last_name)")),
                new Row("a name DoorFlow did not keep after three repairs: reported, left as DoorFlow has it",
                        given().member(ADA).applied("M1", 5, HOT).person(renamed(personOf(5, ADA, HOT), "Eve",
                                ADA.lastName())).repaired("M1", "first_name", 3,
                                        renamed(personOf(5, ADA, HOT), "Eve", ADA.lastName())),
                        List.of("drift M1 first_name: DoorFlow did not keep first_name after 3 repairs in a row;"
                                + " doorsync stops writing it", "unchanged 1")),
                new Row("a name changed again in DoorFlow after giving up: the count starts afresh",
                        given().member(ADA).applied("M1", 5, HOT).person(renamed(personOf(5, ADA, HOT), "Zed",
                                ADA.lastName())).repaired("M1", "first_name", 3,
                                        renamed(personOf(5, ADA, HOT), "Eve", ADA.lastName())),
                        List.of("update M1 #5 crm:M1 [101] (first_name) drift(first_name)")),
                new Row("a group DoorFlow did not keep after three repairs: reported and still repaired",
                        given().member(ADA).applied("M1", 5, HOT).person(personOf(5, ADA, HOT, OFFICE))
                                .repaired("M1", "groups", 3, personOf(5, ADA, HOT, OFFICE)),
                        List.of("drift M1 groups: DoorFlow did not keep groups after 3 repairs in a row;"
                                + " doorsync keeps repairing it",
                                "update M1 #5 crm:M1 [101] (groups) drift(groups)")),
                new Row("the CRM changed: an ordinary update, not drift",
                        given().member(ADA).link("M1", 5, "old-hash", HOT).person(personOf(5, ADA, HOT, OFFICE)),
                        List.of("update M1 #5 crm:M1 [101] (groups)")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void plans(Row row) {
        assertPlans(row);
    }

    @Test
    void aRepairRemembersWhatDoorFlowHeldAndTheCountGoesUp() {
        DoorFlowPerson edited = renamed(personOf(5, ADA, HOT), "Eve", ADA.lastName());
        Plan plan = Planner.plan(given().member(ADA).applied("M1", 5, HOT).person(edited)
                .repaired("M1", "first_name", 1, edited).input());
        Change.UpdatePerson update = (Change.UpdatePerson) plan.changes().get(0);
        assertThat(update.kind()).isEqualTo("drift");
        assertThat(update.driftMemory()).containsOnlyKeys("first_name");
        assertThat(update.driftMemory().get("first_name").repairs()).isEqualTo(2);
        assertThat(update.driftMemory().get("first_name").seen()).doesNotContain("Eve");
    }

    @Test
    void theGuardCountsEveryKindOfAccessRemovalAgainstThePeopleWhoHaveAccessNow() {
        // M1 loses a group, M2 loses its card, M3 leaves; M4 keeps everything; a past leaver is disabled.
        CrmMember carl = member("M3", "carl@example.com", "hot");
        CrmMember dora = member("M4", "dora@example.com", "hot");
        Plan plan = Planner.plan(given().member(member("M1", ADA.email())).member(BOB).member(withStatus(carl,
                "cancelled")).member(dora).link("M1", 1, "h", HOT).person(personOf(1, ADA, HOT))
                .applied("M2", 2, OFFICE).person(personOf(2, BOB, OFFICE)).holds("c2", 2, CARD, "9", null)
                .link("M3", 3, "h", HOT).person(personOf(3, carl, HOT)).applied("M4", 4, HOT).person(personOf(4, dora,
                        HOT))
                .member(withStatus(member("M9", "old@example.com"), "cancelled")).link("M9", 9, SpecHash.DISABLED)
                .person(disabled(personOf(9, member("M9", "old@example.com"))))
                .input());
        assertThat(plan.removal()).isEqualTo(new Plan.AccessRemoval(1, 1, 1, 3, 4));
    }
}
