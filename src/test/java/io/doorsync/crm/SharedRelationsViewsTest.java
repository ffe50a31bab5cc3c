package io.doorsync.crm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import io.doorsync.Account;
import io.doorsync.accounts.AccountRegistry;
import io.doorsync.run.RunReport;
import io.doorsync.run.SyncRunner;
import io.doorsync.simulator.DoorFlowSimulator;
import io.doorsync.support.DoorFlowContract;
import io.doorsync.support.PostgresAndSimulator;
import io.doorsync.support.TestWorld;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The other form of the CRM contract, as docs/sync-rules.md shows it: every tenant in shared relations with an
 * account column, each doorsync account reading its own schema of views (crm/shared-relations/account-views.sql),
 * woken by the shared relations' triggers (crm/shared-relations/wake-ups.sql), which name the account's schema.
 */
@QuarkusTest
@WithTestResource(value = PostgresAndSimulator.class, scope = TestResourceScope.GLOBAL)
class SharedRelationsViewsTest {

    private static final Account NORTH = new Account("north");
    private static final Account SOUTH = new Account("south");

    @Inject
    TestWorld world;

    @Inject
    DataSource dataSource;

    @Inject
    AccountRegistry accounts;

    @Inject
    SyncRunner sync;

    DoorFlowSimulator north;
    DoorFlowSimulator south;

    @AfterEach
    void conforms() {
        DoorFlowContract.assertConforms(north.exchanges());
        DoorFlowContract.assertConforms(south.exchanges());
    }

    @Test
    void eachAccountReadsItsOwnRowsThroughItsViewsAndIsWokenByItsOwnChanges() throws Exception {
        world.reset();
        north = world.simulator().addAccount("acc_north", "north-key");
        south = world.simulator().addAccount("acc_south", "south-key");
        north.addGroup(TestWorld.HOT, "Hot desk");
        south.addGroup(TestWorld.HOT, "Hot desk");
        world.sql("drop schema if exists shared_crm, crmv_north, crmv_south cascade");
        world.sql("create schema shared_crm");
        world.sql("create table shared_crm.members (account text not null, id text not null, email text, first_name"
                + " text, last_name text, phone text, department text, job_title text, status text not null default"
                + " 'active', valid_from timestamptz, valid_to timestamptz, updated_at timestamptz not null default"
                + " now(), primary key (account, id))");
        world.sql("create table shared_crm.teams (account text not null, id text not null, name text not null,"
                + " doorflow_group_id bigint, updated_at timestamptz not null default now(), primary key (account,"
                + " id))");
        world.sql("create table shared_crm.team_members (account text not null, team_id text not null, member_id"
                + " text not null, primary key (account, team_id, member_id))");
        world.sql("create table shared_crm.member_credentials (account text not null, member_id text not null,"
                + " credential_type text not null, value text, updated_at timestamptz not null default now(),"
                + " primary key (account, member_id, credential_type))");
        world.sql("create table shared_crm.member_photos (account text not null, member_id text not null, image bytea,"
                + " image_url text, updated_at timestamptz not null default now(), primary key (account, member_id))");
        for (String account : List.of("north", "south")) {
            run("crm/shared-relations/account-views.sql", Map.of("shared_schema", "shared_crm", "crm_schema",
                    "crmv_" + account, "account", account));
            world.sql("insert into shared_crm.teams (account, id, name, doorflow_group_id) values (?, 'hot', 'Hot',"
                    + " ?)", account, TestWorld.HOT);
        }
        run("crm/shared-relations/wake-ups.sql", Map.of("shared_schema", "shared_crm", "schema_prefix", "crmv_"));
        member("north", "M1", "bea@north.example");
        member("north", "M2", "cy@north.example");
        member("south", "M1", "dee@south.example"); // the same member id in another tenant
        accounts.add(NORTH, "crmv_north", "north-key");
        accounts.add(SOUTH, "crmv_south", "south-key");

        assertThat(sync.runOnce(NORTH, "test", false).outcome()).isEqualTo(RunReport.Outcome.SUCCESS);
        assertThat(sync.runOnce(SOUTH, "test", false).outcome()).isEqualTo(RunReport.Outcome.SUCCESS);
        assertThat(north.people()).extracting(p -> p.path("email").asText())
                .containsExactlyInAnyOrder("bea@north.example", "cy@north.example");
        assertThat(south.people()).extracting(p -> p.path("email").asText()).containsExactly("dee@south.example");

        // One transaction touching both tenants, north twice: one wake-up for each account's schema.
        try (Connection listener = dataSource.getConnection(); Statement s = listener.createStatement()) {
            s.execute("listen doorsync_crm");
            world.sql("update shared_crm.members set last_name = 'Changed'");
            PGNotification[] arrived = listener.unwrap(PGConnection.class).getNotifications(5_000);
            assertThat(Arrays.stream(arrived).map(PGNotification::getParameter))
                    .containsExactlyInAnyOrder("{\"schema\" : \"crmv_north\", \"table\" : \"members\"}",
                            "{\"schema\" : \"crmv_south\", \"table\" : \"members\"}");
        }
        assertThat(accounts.withCrmSchema("crmv_north")).as("the wake-up reaches the account").containsExactly(NORTH);
        assertThat(world.rows("select count(*) as n from crmv_north.member_photos").get(0).get("n"))
                .as("the optional photos have their view too").isEqualTo(0L);
        assertThat(sync.runOnce(SOUTH, "test", false).outcome()).isEqualTo(RunReport.Outcome.SUCCESS);
        assertThat(south.people()).singleElement()
                .satisfies(p -> assertThat(p.path("last_name").asText()).isEqualTo("Changed"));
        assertThat(north.people()).as("north not run yet: its DoorFlow untouched")
                .noneMatch(p -> "Changed".equals(p.path("last_name").asText()));
    }

    private void member(String account, String id, String email) {
        world.sql("insert into shared_crm.members (account, id, email, first_name, last_name) values (?, ?, ?, 'A',"
                + " 'Member')", account, id, email);
        world.sql("insert into shared_crm.team_members (account, team_id, member_id) values (?, 'hot', ?)", account,
                id);
    }

    /** Runs a shipped SQL file with its ${placeholders} replaced, as an operator would with psql. */
    private void run(String resource, Map<String, String> placeholders) throws IOException, SQLException {
        String sql;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(resource)) {
            sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (Map.Entry<String, String> p : placeholders.entrySet()) {
            sql = sql.replace("${" + p.getKey() + "}", p.getValue());
        }
        assertThat(sql).as("every placeholder replaced").doesNotContain("${");
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
