package io.doorsync.run;

import static io.doorsync.support.TestWorld.HOT;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.doorsync.plan.PersonSpec;
import io.doorsync.plan.SpecHash;
import io.doorsync.support.PostgresAndSimulator;
import io.doorsync.support.Profiles;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * doorsync.mapping.custom_1=company over HTTP: the CRM's company reaches DoorFlow's custom_1, a hand edit of it is
 * put back, and it is sent again only when the value changes. A member without a company keeps the hash it had
 * before the mapping existed, so adding a mapping re-sends only the members it gives a value to.
 */
@QuarkusTest
@TestProfile(Profiles.CompanyInCustom1.class)
@WithTestResource(value = PostgresAndSimulator.class, scope = TestResourceScope.GLOBAL)
class FieldMappingTest extends AgainstTheSimulator {

    private static final String UPDATE = "PUT /api/3/people/{id}";

    @BeforeEach
    void setUp() {
        world.sql("alter table crm.members add column if not exists company text");
        world.team("hot", HOT).member("M1", "ada@example.com", "hot").member("M2", "bob@example.com", "hot")
                .member("M3", "cy@example.com", "hot");
    }

    @Test
    void theMappedColumnIsSyncedRepairedAndResentOnlyWhenItsValueChanges() {
        world.sql("update crm.members set company = ' Acme ' where id = 'M2'");
        assertThat(sync.runOnce("test").outcome()).isEqualTo(RunReport.Outcome.SUCCESS);
        assertThat(world.person("M2").get("custom_1").asText()).isEqualTo("Acme");
        assertThat(world.person("M1").path("custom_1").isNull()).isTrue();
        // Without a company, a member's hash is the one it had before any mapping: an upgrade sends it nothing.
        PersonSpec withoutMapping = new PersonSpec("crm:M1", "ada@example.com", "FirstM1", "LastM1", null, null, null,
                null, null, true, new TreeSet<>(List.of(HOT)));
        assertThat(world.rows("select applied_hash from doorsync.person_link where member_id = 'M1'").get(0)
                .get("applied_hash")).isEqualTo(SpecHash.of(withoutMapping, List.of()));
        assertIdle();

        world.sql("update crm.members set company = 'Globex' where id = 'M1'"); // the mapping gives M1 a value
        doorflow.clearCalls();
        RunReport valueChanged = sync.runOnce("test");
        assertThat(valueChanged.totals().applied()).isEqualTo(1);
        assertThat(doorflow.calls(UPDATE)).isEqualTo(1);
        assertThat(world.person("M1").get("custom_1").asText()).isEqualTo("Globex");
        assertThat(world.journal("M1")).last().asString().startsWith("update applied").contains("custom_1");
        assertIdle();

        doorflow.editPerson(world.personId("M2"), Map.of("custom_1", "Evil Corp", "custom_2", "by hand"));
        RunReport repair = sync.runOnce("test");
        assertThat(repair.totals().applied()).isEqualTo(1);
        assertThat(world.person("M2").get("custom_1").asText()).isEqualTo("Acme");
        assertThat(world.person("M2").get("custom_2").asText()).as("an unmapped field is not doorsync's")
                .isEqualTo("by hand");
        assertThat(world.journal("M2")).last().asString()
                .startsWith("drift applied: DoorFlow differed from what doorsync applied in custom_1");
        assertIdle();
    }

    @Test
    void aMappedColumnTheCrmLacksFailsTheRunNamingTheSetting() {
        world.sql("alter table crm.members drop column company");
        RunReport failed = sync.runOnce("test");
        assertThat(failed.outcome()).isEqualTo(RunReport.Outcome.FAILED);
        assertThat(failed.message()).contains("doorsync.mapping.custom_1 names column 'company', which \"crm\".members"
                + " does not have");
        assertThat(doorflow.people()).isEmpty();
    }
}
