package io.doorsync.plan;

import static io.doorsync.plan.PlanFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.doorsync.plan.PlanFixture.Row;

/** Bad input isolated to what it affects, one row each: team mappings and every kind of bad CRM row. */
class BadInputPlanTest {

    static Stream<Row> rows() {
        return Stream.of(
                // ---- bad team mapping ----
                new Row("team mapped to a group DoorFlow lacks: reported for the team, nobody stripped",
                        given().teams(new CrmTeam("hot", "Hot desk", 999L), new CrmTeam("office", "Office", OFFICE))
                                .member(member("M1", "ada@example.com", "hot", "office"))
                                .link("M1", 5, "old-hash", 999L).person(personOf(5, ADA, HOT, LAB)),
                        List.of("team hot: team 'Hot desk' is mapped to DoorFlow group 999, which does not exist",
                                "update M1 #5 crm:M1 [101, 102, 103] (groups)")),
                // ---- quarantine holds back what is unsafe to write, never the removal of access ----
                new Row("quarantined for a bad field and taken off a team: the team's group goes all the same",
                        given().member(named(member("M1", "ada@example.com"), " ", "Last")).link("M1", 5, "h", HOT)
                                .person(personOf(5, ADA, HOT, UNMANAGED)),
                        List.of("quarantine M1: first_name is missing", "update M1 #5 crm:M1 [900] (groups)")),
                new Row("quarantined for a bad field and a card taken away in the CRM: the card goes all the same",
                        given().member(named(ADA, " ", "Last")).link("M1", 5, "h", HOT).person(personOf(5, ADA, HOT))
                                .holds("c1", 5, CARD, "1", null),
                        List.of("quarantine M1: first_name is missing", "update M1 #5 crm:M1 [101] ()",
                                "  credential delete card c1")),
                new Row("quarantined for an email clash and taken off a team: the group goes, the email is not written",
                        given().member(member("M1", "bob@example.com")).link("M1", 5, "h", HOT)
                                .person(personOf(5, ADA, HOT)).person(person(6, null, "bob@example.com")),
                        List.of("quarantine M1: email 'bob@example.com' is already used by DoorFlow person #6",
                                "update M1 #5 crm:M1 [] (groups)")),
                new Row("quarantined for a bad field while valid_to moves earlier: the earlier end is written",
                        given().member(valid(named(ADA, " ", "Last"), null, "2026-03-01T00:00:00Z"))
                                .link("M1", 5, "h", HOT).person(personOf(5, ADA, HOT)),
                        List.of("quarantine M1: first_name is missing", "update M1 #5 crm:M1 [101] (valid_to)")),
                new Row("quarantined for an email clash while valid_from moves later: the later start is written",
                        given().member(valid(member("M1", "bob@example.com", "hot"), "2026-09-01T00:00:00Z", null))
                                .link("M1", 5, "h", HOT).person(personOf(5, ADA, HOT))
                                .person(person(6, null, "bob@example.com")),
                        List.of("quarantine M1: email 'bob@example.com' is already used by DoorFlow person #6",
                                "update M1 #5 crm:M1 [101] (valid_from)")),
                new Row("quarantined while valid_to moves later: held back (it grants)",
                        given().member(valid(named(ADA, " ", "Last"), null, "2027-03-01T00:00:00Z"))
                                .link("M1", 5, "h", HOT)
                                .person(personOf(5, valid(ADA, null, "2026-03-01T00:00:00Z"), HOT)),
                        List.of("quarantine M1: first_name is missing")),
                new Row("quarantined while valid_from moves earlier and valid_to is cleared: held back (it grants)",
                        given().member(valid(named(ADA, " ", "Last"), "2025-01-01T00:00:00Z", null))
                                .link("M1", 5, "h", HOT)
                                .person(personOf(5, valid(ADA, "2026-01-01T00:00:00Z", "2026-03-01T00:00:00Z"),
                                        HOT)),
                        List.of("quarantine M1: first_name is missing")),
                new Row("stamped by an adoption whose answer was lost, then quarantined: narrowed all the same",
                        given().member(valid(member("M1", "bob@example.com"), null, "2026-03-01T00:00:00Z"))
                                .person(personOf(5, ADA, HOT, UNMANAGED)).person(person(6, null, "bob@example.com"))
                                .creating("M1"),
                        List.of("quarantine M1: email 'bob@example.com' is already used by DoorFlow person #6",
                                "update M1 #5 crm:M1 [900] (valid_to, groups) incomplete")),
                new Row("quarantined with nothing to take away: nothing written",
                        given().member(named(ADA, " ", "Last")).link("M1", 5, "h", HOT).person(personOf(5, ADA, HOT)),
                        List.of("quarantine M1: first_name is missing")),
                new Row("quarantined and never written by doorsync: nothing to take away",
                        given().member(named(member("M1", "ada@example.com"), " ", "Last"))
                                .person(person(5, null, "ada@example.com", HOT)),
                        List.of("quarantine M1: first_name is missing")),
                // ---- bad CRM input, isolated to the member ----
                new Row("email missing", given().member(member("M1", null, "hot")).member(BOB),
                        List.of("quarantine M1: email is missing", "create M2 crm:M2 [102]")),
                new Row("email invalid", given().member(member("M1", "not an email", "hot")),
                        List.of("quarantine M1: email 'not an email' is not a valid address")),
                new Row("names missing", given().member(named(ADA, " ", null)),
                        List.of("quarantine M1: first_name is missing; last_name is missing")),
                new Row("10 000-character field",
                        given().member(named(ADA, "A".repeat(10_000), "Lovelace")),
                        List.of("quarantine M1: first_name is 10000 characters long (at most 255)")),
                new Row("unknown team", given().member(member("M1", "ada@example.com", "hot", "ghosts")),
                        List.of("quarantine M1: belongs to team 'ghosts', which is not in teams")),
                new Row("valid_to before valid_from",
                        given().member(valid(ADA, "2026-06-01T00:00:00Z", "2026-01-01T00:00:00Z")),
                        List.of("quarantine M1: valid_to 2026-01-01T00:00:00Z is before valid_from")),
                new Row("duplicate email between two new members: both held",
                        given().member(ADA).member(member("M2", "Ada@Example.com ", "office")),
                        List.of("quarantine M1: email 'ada@example.com' is also the email of member(s) M2",
                                "quarantine M2: email 'Ada@Example.com' is also the email of member(s) M1")),
                new Row("duplicate email, one already linked: the linked one keeps syncing",
                        given().member(ADA).member(member("M2", "ada@example.com", "office"))
                                .applied("M1", 5, HOT).person(personOf(5, ADA, HOT)),
                        List.of("quarantine M2: email 'ada@example.com' is also the email of member(s) M1,"
                                + " who already has it", "unchanged 1")),
                new Row("duplicate member id rows", given().member(ADA).member(ADA),
                        List.of("quarantine M1: member id appears 2 times in members")),
                new Row("repeated id, one row cancelled: disabled, its groups and cards taken, quarantined",
                        given().member(ADA).member(withStatus(ADA, "cancelled")).wants("M1", "card", "1")
                                .link("M1", 5, "h", HOT).person(personOf(5, ADA, HOT, UNMANAGED))
                                .holds("c1", 5, CARD, "1", null),
                        List.of("quarantine M1: member id appears 2 times in members; one of them has status"
                                + " 'cancelled', so the member is treated as a leaver", "disable M1 #5 [900]",
                                "  credential delete card c1")),
                new Row("repeated id, one row suspended, under the delete policy: deleted",
                        given().member(withStatus(ADA, "suspended")).member(ADA).link("M1", 5, "h", HOT)
                                .person(personOf(5, ADA, HOT)).policy(LeavePolicy.DELETE),
                        List.of("quarantine M1: member id appears 2 times in members; one of them has status"
                                + " 'suspended'", "delete M1 #5")),
                new Row("repeated id, one row cancelled, never synced: nothing created",
                        given().member(ADA).member(withStatus(ADA, "cancelled")),
                        List.of("quarantine M1: member id appears 2 times in members; one of them has status")),
                new Row("repeated id, one row cancelled, creation in flight: the person found is disabled",
                        given().member(ADA).member(withStatus(ADA, "cancelled")).person(personOf(5, ADA, HOT))
                                .creating("M1"),
                        List.of("quarantine M1: member id appears 2 times", "disable M1 #5 []")),
                new Row("repeated id, both rows active, one ending sooner: the earlier end is written, nothing granted",
                        given().member(valid(member("M1", "ada@example.com", "hot", "office"), null,
                                "2026-03-01T00:00:00Z")).member(member("M1", "ada@example.com", "hot", "office"))
                                .link("M1", 5, "h", HOT).person(personOf(5, ADA, HOT)),
                        List.of("quarantine M1: member id appears 2 times in members; nothing is granted",
                                "update M1 #5 crm:M1 [101] (valid_to)")),
                new Row("repeated id, both rows active and as DoorFlow has it: quarantined, nothing written",
                        given().member(ADA).member(named(ADA, "Other", "Name")).link("M1", 5, "h", HOT)
                                .person(personOf(5, ADA, HOT)),
                        List.of("quarantine M1: member id appears 2 times in members; nothing is granted")),
                new Row("three rows of one id among others: one quarantine, counting all three; the others sync",
                        given().member(ADA).member(BOB).member(ADA).member(ADA),
                        List.of("quarantine M1: member id appears 3 times in members", "create M2 crm:M2 [102]")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void plans(Row row) {
        assertPlans(row);
    }

    @Test
    void aQuarantinedMemberGetsTheNarrowerValidityAndKeepsDoorFlowsOtherValues() {
        CrmMember held = valid(named(member("M1", "new@example.com", "hot"), " ", "Renamed"), "2026-02-01T00:00:00Z",
                "2026-03-01T00:00:00Z");
        DoorFlowPerson person = personOf(5, valid(ADA, "2026-01-01T00:00:00Z", "2026-06-30T00:00:00Z"), HOT);
        Change.UpdatePerson update = (Change.UpdatePerson) Planner.plan(given().member(held).link("M1", 5, "h", HOT)
                .person(person).input()).changes().get(0);
        assertThat(update.spec().validFrom()).isEqualTo("2026-02-01T00:00:00Z");
        assertThat(update.spec().validTo()).isEqualTo("2026-03-01T00:00:00Z");
        assertThat(update.spec().email()).as("identity is not written while quarantined").isEqualTo("ada@example.com");
        assertThat(update.spec().lastName()).isEqualTo(ADA.lastName());
        assertThat(update.hash()).as("the link keeps its applied hash").isEqualTo("h");
    }

    @Test
    void repeatedRowsWhoseValiditiesDoNotMeetLeaveAnEmptyWindow() {
        Plan plan = Planner.plan(given().member(valid(ADA, "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z"))
                .member(valid(ADA, "2026-05-01T00:00:00Z", "2026-06-01T00:00:00Z")).link("M1", 5, "h", HOT)
                .person(personOf(5, ADA, HOT)).input());
        Change.UpdatePerson update = (Change.UpdatePerson) plan.changes().get(0);
        assertThat(update.spec().validTo()).as("at the earlier end, a moment already past").isEqualTo(
                "2026-02-01T00:00:00Z");
        assertThat(update.spec().validFrom()).as("no second of access is left").isEqualTo(update.spec().validTo());
    }

    @Test
    void whileATeamIsMappedToAMissingGroupTheGroupsDoorsyncGrantedAreNotForgotten() {
        Plan plan = Planner.plan(given().teams(new CrmTeam("hot", "Hot desk", HOT), new CrmTeam("office", "Office", 999L))
                .member(member("M1", "ada@example.com", "hot", "office")).link("M1", 5, "old-hash", HOT, OFFICE)
                .person(personOf(5, ADA, HOT, OFFICE)).input());
        Change.UpdatePerson update = (Change.UpdatePerson) plan.changes().get(0);
        assertThat(update.spec().groupIds()).as("nothing taken away").containsExactly(HOT, OFFICE);
        assertThat(update.ownedGroups()).as("office's old group still remembered as doorsync's")
                .containsExactly(HOT, OFFICE);
    }
}
