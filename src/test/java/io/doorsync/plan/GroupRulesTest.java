package io.doorsync.plan;

import static io.doorsync.plan.PlanFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * The group rules ask their sources what they grant and decide, so a second source (as bookings will be) adds its
 * groups without the teams' rules calling them drift, and takes away only the groups it decides.
 */
class GroupRulesTest {

    /** A source granting LAB to some members and deciding who is in LAB. */
    private record LabBookings(Set<String> booked) implements GroupSource {
        @Override
        public boolean grantInto(CrmMember member, Set<Long> groups) {
            if (booked.contains(member.id())) {
                groups.add(LAB);
            }
            return true;
        }

        @Override
        public boolean decides(Long group) {
            return group == LAB;
        }
    }

    private final PlanIndex index = new PlanIndex(given().member(ADA).input());

    @Test
    void aSecondSourcesGroupsAreGrantedAndKeptBesideTheTeams() {
        GroupRules rules = new GroupRules(List.of(new TeamGroups(index), new LabBookings(Set.of("M1"))));
        GroupRules.Desired desired = rules.desired(ADA);
        assertThat(desired.groups()).containsExactly(HOT, LAB);
        DoorFlowPerson holding = personOf(5, ADA, HOT, LAB, UNMANAGED);
        assertThat(rules.afterRun(holding, null, desired)).containsExactlyInAnyOrder(HOT, LAB, UNMANAGED);
    }

    @Test
    void aGroupASourceDecidesIsTakenFromWhoeverItDoesNotGrantItTo() {
        GroupRules rules = new GroupRules(List.of(new TeamGroups(index), new LabBookings(Set.of())));
        DoorFlowPerson holding = personOf(5, ADA, HOT, LAB, UNMANAGED);
        assertThat(rules.afterRun(holding, null, rules.desired(ADA))).containsExactlyInAnyOrder(HOT, UNMANAGED);
    }

    @Test
    void withTheTeamsAloneAGroupNoTeamMapsToIsLeftAsDoorFlowHasIt() {
        GroupRules rules = new GroupRules(List.of(new TeamGroups(index)));
        DoorFlowPerson holding = personOf(5, ADA, HOT, LAB);
        assertThat(rules.afterRun(holding, null, rules.desired(ADA))).containsExactlyInAnyOrder(HOT, LAB);
    }
}
