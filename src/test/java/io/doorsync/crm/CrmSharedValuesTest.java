package io.doorsync.crm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneId;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.doorsync.plan.CrmMember;
import io.doorsync.support.PostgresAndSimulator;
import io.doorsync.support.TestWorld;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A read of the CRM holds each member's teams as read (whatever the order and repetitions of team_members), and
 * keeps a value many members share once: the same set of teams, status and credential type. At 100,000 members
 * the copies were a tenth of what a run of everyone held.
 */
@QuarkusTest
@WithTestResource(value = PostgresAndSimulator.class, scope = TestResourceScope.GLOBAL)
class CrmSharedValuesTest {

    @Inject
    DataSource dataSource;

    @Inject
    TestWorld world;

    @AfterEach
    void dropTheSchema() {
        world.sql("drop schema if exists crm_shared cascade");
    }

    @Test
    void teamsAreReadWholeAndSharedValuesAreKeptOnce() {
        world.sql("create schema crm_shared");
        world.sql("create table crm_shared.teams (id text, name text, doorflow_group_id bigint)");
        world.sql("create table crm_shared.team_members (team_id text, member_id text)");
        world.sql("create table crm_shared.member_credentials (member_id text, credential_type text, value text)");
        world.sql("create table crm_shared.members (id text, email text, first_name text, last_name text, phone text,"
                + " department text, job_title text, status text, valid_from timestamptz, valid_to timestamptz)");
        world.sql("insert into crm_shared.teams values ('desk', 'Desk', 1), ('gym', 'Gym', 2), ('night', 'Night', 3)");
        world.sql("insert into crm_shared.members (id, email, first_name, last_name, status) values"
                + " ('M1', 'a@example.com', 'A', 'A', 'active'), ('M2', 'b@example.com', 'B', 'B', 'active'),"
                + " ('M3', 'c@example.com', 'C', 'C', 'active'), ('M4', 'd@example.com', 'D', 'D', 'cancelled')");
        // M1 and M2 in the same two teams, listed in different orders; M3 in one team, listed twice; M4 in none.
        world.sql("insert into crm_shared.team_members values ('desk', 'M1'), ('gym', 'M2'), ('gym', 'M1'),"
                + " ('desk', 'M2'), ('night', 'M3'), ('night', 'M3'), ('desk', 'M1')");
        world.sql("insert into crm_shared.member_credentials values ('M1', 'card', '1'), ('M2', 'card', '2')");

        CrmReader.CrmSnapshot crm = new CrmReader(dataSource, "crm_shared", true, false, ZoneId.of("UTC")).read();
        Map<String, CrmMember> byId = crm.members().stream()
                .collect(Collectors.toMap(CrmMember::id, Function.identity()));

        assertThat(byId.get("M1").teamIds()).containsExactlyInAnyOrder("desk", "gym");
        assertThat(byId.get("M3").teamIds()).isEqualTo(Set.of("night"));
        assertThat(byId.get("M4").teamIds()).isEmpty();
        assertThat(byId.get("M2").teamIds()).as("one set for the members of the same teams")
                .isSameAs(byId.get("M1").teamIds());
        assertThat(byId.get("M2").status()).as("one string for a status").isSameAs(byId.get("M1").status())
                .isSameAs(byId.get("M3").status());
        assertThat(crm.credentials().get(1).typeSlug()).as("one string for a credential type")
                .isSameAs(crm.credentials().get(0).typeSlug());
    }
}
