package io.doorsync.admin;

import static io.restassured.RestAssured.given;

import org.junit.jupiter.api.Test;

import io.doorsync.support.OAuthFlow;
import io.doorsync.support.PostgresAndSimulator;
import io.doorsync.support.Profiles;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Password guessing over HTTP: after the allowed failures the address is refused even with the right password,
 * until the lockout is over. A profile of its own with a short lockout, so no other test is locked out; the
 * proxy settings are deploy/k8s's, with a trusted proxy the tests' client is not, so a guess with a forged
 * X-Forwarded-For comes from the peer that sent it.
 */
@QuarkusTest
@TestProfile(Profiles.ShortAdminLockoutBehindProxy.class)
@WithTestResource(value = PostgresAndSimulator.class, scope = TestResourceScope.GLOBAL)
class AdminLoginThrottleTest {

    @Test
    void repeatedFailedLoginsLockTheAddressForAWhile() throws InterruptedException {
        status(OAuthFlow.ADMIN_PASSWORD, 200);
        for (int i = 0; i < 3; i++) {
            status("guess-" + i, 401);
        }
        status(OAuthFlow.ADMIN_PASSWORD, 401); // refused, right password and all
        Thread.sleep(2_100);
        status(OAuthFlow.ADMIN_PASSWORD, 200);
    }

    @Test
    void aForgedForwardedAddressFromAPeerThatIsNoTrustedProxyDoesNotResetTheLockout() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            status("guess-" + i, "203.0.113." + i, 401);
        }
        status(OAuthFlow.ADMIN_PASSWORD, "203.0.113.99", 401); // a "new" client: the same peer, still locked out
        status(OAuthFlow.ADMIN_PASSWORD, null, 401);
        Thread.sleep(2_100);
        status(OAuthFlow.ADMIN_PASSWORD, null, 200);
    }

    private static void status(String password, int expected) {
        status(password, null, expected);
    }

    private static void status(String password, String forwardedFor, int expected) {
        var request = given().baseUri(OAuthFlow.app()).auth().preemptive().basic("admin", password);
        if (forwardedFor != null) {
            request.header("X-Forwarded-For", forwardedFor);
        }
        request.get("/admin/api/status").then().statusCode(expected);
    }
}
