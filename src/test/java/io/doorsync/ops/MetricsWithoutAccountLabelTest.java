package io.doorsync.ops;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.doorsync.Account;
import io.doorsync.accounts.AccountRegistry;
import io.doorsync.run.RunReport;
import io.doorsync.run.SyncRunner;
import io.doorsync.support.CrmRows;
import io.doorsync.support.MetricsText;
import io.doorsync.support.PostgresAndSimulator;
import io.doorsync.support.Profiles;
import io.doorsync.support.TestWorld;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * doorsync.metrics.account-label=false, the switch for thousands of accounts: one series each, adding up the
 * accounts (counters, counts) or saying the worst of them (last success, guard).
 */
@QuarkusTest
@TestProfile(Profiles.NoAccountLabel.class)
@WithTestResource(value = PostgresAndSimulator.class, scope = TestResourceScope.GLOBAL)
class MetricsWithoutAccountLabelTest {

    @Inject
    TestWorld world;

    @Inject
    AccountRegistry accounts;

    @Inject
    SyncRunner sync;

    @Test
    void everyAccountIsCountedInOneSeriesAndTheStalestSuccessIsTheOneShown() {
        world.reset();
        world.otherTenant("acc_north", "north-key", "crm_north");
        CrmRows.member("M1", "bea@north.example", "hot").insertInto("crm_north", world::sql);
        CrmRows.member("M2", "cy@north.example", "hot").insertInto("crm_north", world::sql);
        world.team("hot", TestWorld.HOT).member("M1", "ada@own.example", "hot");
        accounts.add(new Account("north"), "crm_north", "north-key");

        // North first: its success is the older one, which a gauge of the installation's own account alone would miss.
        assertThat(sync.runOnce(new Account("north"), "test", false).outcome()).isEqualTo(RunReport.Outcome.SUCCESS);
        sleep(1100);
        assertThat(sync.runOnce(Account.DEFAULT, "test", false).outcome()).isEqualTo(RunReport.Outcome.SUCCESS);
        String metrics = MetricsText.scrape();

        assertThat(metrics).doesNotContain("account=")
                .containsPattern("(?m)^doorsync_runs_total\\{outcome=\"success\",?} 2\\.0$")
                .containsPattern("(?m)^doorsync_linked_people 3\\.0$")
                .containsPattern("(?m)^doorsync_revocation_guard_holding 0\\.0$");
        long lastSuccess = Long.parseLong(metrics.replaceAll("(?s).*\\ndoorsync_last_success_timestamp_seconds"
                + " ([0-9.E]+)\\n.*", "$1").replace(".0", "").replaceAll("\\.(\\d+)E9", "$1"));
        long northsSuccess = world.rows("select floor(extract(epoch from finished_at))::bigint as t from"
                + " doorsync.sync_run where account = 'north' and complete").stream()
                .mapToLong(r -> ((Number) r.get("t")).longValue()).max().orElseThrow();
        assertThat(lastSuccess).as("the older of the two accounts' last successes: north's").isEqualTo(northsSuccess);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
