package io.doorsync.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Gives the test run a PostgreSQL database of its own ({@link ThrowawayDatabase}) and free ports. */
public class PostgresAndSimulator implements QuarkusTestResourceLifecycleManager {

    private ThrowawayDatabase database;

    @Override
    public Map<String, String> start() {
        database = ThrowawayDatabase.create();
        Map<String, String> config = new HashMap<>();
        config.put("quarkus.datasource.jdbc.url", database.jdbcUrl);
        config.put("quarkus.datasource.username", database.username);
        config.put("quarkus.datasource.password", database.password);
        int port = freePort();
        config.put("doorsync.simulator.port", String.valueOf(port));
        config.put("doorsync.doorflow.base-url", "http://127.0.0.1:" + port);
        // A fixed HTTP port for the run, so the OAuth redirect URI registered with the simulator is exact.
        int http = freePort();
        config.put("quarkus.http.test-port", String.valueOf(http));
        // Fixed too: with one port fixed and the other random, Micrometer's http_server_* meters of the two
        // servers get different tag sets, and the second registration fails start-up.
        config.put("quarkus.management.test-port", String.valueOf(freePort()));
        config.put("doorsync.oauth.redirect-uri", "http://127.0.0.1:" + http + "/admin/oauth/callback");
        return config;
    }

    @Override
    public void stop() {
        if (database != null) {
            database.close();
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }
}
