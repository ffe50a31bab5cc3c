package io.doorsync.run;

import static io.doorsync.support.TestWorld.CARD;
import static io.doorsync.support.TestWorld.FOB;
import static io.doorsync.support.TestWorld.HOT;
import static io.doorsync.support.TestWorld.MOBILE;
import static io.doorsync.support.TestWorld.PIN;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.doorsync.support.PostgresAndSimulator;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Door credentials end to end: CRM member_credentials → plan → the simulator's credential endpoints. */
@QuarkusTest
@WithTestResource(value = PostgresAndSimulator.class, scope = TestResourceScope.GLOBAL)
class CredentialSyncTest extends AgainstTheSimulator {

    @BeforeEach
    void setUp() {
        world.team("hot", HOT);
    }

    @Test
    void aMemberWalksThroughCardPinAndMobileToCancellation() {
        world.member("M1", "ada@example.com", "hot").credential("M1", "card", "40010001");

        assertThat(sync.runOnce("test").outcome()).isEqualTo(RunReport.Outcome.SUCCESS);
        assertThat(credentials("M1")).containsExactly("card 40010001");
        assertThat(world.journal("M1")).contains("credential_create applied: card: issued with the CRM's value");

        // Card number changed in the CRM: re-valued in place, the person itself not written.
        world.sql("update crm.member_credentials set value = '40010099' where member_id = 'M1'");
        doorflow.clearCalls();
        sync.runOnce("test");
        assertThat(credentials("M1")).containsExactly("card 40010099");
        assertThat(doorflow.calls()).containsEntry("PUT /api/3/people/{person_id}/credentials/{id}", 1)
                .doesNotContainKey("PUT /api/3/people/{id}");

        // A PIN for DoorFlow to generate, and a phone.
        world.credential("M1", "pin", null).credential("M1", "mobile", null);
        sync.runOnce("test");
        List<String> held = credentials("M1");
        assertThat(held).hasSize(3).contains("card 40010099", "mobile invited");
        String pin = held.stream().filter(c -> c.startsWith("pin ")).findFirst().orElseThrow();
        assertThat(pin).matches("pin \\d{6}");

        // Nothing changed: no credential call, and the generated PIN stays the same.
        assertIdle();
        // Even when the member changes for another reason, the PIN is not generated again.
        world.sql("update crm.members set last_name = 'King' where id = 'M1'");
        sync.runOnce("test");
        assertThat(credentials("M1")).contains(pin);
        assertThat(doorflow.calls("POST /api/3/people/{person_id}/credentials")).isZero();

        // Card removed in the CRM: deleted in DoorFlow. A fob issued by hand (unmanaged type) stays.
        doorflow.addCredential(world.personId("M1"), FOB, "F-777");
        world.sql("delete from crm.member_credentials where member_id = 'M1' and credential_type = 'card'");
        sync.runOnce("test");
        assertThat(credentials("M1")).containsExactlyInAnyOrder(pin, "mobile invited", "visitor_fob F-777");

        // Cancelled (policy disable): card-type and PIN credentials deleted, the phone revoked (202), fob kept.
        world.sql("update crm.members set status = 'cancelled' where id = 'M1'");
        RunReport cancelled = sync.runOnce("test");
        assertThat(cancelled.outcome()).isEqualTo(RunReport.Outcome.SUCCESS);
        assertThat(credentials("M1")).containsExactlyInAnyOrder("mobile revoking", "visitor_fob F-777");
        assertThat(world.journal("M1")).anySatisfy(line -> assertThat(line).startsWith(
                "credential_delete applied: mobile: credential ").contains("revocation accepted"));

        doorflow.completeMobileRevocations();
        assertIdle(); // a revoked phone is not revoked again

        // Reinstated: a new invitation and a new PIN; the revoked phone credential does not count.
        world.sql("update crm.members set status = 'active' where id = 'M1'");
        sync.runOnce("test");
        assertThat(credentials("M1")).contains("mobile invited", "mobile revoked", "visitor_fob F-777")
                .anySatisfy(c -> assertThat(c).matches("pin \\d{6}"));
    }

    @Test
    void aPhoneStillBeingRevokedIsReissuedOnceDoorFlowHasFinished() {
        world.member("M1", "ada@example.com", "hot").credential("M1", "mobile", null);
        sync.runOnce("test");
        String first = doorflow.credentialsOf(world.personId("M1")).get(0).get("id").asText();
        doorflow.deleteCredential(world.personId("M1"), first); // by hand in DoorFlow
        world.sql("update crm.members set phone = '+44 1' where id = 'M1'");

        RunReport waiting = sync.runOnce("test");
        assertThat(waiting.outcome()).isEqualTo(RunReport.Outcome.SUCCESS);
        assertThat(credentials("M1")).containsExactly("mobile revoking");

        doorflow.completeMobileRevocations();
        sync.runOnce("test");
        assertThat(credentials("M1")).containsExactlyInAnyOrder("mobile revoked", "mobile invited");
    }

    @Test
    void doorFlowRefusalsAreRecordedPerCredentialAndIsolatedToTheirMember() {
        doorflow.setMobileLicenceLimit(0);
        long walkIn = doorflow.addPerson(Map.of("first_name", "Walk", "last_name", "In"));
        doorflow.addCredential(walkIn, CARD, "1111");
        world.member("OK", "ok@example.com", "hot").credential("OK", "card", "1000")
                .member("DUPCARD", "dup@example.com", "hot").credential("DUPCARD", "card", "1111")
                .credential("DUPCARD", "pin", "2468")
                .member("SHORTPIN", "short@example.com", "hot").credential("SHORTPIN", "pin", "12")
                .member("NOLICENCE", "phone@example.com", "hot").credential("NOLICENCE", "mobile", null)
                .member("TYPO", "typo@example.com", "hot").credential("TYPO", "kard", "5555");

        RunReport report = sync.runOnce("test");

        assertThat(report.outcome()).isEqualTo(RunReport.Outcome.PARTIAL);
        assertThat(doorflow.people()).as("every person made despite the credential failures").hasSize(6);
        assertThat(credentials("OK")).containsExactly("card 1000");
        assertThat(credentials("DUPCARD")).as("its PIN is issued; only the card failed").containsExactly("pin 2468");
        assertThat(world.journal("DUPCARD")).contains(
                "credential_create failed: card: DoorFlow answered 422: Validation failed; value is already in use"
                        + " on your account");
        assertThat(world.journal("SHORTPIN")).contains("credential_create failed: pin: DoorFlow answered 422:"
                + " Validation failed; value must be between 4 and 7 digits in length");
        assertThat(world.journal("NOLICENCE")).contains("credential_create failed: mobile: DoorFlow answered 422:"
                + " Validation failed; limit_reached You have reached your HID Mobile licence limit. Please contact"
                + " DoorFlow Support.");
        assertThat(world.journal("TYPO")).containsExactly("credential error: credential type 'kard' does not exist in"
                + " DoorFlow (see GET /api/3/credential_types); fix the slug in the CRM or create the type in"
                + " DoorFlow", "create applied: created with groups [101]");
        assertThat(world.rows("select detail from doorsync.change_journal").toString())
                .as("credential values never reach the journal").doesNotContain("1111").doesNotContain("1000").doesNotContain("2468")
                .doesNotContain("5555");

        // Failed credentials are retried next run; fixed in the CRM, they go through; the rest costs nothing.
        world.sql("update crm.member_credentials set value = '2222' where member_id = 'DUPCARD' and credential_type = 'card'");
        world.sql("update crm.member_credentials set value = '1234' where member_id = 'SHORTPIN'");
        doorflow.clearCalls();
        RunReport retry = sync.runOnce("test");
        assertThat(credentials("DUPCARD")).containsExactlyInAnyOrder("card 2222", "pin 2468");
        assertThat(credentials("SHORTPIN")).containsExactly("pin 1234");
        assertThat(doorflow.calls("POST /api/3/people/{person_id}/credentials")).as("DUPCARD, SHORTPIN, NOLICENCE")
                .isEqualTo(3);
        assertThat(doorflow.calls()).doesNotContainKey("PUT /api/3/people/{id}");
        assertThat(retry.totals().failed()).as("still no licence for NOLICENCE").isEqualTo(1);
    }

    @Test
    void aCredentialIssuedMeanwhileIsReconciledOn409NotRetriedForever() {
        world.member("M1", "ada@example.com", "hot");
        sync.runOnce("test");
        world.credential("M1", "card", "40010001");
        // Issued by hand after doorsync read M1's credentials (M1 is new since the last full listing), before it
        // creates one: DoorFlow answers 409.
        long person = world.personId("M1");
        doorflow.afterNext("GET /api/3/people/{person_id}/credentials",
                () -> doorflow.addCredential(person, CARD, "39999999"));

        RunReport report = sync.runOnce("test");

        assertThat(report.outcome()).isEqualTo(RunReport.Outcome.SUCCESS);
        assertThat(credentials("M1")).containsExactly("card 40010001");
        assertThat(world.journal("M1")).anySatisfy(line -> assertThat(line)
                .startsWith("credential_create applied: card: already held (409, credential ")
                .endsWith("re-valued to the CRM's value"));
        assertIdle();
    }

    /** The member's credentials as "type value" (or "type status" for phones). */
    private List<String> credentials(String memberId) {
        Map<Long, String> slugs = Map.of(CARD, "card", PIN, "pin", MOBILE, "mobile", FOB, "visitor_fob");
        return doorflow.credentialsOf(world.personId(memberId)).stream()
                .map((JsonNode c) -> slugs.get(c.get("credential_type_id").asLong()) + " "
                        + (c.hasNonNull("status") ? c.get("status").asText() : c.get("value").asText()))
                .toList();
    }
}
