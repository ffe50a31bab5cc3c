package io.doorsync.demo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.flywaydb.core.Flyway;
import org.jboss.logging.Logger;

import io.doorsync.DoorsyncConfig;
import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Demo mode: creates the CRM contract and a coworking space's members in the CRM schema. Each has a Flyway
 * history of its own there (the contract's, then the demo data's), so restarting the demo neither duplicates
 * rows nor touches doorsync's schema, and a contract change never needs to look at the demo's versions.
 * <p>
 * Only in dev, test and demo builds: a production build has no such bean, so no setting can make it write a
 * demo into a real CRM.
 */
@IfBuildProfile(anyOf = { "dev", "test", "demo" })
@ApplicationScoped
public class DemoCrm {

    private static final Logger LOG = Logger.getLogger(DemoCrm.class);

    @ConfigMapping(prefix = "doorsync.demo")
    public interface DemoConfig {
        /** Create the demo CRM (contract + a coworking space's members) at start-up. */
        @WithDefault("false")
        boolean enabled();
    }

    void seed(@Observes @Priority(20) StartupEvent event, DataSource dataSource, DoorsyncConfig config,
            DemoConfig demo) {
        if (!demo.enabled()) {
            return;
        }
        create(dataSource, config.crm().schema());
    }

    /** The contract, the demo's members and the wake-up triggers; what is there already is left as it is. */
    static void create(DataSource dataSource, String schema) {
        int contract = migrate(dataSource, schema, "crm_contract_history", "classpath:crm/contract");
        int data = migrate(dataSource, schema, "demo_flyway_history", "classpath:crm/demo");
        installWakeUps(dataSource, schema);
        LOG.infof("demo CRM ready in schema %s (%d migrations applied now), with the wake-up triggers", schema,
                contract + data);
    }

    /**
     * The demo shows a CRM change reaching DoorFlow in seconds: the optional NOTIFY triggers, installed once (and
     * again over those of an earlier version, which named no members).
     */
    public static void installWakeUps(DataSource dataSource, String schema) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                InputStream ddl = DemoCrm.class.getResourceAsStream("/crm/wake-ups/notify-trigger.sql")) {
            try (ResultSet installed = s.executeQuery("select 1 from pg_trigger where tgname = 'doorsync_notify_insert'"
                    + " and tgrelid = to_regclass('" + schema + ".members')")) {
                if (installed.next()) {
                    return;
                }
            }
            s.execute(new String(ddl.readAllBytes(), StandardCharsets.UTF_8).replace("${crm_schema}", schema));
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("demo CRM: cannot install the wake-up triggers: " + e.getMessage(), e);
        }
    }

    /** The second history finds the schema non-empty: baselining at 0 lets its V1 run all the same. */
    static int migrate(DataSource dataSource, String schema, String historyTable, String location) {
        return Flyway.configure().dataSource(dataSource).schemas(schema).table(historyTable).locations(location)
                .baselineOnMigrate(true).baselineVersion("0").placeholders(Map.of("crm_schema", schema)).load()
                .migrate().migrationsExecuted;
    }
}
