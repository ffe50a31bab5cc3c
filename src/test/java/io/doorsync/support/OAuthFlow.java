package io.doorsync.support;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.eclipse.microprofile.config.ConfigProvider;

import io.restassured.specification.RequestSpecification;

/** Drives the OAuth bootstrap over plain HTTP, as the admin's browser would: /admin, DoorFlow's page, back. */
public final class OAuthFlow {

    public static final String ADMIN_PASSWORD = "test-admin-password";

    private OAuthFlow() {
    }

    public static String app() {
        return "http://127.0.0.1:" + ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
    }

    public static String simulator() {
        return ConfigProvider.getConfig().getValue("doorsync.doorflow.base-url", String.class);
    }

    /** Requests to doorsync's main port as the logged-in admin; redirects are not followed. */
    public static RequestSpecification admin() {
        return given().baseUri(app()).auth().preemptive().basic("admin", ADMIN_PASSWORD).redirects().follow(false)
                .urlEncodingEnabled(false);
    }

    /** Presses Connect; returns DoorFlow's authorize URL doorsync sent the browser to. */
    public static URI pressConnect() {
        return URI.create(admin().post("/admin/connect").then().statusCode(303).extract().header("Location"));
    }

    /** On DoorFlow's authorize page, chooses "approve" or "deny"; returns the callback URL DoorFlow redirects to. */
    public static URI decide(URI authorize, String decision) {
        return decide(authorize, decision, query(authorize).get("scope"));
    }

    /** {@link #decide}, granting {@code scope} (an account admin may grant less than doorsync asked for). */
    public static URI decide(URI authorize, String decision, String scope) {
        given().urlEncodingEnabled(false).get(authorize.toString()).then().statusCode(200);
        Map<String, String> query = query(authorize);
        var form = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("decision", decision).formParam("redirect_uri", query.get("redirect_uri"))
                .formParam("scope", scope).formParam("state", query.get("state"));
        if (query.containsKey("code_challenge")) {
            form.formParam("code_challenge", query.get("code_challenge"));
        }
        return URI.create(form.post(simulator() + "/oauth/authorize/decision").then().statusCode(302).extract()
                .header("Location"));
    }

    /** The whole happy path: Connect, Approve, back to /admin connected. Returns the callback URL used. */
    public static URI connect() {
        URI authorize = pressConnect();
        return connectGranting(authorize, query(authorize).get("scope"));
    }

    /** The happy path, with the admin granting only {@code scope}. */
    public static URI connectGranting(URI authorize, String scope) {
        URI callback = decide(authorize, "approve", scope);
        admin().get(callback.toString()).then().statusCode(303).header("Location", endsWith("/admin?notice=connected"));
        return callback;
    }

    public static Map<String, String> query(URI uri) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return params;
    }
}
