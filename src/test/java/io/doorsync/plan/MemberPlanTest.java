package io.doorsync.plan;

import static io.doorsync.plan.PlanFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The plan for one member (an operator's "sync this member now", and the explanation of what the next run does
 * for it): the same rules as a whole run, only that member's changes, and the guard counts only what they take.
 */
class MemberPlanTest {

    static final CrmMember CY = member("M3", "cy@example.com", "hot");
    static final CrmMember DEE = member("M4", null, "hot");

    /** Four members: M1 cancelled (to disable), M2 new (to create), M3 already right, M4 quarantined (no email). */
    static Given account() {
        return given().member(withStatus(ADA, "cancelled")).applied("M1", 5, HOT).person(personOf(5, ADA, HOT))
                .member(BOB).member(CY).applied("M3", 7, HOT).person(personOf(7, CY, HOT)).member(DEE);
    }

    record Case(String member, List<String> changes, int removedFrom) {
        @Override
        public String toString() {
            return member;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("M1", List.of("disable M1 #5 []"), 1),
                new Case("M2", List.of("create M2 crm:M2 [102]"), 0),
                new Case("M3", List.of(), 0),
                new Case("M4", List.of(), 0),
                new Case("NOT-IN-CRM", List.of(), 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void onlyThatMembersChangesAndWhatTheyTakeAway(Case c) {
        Plan whole = Planner.plan(account().input());
        Plan one = Planner.planFor(account().input(), c.member());

        assertThat(render(one).stream().filter(l -> !l.startsWith("quarantine") && !l.startsWith("unchanged")))
                .containsExactlyElementsOf(c.changes());
        assertThat(one.changes()).as("each is exactly the whole run's change").isSubsetOf(whole.changes());
        assertThat(one.removal().members()).isEqualTo(c.removedFrom());
        assertThat(one.removal().base()).as("measured against everyone who has access").isEqualTo(whole.removal().base());
        assertThat(one.quarantined()).as("what is found about others is reported whole")
                .isEqualTo(whole.quarantined()).extracting(Plan.Quarantine::memberId).containsExactly("M4");
    }

    @org.junit.jupiter.api.Test
    void theWholeRunIsTheUnionOfItsMembers() {
        Plan whole = Planner.plan(account().input());
        List<Change> union = Stream.of("M1", "M2", "M3", "M4")
                .flatMap(m -> Planner.planFor(account().input(), m).changes().stream()).toList();
        assertThat(union).containsExactlyInAnyOrderElementsOf(whole.changes());
    }
}
