package io.doorsync.plan;

import static io.doorsync.plan.PlanFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.doorsync.plan.Change.CreatePerson;
import io.doorsync.plan.PlanFixture.Row;

/** The credential rules, one row each, and what keeps credential values out of text. */
class CredentialPlanTest {

    static Stream<Row> rows() {
        return Stream.of(
                // ---- credentials ----
                new Row("new member with a card: created with the person, the CRM's value",
                        given().member(ADA).wants("M1", "card", "40010001"),
                        List.of("create M1 crm:M1 [101]", "  credential create card 40010001")),
                new Row("PIN with no value: DoorFlow generates it",
                        given().member(ADA).wants("M1", "pin", null),
                        List.of("create M1 crm:M1 [101]", "  credential create pin ******")),
                new Row("mobile credential: created without a value (DoorFlow sends the invitation)",
                        given().member(ADA).wants("M1", "mobile", null),
                        List.of("create M1 crm:M1 [101]", "  credential create mobile (none)")),
                new Row("card number changed in the CRM: PUT the new value, the person itself untouched",
                        given().member(ADA).wants("M1", "card", "40019999").link("M1", 5, "old-hash", HOT)
                                .person(personOf(5, ADA, HOT)).holds("c1", 5, CARD, "40010001", null),
                        List.of("update M1 #5 crm:M1 [101] ()", "  credential update card c1 40019999")),
                new Row("generated PIN is not regenerated when the member changes for another reason",
                        given().member(named(ADA, "Augusta", "King")).wants("M1", "pin", null)
                                .link("M1", 5, "old-hash", HOT).person(personOf(5, ADA, HOT))
                                .holds("c1", 5, PIN, "483920", null),
                        List.of("update M1 #5 crm:M1 [101] (first_name, last_name)")),
                new Row("unchanged credentials: nothing, no API call",
                        given().member(ADA).wants("M1", "pin", null).wants("M1", "card", "40010001")
                                .applied("M1", 5, HOT).person(personOf(5, ADA, HOT))
                                .holds("c1", 5, PIN, "483920", null).holds("c2", 5, CARD, "40010001", null),
                        List.of("unchanged 1")),
                new Row("credential removed in the CRM: deleted in DoorFlow",
                        given().member(ADA).link("M1", 5, "old-hash", HOT).person(personOf(5, ADA, HOT))
                                .holds("c1", 5, CARD, "40010001", null),
                        List.of("update M1 #5 crm:M1 [101] ()", "  credential delete card c1")),
                new Row("a credential of a type doorsync does not manage (front-desk fob) is left alone",
                        given().member(ADA).link("M1", 5, "old-hash", HOT).person(personOf(5, ADA, HOT))
                                .holds("f1", 5, FOB, "777", null),
                        List.of("update M1 #5 crm:M1 [101] ()")),
                new Row("a CRM row of a type doorsync does not manage: reported, ignored, member planned again",
                        given().member(ADA).wants("M1", "fob", "777").wants("M1", "card", "40010001"),
                        List.of("credential M1 fob: credential type 'fob' is not one doorsync manages",
                                "create M1 crm:M1 [101] incomplete", "  credential create card 40010001")),
                new Row("unknown credential type slug: an error for that credential, not the member or the run",
                        given().member(ADA).wants("M1", "keycard", "1").wants("M1", "pin", "1234").member(BOB),
                        List.of("credential M1 keycard: credential type 'keycard' does not exist in DoorFlow",
                                "create M1 crm:M1 [101] incomplete", "  credential create pin 1234",
                                "create M2 crm:M2 [102]")),
                new Row("two rows for one type: reported, and DoorFlow's credential of that type left alone",
                        given().member(ADA).wants("M1", "card", "1").wants("M1", "card", "2")
                                .link("M1", 5, "old-hash", HOT).person(personOf(5, ADA, HOT))
                                .holds("c1", 5, CARD, "40010001", null),
                        List.of("credential M1 card: 2 rows for credential type 'card'",
                                "update M1 #5 crm:M1 [101] () incomplete")),
                new Row("10 000-character credential value: reported for that credential",
                        given().member(ADA).wants("M1", "card", "9".repeat(10_000)),
                        List.of("credential M1 card: the value for credential type 'card' is 10000 characters long",
                                "create M1 crm:M1 [101] incomplete")),
                new Row("a member waiting on a credential problem with nothing else to do costs nothing",
                        given().member(ADA).wants("M1", "keycard", "1").link("M1", 5, SpecHash.INCOMPLETE, HOT)
                                .person(personOf(5, ADA, HOT)),
                        List.of("credential M1 keycard: credential type 'keycard' does not exist in DoorFlow",
                                "unchanged 1")),
                new Row("mobile still being revoked: the new one waits for the next run",
                        given().member(ADA).wants("M1", "mobile", null).link("M1", 5, "old-hash", HOT)
                                .person(personOf(5, ADA, HOT)).holds("m1", 5, MOBILE, null, "revoking"),
                        List.of("update M1 #5 crm:M1 [101] () incomplete")),
                new Row("mobile revoked: a new invitation",
                        given().member(ADA).wants("M1", "mobile", null).link("M1", 5, "old-hash", HOT)
                                .person(personOf(5, ADA, HOT)).holds("m1", 5, MOBILE, null, "revoked"),
                        List.of("update M1 #5 crm:M1 [101] ()", "  credential create mobile (none)")),
                new Row("deletions, then new values, then new credentials",
                        given().member(ADA).wants("M1", "card", "2").wants("M1", "mobile", null)
                                .link("M1", 5, "old-hash", HOT).person(personOf(5, ADA, HOT))
                                .holds("c1", 5, CARD, "1", null).holds("p1", 5, PIN, "1234", null),
                        List.of("update M1 #5 crm:M1 [101] ()", "  credential delete pin p1",
                                "  credential update card c1 2", "  credential create mobile (none)")),
                new Row("a person holding a card of a managed type the CRM does not give: adoption waits",
                        given().member(ADA).wants("M1", "card", "2").person(unowned(5, ADA, "ada@example.com"))
                                .holds("c1", 5, CARD, "1", null).holds("f1", 5, FOB, "777", null),
                        List.of("quarantine M1: adoption needs approval: DoorFlow person #5 has the member's email, but"
                                + " it holds card credentials the CRM does not give the member; its fob credentials, which"
                                + " doorsync does not manage, would then open the member's groups. It holds groups [],"
                                + " credential types [card, fob], and is enabled.")),
                new Row("approved: the adopted person's hand-issued card of a managed type takes the CRM's value",
                        given().member(ADA).wants("M1", "card", "2").person(unowned(5, ADA, "ada@example.com"))
                                .holds("c1", 5, CARD, "1", null).holds("f1", 5, FOB, "777", null).approve("M1", 5),
                        List.of("adopt M1 #5 crm:M1 [101]", "  credential update card c1 2")),
                new Row("a person already holding the CRM's card: adopted without approval",
                        given().member(ADA).wants("M1", "card", "2").person(unowned(5, ADA, "ada@example.com"))
                                .holds("c1", 5, CARD, "2", null),
                        List.of("adopt M1 #5 crm:M1 [101]")),
                // ---- adoption only when no access changes hands, credentials created included ----
                new Row("the CRM's card would be issued onto an unmanaged person: adoption waits",
                        given().member(ADA).wants("M1", "card", "2").person(unowned(5, ADA, "ada@example.com")),
                        List.of("quarantine M1: adoption needs approval: DoorFlow person #5 has the member's email, but"
                                + " the member's card credentials would be issued onto it. It holds groups [],"
                                + " credential types [], and is enabled.")),
                new Row("a phone invitation onto an unmanaged person: adoption waits",
                        given().member(ADA).wants("M1", "mobile", null).person(unowned(5, ADA, "ada@example.com")),
                        List.of("quarantine M1: adoption needs approval: DoorFlow person #5 has the member's email, but"
                                + " the member's mobile credentials would be issued onto it.")),
                new Row("the person already holds the CRM's card but also a group doorsync does not manage: waits",
                        given().member(ADA).wants("M1", "card", "2")
                                .person(unowned(5, ADA, "ada@example.com", UNMANAGED)).holds("c1", 5, CARD, "2", null),
                        List.of("quarantine M1: adoption needs approval: DoorFlow person #5 has the member's email, but"
                                + " it is in groups [900] that the member's teams do not give, which the member's"
                                + " credentials would then open. It holds groups [900], credential types [card], and"
                                + " is enabled.")),
                new Row("an unmanaged fob would open the member's groups: adoption waits",
                        given().member(ADA).person(unowned(5, ADA, "ada@example.com")).holds("f1", 5, FOB, "7", null),
                        List.of("quarantine M1: adoption needs approval: DoorFlow person #5 has the member's email, but"
                                + " its fob credentials, which doorsync does not manage, would then open the member's"
                                + " groups.")),
                new Row("an unmanaged fob on a person already in the member's groups: the CRM decides them from now"
                        + " on, so it waits", given().member(ADA).person(unowned(5, ADA, "ada@example.com", HOT))
                                .holds("f1", 5, FOB, "7", null),
                        List.of("quarantine M1: adoption needs approval: DoorFlow person #5 has the member's email, but"
                                + " its fob credentials")),
                new Row("a member without credentials adopting a person in an unmanaged group: waits (a card the CRM"
                        + " issues later would open it)",
                        given().member(ADA).person(unowned(5, ADA, "ada@example.com", UNMANAGED)),
                        List.of("quarantine M1: adoption needs approval: DoorFlow person #5 has the member's email, but"
                                + " it is in groups [900] that the member's teams do not give")),
                new Row("a person whose access ended: the member's open validity would widen it, so it waits",
                        given().member(ADA).person(new DoorFlowPerson(5, null, "ada@example.com", ADA.firstName(),
                                ADA.lastName(), null, null, null, null, java.time.Instant.parse("2026-01-01T00:00:00Z"),
                                true, java.util.Set.of())),
                        List.of("quarantine M1: adoption needs approval: DoorFlow person #5 has the member's email, but"
                                + " its validity open to 2026-01-01T00:00:00Z would widen to the member's open to"
                                + " open.")),
                new Row("a person with a validity the member's lies within: adopted",
                        given().member(valid(ADA, "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z"))
                                .person(new DoorFlowPerson(5, null, "ada@example.com", ADA.firstName(), ADA.lastName(),
                                        null, null, null, java.time.Instant.parse("2026-01-01T00:00:00Z"),
                                        java.time.Instant.parse("2026-06-01T00:00:00Z"), true, java.util.Set.of())),
                        List.of("adopt M1 #5 crm:M1 [101]")),
                new Row("a team mapped to a missing group keeps a managed group on the person: it waits",
                        given().teams(new CrmTeam("hot", "Hot desk", HOT), new CrmTeam("office", "Office", 999L))
                                .member(member("M1", "ada@example.com", "hot", "office"))
                                .person(unowned(5, member("M1", "ada@example.com"), "ada@example.com", LAB)),
                        List.of("team office: team 'Office' is mapped to DoorFlow group 999",
                                "quarantine M1: adoption needs approval: DoorFlow person #5 has the member's email, but"
                                + " it is in groups [103] that the member's teams do not give")),
                new Row("approved: the CRM's card is issued onto the adopted person",
                        given().member(ADA).wants("M1", "card", "2").person(unowned(5, ADA, "ada@example.com"))
                                .approve("M1", 5),
                        List.of("adopt M1 #5 crm:M1 [101]", "  credential create card 2")),
                new Row("leaving, policy disable: managed credentials deleted, hand-issued fob kept",
                        given().member(withStatus(ADA, "cancelled")).wants("M1", "card", "1").applied("M1", 5, HOT)
                                .person(personOf(5, ADA, HOT)).holds("c1", 5, CARD, "1", null)
                                .holds("m1", 5, MOBILE, null, "active").holds("f1", 5, FOB, "777", null),
                        List.of("disable M1 #5 []", "  credential delete card c1", "  credential delete mobile m1")),
                new Row("leaving, policy delete: credentials deleted before the person",
                        given().member(withStatus(ADA, "cancelled")).applied("M1", 5, HOT).policy(LeavePolicy.DELETE)
                                .person(personOf(5, ADA, HOT)).holds("c1", 5, CARD, "1", null),
                        List.of("delete M1 #5", "  credential delete card c1")),
                new Row("leaving, policy keep: credentials stay",
                        given().member(withStatus(ADA, "cancelled")).applied("M1", 5, HOT).policy(LeavePolicy.KEEP)
                                .person(personOf(5, ADA, HOT)).holds("c1", 5, CARD, "1", null),
                        List.of("unchanged 1")),
                new Row("leaving: a mobile credential already being revoked is not revoked again",
                        given().link("M1", 5, "h", HOT).person(personOf(5, ADA, HOT))
                                .holds("m1", 5, MOBILE, null, "revoking"),
                        List.of("disable M1 #5 []")),
                new Row("quarantined member: its credentials are not touched either",
                        given().member(member("M1", null, "hot")).wants("M1", "card", "2").link("M1", 5, "h", HOT)
                                .person(personOf(5, ADA, HOT)).holds("c1", 5, CARD, "1", null),
                        List.of("quarantine M1: email is missing")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void plans(Row row) {
        assertPlans(row);
    }

    @Test
    void credentialValuesArePartOfTheHash() {
        String card1 = currentHash(given().member(ADA).wants("M1", "card", "1"), "M1");
        assertThat(currentHash(given().member(ADA).wants("M1", "card", "1"), "M1")).isEqualTo(card1);
        assertThat(currentHash(given().member(ADA).wants("M1", "card", "2"), "M1")).isNotEqualTo(card1);
        assertThat(currentHash(given().member(ADA), "M1")).as("without credentials, the hash of the person alone")
                .isEqualTo(SpecHash.of(((CreatePerson) Planner.plan(given().member(ADA).input()).changes().get(0))
                        .spec(), List.of()));
    }

    @Test
    void credentialValuesNeverShowInTextThatCanReachALog() {
        Plan plan = Planner.plan(given().member(ADA).wants("M1", "card", "40010001").wants("M1", "pin", "9876")
                .input());
        assertThat(plan.toString()).doesNotContain("40010001").doesNotContain("9876");
        assertThat(new CrmCredential("M1", "card", "40010001").toString()).doesNotContain("40010001");
        assertThat(new DoorFlowCredential("c1", 5, CARD, "40010001", null).toString()).doesNotContain("40010001");
    }
}
