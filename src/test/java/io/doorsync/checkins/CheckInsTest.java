package io.doorsync.checkins;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.doorsync.Account;
import io.doorsync.doorflow.oauth.DoorFlowOAuth;
import io.doorsync.run.SyncRunner;
import io.doorsync.simulator.DoorFlowSimulator;
import io.doorsync.support.DoorFlowContract;
import io.doorsync.support.OAuthFlow;
import io.doorsync.support.PostgresAndSimulator;
import io.doorsync.support.TestWorld;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** DoorFlow's access events read into doorsync.check_in: member, door, admitted or not, once each, no secrets. */
@QuarkusTest
@WithTestResource(value = PostgresAndSimulator.class, scope = TestResourceScope.GLOBAL)
class CheckInsTest {

    static final long FRONT = 1340;
    static final long OFFICE_DOOR = 1342;

    @Inject
    TestWorld world;

    @Inject
    SyncRunner sync;

    @Inject
    CheckIns checkIns;

    @Inject
    CheckInScheduler scheduler;

    @Inject
    DoorFlowOAuth oauth;

    @ConfigProperty(name = "quarkus.management.test-port")
    int managementPort;

    DoorFlowSimulator doorflow;

    @BeforeEach
    void setUp() {
        world.reset();
        doorflow = world.simulator();
        doorflow.addDoor(FRONT, "Front door", Set.of(TestWorld.HOT, TestWorld.OFFICE));
        doorflow.addDoor(OFFICE_DOOR, "Office 3F", Set.of(TestWorld.OFFICE));
        world.team("hot", TestWorld.HOT).team("office", TestWorld.OFFICE)
                .member("M1", "ada@example.com", "hot").member("M2", "bob@example.com", "office")
                .credential("M1", "card", "40010001");
        sync.runOnce("test");
    }

    @AfterEach
    void conforms() {
        DoorFlowContract.assertConforms(doorflow.exchanges());
    }

    @Test
    void admitsAndRejectsArriveOnceEachWithTheirMemberAndNoCredentialNumber() {
        long ada = world.personId("M1");
        long bob = world.personId("M2");
        long tablet = doorflow.addPerson(Map.of("first_name", "Front", "last_name", "Tablet", "group_ids",
                List.of(TestWorld.HOT)));
        doorflow.badge(ada, FRONT);
        doorflow.badge(ada, OFFICE_DOOR);
        doorflow.badge(bob, OFFICE_DOOR);
        doorflow.badge(tablet, FRONT);
        world.sql("update crm.members set status = 'cancelled' where id = 'M2'");
        sync.runOnce("test");
        doorflow.badge(bob, FRONT);
        assertThat(doorflow.events()).extracting(e -> e.get("credentials_number").asText(null))
                .as("DoorFlow names the card used").contains("40010001");

        CheckIns.Read read = checkIns.readNew(Account.DEFAULT);

        assertThat(read.added()).isEqualTo(5);
        assertThat(rows()).containsExactly(
                "M1 Front door admitted",
                "M1 Office 3F rejected",
                "M2 Office 3F admitted",
                "- Front door admitted",
                "M2 Front door rejected");
        assertThat(world.rows("select * from doorsync.check_in").toString()).as("no credential number stored")
                .doesNotContain("40010001");

        assertThat(checkIns.readNew(Account.DEFAULT).added()).as("read again: the overlap re-lists, nothing doubles").isZero();
        doorflow.badge(ada, FRONT);
        assertThat(checkIns.readNew(Account.DEFAULT).added()).isEqualTo(1);
        assertThat(rows()).hasSize(6);
        assertThat(checkIns.recent(Account.DEFAULT, 2)).extracting(c -> c.memberId() + " " + c.door() + " " + c.admitted())
                .containsExactly("M1 Front door true", "M2 Front door false");

        String metrics = given().baseUri("http://127.0.0.1:" + managementPort + "/q")
                .header("Accept", "text/plain; version=0.0.4").get("/metrics").then().extract().asString();
        assertThat(metrics).containsPattern("(?m)^doorsync_checkins_total\\{account=\"default\",door=\"Front door\",result=\"admitted\",?}"
                + " [3-9]").containsPattern("(?m)^doorsync_checkins_total\\{account=\"default\",door=\"Office 3F\",result=\"rejected\",?}"
                        + " [1-9]");
    }

    @Test
    void aConnectionWithoutTheEventsScopeIsRefusedWithWhatToDoAndLosesNothing() {
        doorflow.badge(world.personId("M1"), FRONT);
        // Check-ins are off in the tests, so the OAuth connection is made without the events scope.
        OAuthFlow.connect();

        CheckInScheduler.LastRead failed = scheduler.read(Account.DEFAULT);

        assertThat(failed.problem()).contains("403").contains("account.event.access.readonly")
                .contains("Reconnect on /admin");
        assertThat(rows()).isEmpty();
        oauth.required().disconnect(); // back to the API key, which may read events
        assertThat(scheduler.read(Account.DEFAULT).problem()).isNull();
        assertThat(rows()).containsExactly("M1 Front door admitted");
    }

    @Test
    void checkInsOlderThanTheRetentionAreDeleted() {
        world.sql("insert into doorsync.check_in (account, event_id, at, admitted, event_code) values ('default', 1,"
                + " now() - interval '91 days', true, 10), ('default', 2, now() - interval '89 days', true, 10)");
        checkIns.readNew(Account.DEFAULT);
        assertThat(world.rows("select event_id from doorsync.check_in")).extracting(r -> r.get("event_id"))
                .containsExactly(2L);
    }

    /** "member door admitted|rejected" per stored check-in, in the order they happened. */
    private List<String> rows() {
        return world.rows("select coalesce(member_id, '-') as m, door_name, admitted from doorsync.check_in order by"
                + " event_id").stream().map(r -> r.get("m") + " " + r.get("door_name") + " "
                        + ((Boolean) r.get("admitted") ? "admitted" : "rejected")).toList();
    }
}
