package io.doorsync.admin;

import static io.restassured.RestAssured.given;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.doorsync.support.OAuthFlow;
import io.doorsync.support.PostgresAndSimulator;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Password guessing over HTTP: after the allowed failures the address is refused even with the right password,
 * until the lockout is over. A profile of its own with a short lockout, so no other test is locked out.
 */
@QuarkusTest
@TestProfile(AdminLoginThrottleTest.ShortLockout.class)
@WithTestResource(value = PostgresAndSimulator.class, scope = TestResourceScope.GLOBAL)
class AdminLoginThrottleTest {

    public static class ShortLockout implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("doorsync.admin.login-max-failures", "3", "doorsync.admin.login-lockout", "2s");
        }
    }

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

    private static void status(String password, int expected) {
        given().baseUri(OAuthFlow.app()).auth().preemptive().basic("admin", password).get("/admin/api/status").then()
                .statusCode(expected);
    }
}
