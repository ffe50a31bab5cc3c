package io.doorsync.plan;

import static io.doorsync.plan.PlanFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.doorsync.plan.Change.CreatePerson;
import io.doorsync.plan.PlanFixture.Row;

/** The person rules, one row each: creating, adopting, updating, and the order of a plan. */
class PeoplePlanTest {

    static Stream<Row> rows() {
        return Stream.of(
                // ---- creating and adopting ----
                new Row("new member, nobody in DoorFlow: create with the team's group",
                        given().member(ADA),
                        List.of("create M1 crm:M1 [101]")),
                new Row("team mapped to no group: create with no groups",
                        given().member(member("M1", "ada@example.com", "podcast")),
                        List.of("create M1 crm:M1 []")),
                new Row("system_id prefix is configurable",
                        given().member(ADA).prefix("club"),
                        List.of("create M1 club:M1 [101]")),
                new Row("unowned person with the same email (other case) and names: adopted",
                        given().member(ADA).person(unowned(5, ADA, "ADA@Example.COM")),
                        List.of("adopt M1 #5 crm:M1 [101]")),
                new Row("adopting takes away managed groups the member's teams do not give",
                        given().member(ADA).person(unowned(5, ADA, "ada@example.com", OFFICE)),
                        List.of("adopt M1 #5 crm:M1 [101]")),
                new Row("approved: an adopted person keeps the groups doorsync does not manage",
                        given().member(ADA).person(unowned(5, ADA, "ada@example.com", UNMANAGED)).approve("M1", 5),
                        List.of("adopt M1 #5 crm:M1 [101, 900]")),
                // ---- adoption only when no access changes hands; otherwise an operator approves ----
                new Row("an unmanaged person with another name (say a staff record): adoption waits for approval",
                        given().member(ADA).person(person(5, null, "ada@example.com", UNMANAGED, OFFICE))
                                .holds("f1", 5, FOB, "9", null),
                        List.of("quarantine M1: adoption needs approval: DoorFlow person #5 has the member's email, but"
                                + " its name 'Hand Made' is not the member's; it is in groups [900] that the member's teams do"
                                + " not give, which the member's credentials would then open; its fob credentials, which"
                                + " doorsync does not manage, would then open the member's groups. It holds groups"
                                + " [102, 900], credential"
                                + " types [fob], and is enabled. Approve with POST /admin/api/adoptions/M1?personId=5")),
                new Row("a person an admin disabled is never re-enabled without approval",
                        given().member(ADA).person(disabled(unowned(5, ADA, "ada@example.com"))),
                        List.of("quarantine M1: adoption needs approval: DoorFlow person #5 has the member's email, but"
                                + " it is disabled in DoorFlow.")),
                new Row("approved by an operator: adopted, enabled, with the member's groups",
                        given().member(ADA).person(disabled(person(5, null, "ada@example.com", OFFICE, UNMANAGED)))
                                .approve("M1", 5),
                        List.of("adopt M1 #5 crm:M1 [101, 900]")),
                new Row("an approval for another DoorFlow person does not count",
                        given().member(ADA).person(person(5, null, "ada@example.com")).approve("M1", 6),
                        List.of("quarantine M1: adoption needs approval: DoorFlow person #5")),
                new Row("email owned by another system: conflict, quarantined, nothing written",
                        given().member(ADA).person(person(5, "hr:77", "ada@example.com")),
                        List.of("quarantine M1: email 'ada@example.com' is already used by DoorFlow person #5"
                                + " (system_id 'hr:77')")),
                new Row("email on a person doorsync manages for another member: conflict",
                        given().member(ADA).person(person(5, "crm:M9", "ada@example.com")).link("M9", 5, "h"),
                        List.of("quarantine M1: email 'ada@example.com' is already used by DoorFlow person #5"
                                + " (system_id 'crm:M9')", "disable M9 #5 []")),
                new Row("email matches two unowned people: conflict, merge first",
                        given().member(ADA).person(person(5, null, "ada@example.com"))
                                .person(person(6, null, "Ada@example.com")),
                        List.of("quarantine M1: email 'ada@example.com' matches several unmanaged")),
                new Row("email filter is partial in DoorFlow; only an exact (case-insensitive) match adopts",
                        given().member(ADA).person(person(5, null, "ada@example.com.au")),
                        List.of("create M1 crm:M1 [101]")),
                new Row("crash after create, before the link was saved: found by system_id, relinked, not duplicated",
                        given().member(ADA).person(personOf(5, ADA, HOT)).creating("M1"),
                        List.of("update M1 #5 crm:M1 [101] ()")),
                new Row("a person with the member's system_id this installation never created: left alone",
                        given().member(ADA).person(personOf(5, ADA, HOT)),
                        List.of("quarantine M1: DoorFlow person #5 (system_id 'crm:M1') carries system_id crm:M1, but"
                                + " this installation did not create it: another doorsync installation")),
                new Row("linked person deleted by hand in DoorFlow: created again",
                        given().member(ADA).applied("M1", 5, HOT),
                        List.of("create M1 crm:M1 [101]")),
                new Row("linked person deleted by hand, its replacement's create lost its answer: relinked",
                        given().member(ADA).applied("M1", 5, HOT).person(personOf(6, ADA, HOT)).creating("M1"),
                        List.of("update M1 #6 crm:M1 [101] ()")),
                new Row("linked person deleted by hand, a person with its system_id it did not create: left alone",
                        given().member(ADA).applied("M1", 5, HOT).person(personOf(6, ADA, HOT)),
                        List.of("quarantine M1: DoorFlow person #6 (system_id 'crm:M1') carries system_id crm:M1, but"
                                + " this installation did not create it: another doorsync installation")),
                new Row("link to a person whose system_id was changed by hand: that person is not touched",
                        given().member(ADA).applied("M1", 5, HOT).person(person(5, "hr:1", "ada@example.com", HOT)),
                        List.of("quarantine M1: email 'ada@example.com' is already used by DoorFlow person #5")),
                // ---- updating ----
                new Row("unchanged member: nothing, no API call",
                        given().member(ADA).applied("M1", 5, HOT).person(personOf(5, ADA, HOT, UNMANAGED)),
                        List.of("unchanged 1")),
                new Row("email changed in the CRM: update",
                        given().member(member("M1", "ada.l@example.com", "hot"))
                                .link("M1", 5, "old-hash", HOT).person(personOf(5, ADA, HOT)),
                        List.of("update M1 #5 crm:M1 [101] (email)")),
                new Row("names and phone changed: update those fields",
                        given().member(withPhone(named(ADA, "Augusta", "King"), "+44 20 7946 0000"))
                                .link("M1", 5, "old-hash", HOT).person(personOf(5, ADA, HOT)),
                        List.of("update M1 #5 crm:M1 [101] (first_name, last_name, telephone)")),
                new Row("valid_from / valid_to passed through",
                        given().member(valid(ADA, "2026-01-01T00:00:00Z", "2026-12-31T23:59:59Z"))
                                .link("M1", 5, "old-hash", HOT).person(personOf(5, ADA, HOT)),
                        List.of("update M1 #5 crm:M1 [101] (valid_from, valid_to)")),
                new Row("team change: (current − managed) ∪ desired, unmanaged groups preserved",
                        given().member(member("M1", "ada@example.com", "office"))
                                .link("M1", 5, "old-hash", HOT).person(personOf(5, ADA, HOT, UNMANAGED)),
                        List.of("update M1 #5 crm:M1 [102, 900] (groups)")),
                new Row("a group doorsync applied whose team is now unmapped is removed too",
                        given().member(ADA).link("M1", 5, "old-hash", HOT, LAB)
                                .person(personOf(5, ADA, HOT, LAB, UNMANAGED)),
                        List.of("update M1 #5 crm:M1 [101, 900] (groups)")),
                new Row("a group added by hand that doorsync does not manage stays",
                        given().member(ADA).link("M1", 5, "old-hash", HOT).person(personOf(5, ADA, HOT, LAB)),
                        List.of("update M1 #5 crm:M1 [101, 103] ()")),
                // ---- ordering ----
                new Row("revocations first, then updates, then creations",
                        given().member(member("M3", "cy@example.com", "hot"))
                                .member(member("M1", "ada.new@example.com", "hot")).link("M1", 5, "old", HOT)
                                .person(personOf(5, ADA, HOT))
                                .member(withStatus(BOB, "cancelled")).applied("M2", 6, OFFICE)
                                .person(personOf(6, BOB, OFFICE)),
                        List.of("disable M2 #6 []", "update M1 #5 crm:M1 [101] (email)", "create M3 crm:M3 [101]")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void plans(Row row) {
        assertPlans(row);
    }

    @Test
    void anUnchangedMemberHashesTheSameAndAnyFieldChangeChangesTheHash() {
        Given g = given().member(ADA);
        String before = currentHash(g, "M1");
        assertThat(currentHash(given().member(ADA), "M1")).isEqualTo(before);
        for (CrmMember changed : List.of(member("M1", "ada2@example.com", "hot"), named(ADA, "Ada", "King"),
                withPhone(ADA, "1"), valid(ADA, "2026-01-01T00:00:00Z", null), member("M1", "ada@example.com"))) {
            assertThat(currentHash(given().member(changed), "M1")).as(changed.toString()).isNotEqualTo(before);
        }
    }

    @Test
    void createCarriesEveryManagedField() {
        CrmMember full = new CrmMember("M7", " Grace@Example.com ", " Grace ", "Hopper", " +1 555 0100 ", "Navy",
                "Rear admiral", "active", Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2027-01-01T00:00:00Z"),
                Set.of("hot"));
        CreatePerson create = (CreatePerson) Planner.plan(given().member(full).input()).changes().get(0);
        assertThat(create.spec()).isEqualTo(new PersonSpec("crm:M7", "Grace@Example.com", "Grace", "Hopper",
                "+1 555 0100", "Navy", "Rear admiral", Instant.parse("2026-01-01T00:00:00Z"),
                Instant.parse("2027-01-01T00:00:00Z"), true, new java.util.TreeSet<>(Set.of(HOT))));
    }
}
