package io.doorsync.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Gives the test run a PostgreSQL database of its own and a free port for the DoorFlow simulator.
 * Where Docker runs, a Testcontainers PostgreSQL; otherwise a throwaway database created on the local server
 * (DOORSYNC_TEST_PG_ADMIN_URL, default the trust-auth server at 127.0.0.1:5432) and dropped afterwards.
 * Neither: the run stops at once, saying what to provide.
 */
public class PostgresAndSimulator implements QuarkusTestResourceLifecycleManager {

    private static final String DEFAULT_ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";

    private PostgreSQLContainer container;
    private String adminUrl;
    private String database;

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>();
        if (dockerAvailable()) {
            container = new PostgreSQLContainer("postgres:16-alpine");
            container.start();
            config.put("quarkus.datasource.jdbc.url", container.getJdbcUrl());
            config.put("quarkus.datasource.username", container.getUsername());
            config.put("quarkus.datasource.password", container.getPassword());
        } else {
            adminUrl = System.getenv().getOrDefault("DOORSYNC_TEST_PG_ADMIN_URL", DEFAULT_ADMIN_URL);
            database = "doorsync_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement()) {
                s.execute("create database " + database);
                config.put("quarkus.datasource.jdbc.url", c.getMetaData().getURL().replaceFirst("/[^/?]+(\\?|$)",
                        "/" + database + "$1"));
                config.put("quarkus.datasource.username", c.getMetaData().getUserName());
            } catch (SQLException e) {
                throw new IllegalStateException("doorsync's tests need a real PostgreSQL and found none: no Docker"
                        + " engine for Testcontainers, and the local server at " + adminUrl + " refused: "
                        + e.getMessage() + ". Start Docker, or a PostgreSQL that user postgres can reach with trust"
                        + " auth on 127.0.0.1:5432, or set DOORSYNC_TEST_PG_ADMIN_URL to a JDBC URL of a role that"
                        + " may create databases.", e);
            }
        }
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
        if (container != null) {
            container.stop();
        }
        if (database != null) {
            try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement()) {
                s.execute("drop database if exists " + database + " with (force)");
            } catch (SQLException e) {
                System.err.println("could not drop test database " + database + ": " + e.getMessage());
            }
        }
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port for the DoorFlow simulator", e);
        }
    }
}
