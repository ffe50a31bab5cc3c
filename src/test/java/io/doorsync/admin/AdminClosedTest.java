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

/** No admin password configured: the admin surface is closed to everyone, an empty password included. */
@QuarkusTest
@TestProfile(Profiles.NoAdminPassword.class)
@WithTestResource(value = PostgresAndSimulator.class, scope = TestResourceScope.GLOBAL)
class AdminClosedTest {

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
