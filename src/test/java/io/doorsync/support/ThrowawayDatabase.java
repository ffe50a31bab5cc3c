package io.doorsync.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * A PostgreSQL database that belongs to one test run and is gone afterwards. Where Docker runs, a
 * Testcontainers PostgreSQL; otherwise a database created on the local server (DOORSYNC_TEST_PG_ADMIN_URL,
 * default the trust-auth server at 127.0.0.1:5432) and dropped on close. Neither: it fails at once, saying
 * what to provide. A test never touches a database it did not create.
 */
public final class ThrowawayDatabase implements AutoCloseable {

    private static final String DEFAULT_ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";

    private final PostgreSQLContainer container;
    private final String adminUrl;
    private final String name;
    public final String jdbcUrl;
    public final String username;
    public final String password;

    private ThrowawayDatabase(PostgreSQLContainer container, String adminUrl, String name, String jdbcUrl,
            String username, String password) {
        this.container = container;
        this.adminUrl = adminUrl;
        this.name = name;
        this.jdbcUrl = jdbcUrl;
        this.username = username;
        this.password = password;
    }

    public static ThrowawayDatabase create() {
        if (dockerAvailable()) {
            PostgreSQLContainer container = new PostgreSQLContainer("postgres:16-alpine");
            container.start();
            return new ThrowawayDatabase(container, null, null, container.getJdbcUrl(), container.getUsername(),
                    container.getPassword());
        }
        String adminUrl = System.getenv().getOrDefault("DOORSYNC_TEST_PG_ADMIN_URL", DEFAULT_ADMIN_URL);
        String name = "doorsync_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement()) {
            s.execute("create database " + name);
            return new ThrowawayDatabase(null, adminUrl, name,
                    c.getMetaData().getURL().replaceFirst("/[^/?]+(\\?|$)", "/" + name + "$1"),
                    c.getMetaData().getUserName(), "");
        } catch (SQLException e) {
            throw new IllegalStateException("doorsync's tests need a real PostgreSQL and found none: no Docker"
                    + " engine for Testcontainers, and the local server at " + adminUrl + " refused: "
                    + e.getMessage() + ". Start Docker, or a PostgreSQL that user postgres can reach with trust"
                    + " auth on 127.0.0.1:5432, or set DOORSYNC_TEST_PG_ADMIN_URL to a JDBC URL of a role that"
                    + " may create databases.", e);
        }
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, username, password);
    }

    @Override
    public void close() {
        if (container != null) {
            container.stop();
        }
        if (name != null) {
            try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement()) {
                s.execute("drop database if exists " + name + " with (force)");
            } catch (SQLException e) {
                System.err.println("could not drop test database " + name + ": " + e.getMessage());
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
}
