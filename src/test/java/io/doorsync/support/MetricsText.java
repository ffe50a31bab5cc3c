package io.doorsync.support;

import static io.restassured.RestAssured.given;

import org.eclipse.microprofile.config.ConfigProvider;

/** /q/metrics as Prometheus scrapes it, in its text format (promtool does not parse the OpenMetrics variant). */
public final class MetricsText {

    private MetricsText() {
    }

    public static String scrape() {
        int port = ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class);
        return given().baseUri("http://127.0.0.1:" + port + "/q").header("Accept", "text/plain; version=0.0.4")
                .get("/metrics").then().statusCode(200).extract().asString();
    }
}
