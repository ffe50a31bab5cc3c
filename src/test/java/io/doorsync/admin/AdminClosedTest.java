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

/** No admin password configured: the admin surface is closed to everyone, an empty password included. */
@QuarkusTest
@TestProfile(AdminClosedTest.NoPassword.class)
@WithTestResource(value = PostgresAndSimulator.class, scope = TestResourceScope.GLOBAL)
class AdminClosedTest {

    public static class NoPassword implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("doorsync.admin.password", "");
        }
    }

    @Test
    void everyAdminRequestIsRefused() {
        for (String password : new String[] { "", OAuthFlow.ADMIN_PASSWORD, "admin" }) {
            given().baseUri(OAuthFlow.app()).auth().preemptive().basic("admin", password).get("/admin").then()
                    .statusCode(401);
            given().baseUri(OAuthFlow.app()).auth().preemptive().basic("admin", password).get("/admin/api/status")
                    .then().statusCode(401);
        }
    }
}
