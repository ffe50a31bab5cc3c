package io.doorsync.plan;

import static io.doorsync.plan.PlanFixture.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.doorsync.plan.PlanFixture.Given;
import io.doorsync.plan.PlanFixture.Row;

/**
 * Attribute mappings (doorsync.mapping.custom_1=company), one row each: a mapped field is sent, compared in its
 * normal form and repaired like any descriptive field; adding a mapping re-sends it to the members it gives a
 * value to and to no one else; and the table refuses what DoorFlow could not take.
 */
class FieldMappingPlanTest {

    static final PersonFields COMPANY = PersonFields.withMappings(Map.of("custom_1", "company"));

    static Stream<Row> rows() {
        return Stream.of(
                new Row("a mapping added: a member without a value is not sent anything",
                        appliedBefore(ADA).member(mapped(ADA, null)).person(mapped(personOf(5, ADA, HOT), null)),
                        List.of("unchanged 1")),
                new Row("a mapping added: a member with a value is sent that field",
                        appliedBefore(ADA).member(mapped(ADA, "Acme")).person(mapped(personOf(5, ADA, HOT), null)),
                        List.of("update M1 #5 crm:M1 [101] (custom_1)")),
                new Row("a mapping added where DoorFlow already holds the value: sent once, nothing differs",
                        appliedBefore(ADA).member(mapped(ADA, "Acme"))
                                .person(mapped(personOf(5, ADA, HOT), "Acme")),
                        List.of("update M1 #5 crm:M1 [101] ()")),
                new Row("applied with the mapping and unchanged: nothing to do",
                        given().member(mapped(ADA, "Acme")).applied("M1", 5, HOT)
                                .person(mapped(personOf(5, ADA, HOT), "Acme")),
                        List.of("unchanged 1")),
                new Row("the value changed in the CRM: that field is sent",
                        given().member(mapped(ADA, "Acme")).applied("M1", 5, HOT).also(mapped(ADA, "Acme Ltd"))
                                .person(mapped(personOf(5, ADA, HOT), "Acme")),
                        List.of("update M1 #5 crm:M1 [101] (custom_1)")),
                new Row("the value removed in the CRM: DoorFlow's is cleared",
                        given().member(mapped(ADA, "Acme")).applied("M1", 5, HOT).also(mapped(ADA, "  "))
                                .person(mapped(personOf(5, ADA, HOT), "Acme")),
                        List.of("update M1 #5 crm:M1 [101] (custom_1)")),
                new Row("edited by hand in DoorFlow: put back, as drift",
                        given().member(mapped(ADA, "Acme")).applied("M1", 5, HOT)
                                .person(mapped(personOf(5, ADA, HOT), "Evil Corp")),
                        List.of("update M1 #5 crm:M1 [101] (custom_1) drift(custom_1)")),
                new Row("blanks DoorFlow added around the value are its normal form, not drift",
                        given().member(mapped(ADA, "Acme")).applied("M1", 5, HOT)
                                .person(mapped(personOf(5, ADA, HOT), " Acme ")),
                        List.of("unchanged 1")),
                new Row("DoorFlow did not keep it after the limit: given up, as any descriptive field",
                        given().member(mapped(ADA, "Acme")).applied("M1", 5, HOT)
                                .person(mapped(personOf(5, ADA, HOT), "Evil Corp"))
                                .repaired("M1", "custom_1", 3, mapped(personOf(5, ADA, HOT), "Evil Corp")),
                        List.of("drift M1 custom_1: DoorFlow did not keep custom_1 after 3 repairs in a row;"
                                + " doorsync stops writing it", "unchanged 1")),
                new Row("too long for DoorFlow: quarantined, naming the column and the setting",
                        given().member(mapped(ADA, "x".repeat(256))),
                        List.of("quarantine M1: company (doorsync.mapping.custom_1) is 256 characters long"
                                + " (at most 255)")),
                new Row("a new member is created with the mapped field",
                        given().member(mapped(ADA, "Acme")),
                        List.of("create M1 crm:M1 [101]")),
                new Row("the mapping removed: sent once without the field, which DoorFlow keeps",
                        given().member(mapped(ADA, "Acme")).applied("M1", 5, HOT).also(ADA)
                                .person(personOf(5, ADA, HOT)),
                        List.of("update M1 #5 crm:M1 [101] ()")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void plans(Row row) {
        assertPlans(row);
    }

    @Test
    void theSpecCarriesTheMappedValueAsDoorFlowIsSentIt() {
        Change.CreatePerson create = (Change.CreatePerson) Planner.plan(given().member(mapped(ADA, "  Acme  "))
                .input()).changes().get(0);
        assertThat(create.spec().texts().get("custom_1")).isEqualTo("Acme");
        assertThat(create.spec().texts().fields()).isEqualTo(COMPANY);
    }

    @Test
    void anUnmappedOrMappedButEmptyFieldLeavesTheHashAsItWas() {
        PersonSpec builtIn = new PersonSpec("crm:M1", "ada@example.com", "Ada", "Lovelace", null, null, null, null,
                null, true, new TreeSet<>(List.of(101L)));
        PersonSpec mappedEmpty = new PersonSpec("crm:M1", PersonTexts.of(COMPANY, "ada@example.com", "Ada",
                "Lovelace", null, null, null, null), null, null, true, new TreeSet<>(List.of(101L)));
        PersonSpec mappedAcme = new PersonSpec("crm:M1", PersonTexts.of(COMPANY, "ada@example.com", "Ada",
                "Lovelace", null, null, null, "Acme"), null, null, true, new TreeSet<>(List.of(101L)));
        assertThat(SpecHash.of(mappedEmpty, List.of())).isEqualTo(SpecHash.of(builtIn, List.of()));
        assertThat(SpecHash.of(mappedAcme, List.of())).isNotEqualTo(SpecHash.of(builtIn, List.of()));
        assertThat(SpecHash.of(mappedAcme, List.of("card=1"))).isNotEqualTo(SpecHash.of(mappedAcme, List.of()));
    }

    @Test
    void theTableRefusesWhatDoorFlowCouldNotTakeNamingTheSetting() {
        assertThat(PersonFields.withMappings(Map.of())).isSameAs(PersonFields.BUILT_IN);
        assertThat(PersonFields.withMappings(Map.of("notes", "remarks", "custom_1", "company")).all().stream()
                .filter(PersonField::mapped).map(PersonField::doorflowField)).containsExactly("custom_1", "notes");
        assertThatThrownBy(() -> PersonFields.withMappings(Map.of("email", "work_email")))
                .hasMessageStartingWith("doorsync.mapping.email: DoorFlow field 'email' cannot be mapped");
        assertThatThrownBy(() -> PersonFields.withMappings(Map.of("custom_6", "company")))
                .hasMessageStartingWith("doorsync.mapping.custom_6:");
        assertThatThrownBy(() -> PersonFields.withMappings(Map.of("custom_1", "company; drop table x")))
                .hasMessageStartingWith("doorsync.mapping.custom_1 = 'company; drop table x' is not a plain column");
    }

    /** Linked with the hash applied before any mapping: {@code m} as it was, replaced by the row's own members. */
    private static Given appliedBefore(CrmMember m) {
        Given g = given().member(m).applied(m.id(), 5, HOT);
        g.members.clear();
        return g;
    }

    static CrmMember mapped(CrmMember m, String company) {
        return new CrmMember(m.id(), withCompany(m.texts(), company), m.status(), m.validFrom(), m.validTo(),
                m.teamIds());
    }

    static DoorFlowPerson mapped(DoorFlowPerson p, String custom1) {
        return new DoorFlowPerson(p.id(), p.systemId(), withCompany(p.texts(), custom1), p.validFrom(), p.validTo(),
                p.enabled(), p.groupIds());
    }

    /** Built-in values in the table with the mapping, custom_1 set. */
    private static PersonTexts withCompany(PersonTexts builtIn, String company) {
        String[] values = new String[COMPANY.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = builtIn.get(COMPANY.get(i).doorflowField());
        }
        return PersonTexts.of(COMPANY, values).with("custom_1", company);
    }
}
