package io.doorsync.demo;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.Flyway;
import org.jboss.logging.Logger;

import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.runtime.StartupEvent;

/**
 * The demo gets a database of its own (doorsync_demo by default), created on the local server if it is
 * missing, so a user's postgres database is left alone. Flyway cannot migrate a database that does not exist
 * yet, so in the demo (and dev) profile doorsync's migration does not run at start but here, right after.
 * Only in dev and demo builds.
 */
@IfBuildProfile(anyOf = { "dev", "demo" })
@ApplicationScoped
public class DemoDatabase {

    private static final Logger LOG = Logger.getLogger(DemoDatabase.class);
    private static final Pattern DATABASE = Pattern.compile("^(jdbc:postgresql://[^/]+/)([A-Za-z0-9_]+)(\\?.*)?$");

    /** Before the simulator (10) and the demo CRM (20): both need the database. */
    void prepare(@Observes @Priority(5) StartupEvent event, Flyway flyway,
            @ConfigProperty(name = "quarkus.datasource.jdbc.url") Optional<String> url,
            @ConfigProperty(name = "quarkus.datasource.username") Optional<String> user,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) throws SQLException {
        url.ifPresent(u -> createIfMissing(u, user.orElse(null), password.orElse(null)));
        flyway.migrate();
    }

    private static void createIfMissing(String url, String user, String password) {
        Matcher m = DATABASE.matcher(url);
        if (!m.matches() || "postgres".equals(m.group(2))) {
            return; // a URL we cannot take apart, or the server's own database: nothing to create
        }
        String name = m.group(2);
        String maintenance = m.group(1) + "postgres" + (m.group(3) == null ? "" : m.group(3));
        try (Connection c = DriverManager.getConnection(maintenance, user, password);
                PreparedStatement exists = c.prepareStatement("select 1 from pg_database where datname = ?")) {
            exists.setString(1, name);
            try (ResultSet rs = exists.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
            try (Statement s = c.createStatement()) {
                s.execute("create database \"" + name + "\""); // name matched [A-Za-z0-9_]+ above
            }
            LOG.infof("created the demo database %s", name);
        } catch (SQLException e) {
            throw new IllegalStateException("the demo database " + name + " does not exist and could not be created"
                    + " through " + maintenance + " (" + e.getMessage() + "); create it, or point"
                    + " DOORSYNC_DEMO_JDBC_URL (quarkus:dev: -Ddev.db.url) at one that exists", e);
        }
    }
}
