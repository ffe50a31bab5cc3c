package io.doorsync.crm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

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
 * CRM validity columns declared as date or timestamp without time zone are read in doorsync.crm.time-zone; a
 * date in valid_to means access through the end of that day. Against a real PostgreSQL, a table and a view.
 */
@QuarkusTest
@WithTestResource(value = PostgresAndSimulator.class, scope = TestResourceScope.GLOBAL)
class CrmTimeZoneTest {

    @Inject
    DataSource dataSource;

    @Inject
    TestWorld world;

    @AfterEach
    void dropTheSchemas() {
        world.sql("drop schema if exists crm_local cascade");
    }

    @Test
    void datesAndLocalTimestampsAreReadInTheConfiguredZone() {
        world.sql("create schema crm_local");
        world.sql("create table crm_local.teams (id text, name text, doorflow_group_id bigint)");
        world.sql("create table crm_local.team_members (team_id text, member_id text)");
        world.sql("create table crm_local.member_credentials (member_id text, credential_type text, value text)");
        world.sql("create table crm_local.people (id text, email text, first_name text, last_name text, phone text,"
                + " department text, job_title text, status text, starts date, ends date, opens timestamp,"
                + " closes timestamptz)");
        // A view over the CRM's own table, as an installation would make one.
        world.sql("create view crm_local.members as select id, email, first_name, last_name, phone, department,"
                + " job_title, status, starts as valid_from, ends as valid_to from crm_local.people");
        world.sql("insert into crm_local.people values ('M1', 'ada@example.com', 'Ada', 'L', null, null, null,"
                + " 'active', '2026-03-01', '2026-03-31', '2026-06-01 08:00', '2026-06-01 08:00+00')");

        CrmMember oslo = only(new CrmReader(dataSource, "crm_local", true, false, ZoneId.of("Europe/Oslo")));
        assertThat(oslo.validFrom()).as("midnight in Oslo (CET)").isEqualTo(Instant.parse("2026-02-28T23:00:00Z"));
        assertThat(oslo.validTo()).as("through the end of the day in Oslo (CEST)")
                .isEqualTo(Instant.parse("2026-03-31T21:59:59Z"));

        CrmMember utc = only(new CrmReader(dataSource, "crm_local", true, false, ZoneId.of("UTC")));
        assertThat(utc.validTo()).isEqualTo(Instant.parse("2026-03-31T23:59:59Z"));

        world.sql("drop view crm_local.members");
        world.sql("create view crm_local.members as select id, email, first_name, last_name, phone,"
                + " department, job_title, status, opens as valid_from, closes as valid_to from crm_local.people");
        CrmMember offset = only(new CrmReader(dataSource, "crm_local", true, false, ZoneOffset.ofHours(2)));
        assertThat(offset.validFrom()).as("a local timestamp at +02:00, not POSIX's -02:00")
                .isEqualTo(Instant.parse("2026-06-01T06:00:00Z"));
        assertThat(offset.validTo()).as("a timestamptz carries its own zone")
                .isEqualTo(Instant.parse("2026-06-01T08:00:00Z"));
    }

    private static CrmMember only(CrmReader reader) {
        return reader.read().members().get(0);
    }
}
