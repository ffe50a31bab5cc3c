package io.doorsync.explain;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.doorsync.Account;
import io.doorsync.run.SyncRunner;
import io.doorsync.support.Allocations;
import io.doorsync.support.DoorFlowContract;
import io.doorsync.support.PostgresAndSimulator;
import io.doorsync.support.TestWorld;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The explainer itself, without the API around it (AdminMembersApiTest shows that): what it reads to explain one
 * member, and what it says about members the CRM and doorsync know in different ways.
 */
@QuarkusTest
@WithTestResource(value = PostgresAndSimulator.class, scope = TestResourceScope.GLOBAL)
class MemberExplainerTest {

    @Inject
    TestWorld world;

    @Inject
    SyncRunner sync;

    @Inject
    MemberExplainer explainer;

    @BeforeEach
    void setUp() {
        world.reset();
        world.team("hot", TestWorld.HOT).member("M1", "ada@example.com", "hot").member("M2", "not an email", "hot");
        sync.runOnce("test");
    }

    @AfterEach
    void conforms() {
        DoorFlowContract.assertConforms(world.simulator().exchanges());
    }

    @Test
    void anExplanationReadsThatMembersRowsNotTheWholeCrm() {
        // 50,000 more members and their links: read whole, the explanation would allocate tens of MiB.
        world.sql("insert into crm.members (id, email, first_name, last_name) select 'X' || g, 'x' || g ||"
                + " '@example.com', 'Member', 'Number ' || g from generate_series(1, 50000) g");
        world.sql("insert into doorsync.person_link (account, member_id, person_id, applied_hash, applied_groups,"
                + " drift, linked_at, updated_at) select 'default', 'X' || g, 900000 + g, 'h', '{}', '{}', now(), now() from"
                + " generate_series(1, 50000) g");
        explainer.explain(Account.DEFAULT, "M1"); // warm: classes, caches

        long before = Allocations.byLiveThreads();
        MemberExplanation ada = explainer.explain(Account.DEFAULT, "M1").orElseThrow();

        assertThat(Allocations.byLiveThreads() - before).as("bytes allocated to explain one member among 50,000")
                .isLessThan(8L * 1024 * 1024);
        assertThat(ada.hasAccess()).isTrue();
    }

    @Test
    void aQuarantinedMemberIsExplainedByItsReasonAndAnUnknownOneNotAtAll() {
        MemberExplanation held = explainer.explain(Account.DEFAULT, "M2").orElseThrow();
        assertThat(held.hasAccess()).isFalse();
        assertThat(held.why()).anyMatch(line -> line.startsWith("quarantined: ") && line.contains("not an email"));
        assertThat(explainer.explain(Account.DEFAULT, "NOPE")).isEmpty();
    }
}
