package io.doorsync.demo;

import java.util.Map;

import javax.sql.DataSource;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.flywaydb.core.Flyway;
import org.jboss.logging.Logger;

import io.doorsync.DoorsyncConfig;
import io.quarkus.runtime.StartupEvent;

/**
 * Demo mode: creates the CRM contract and a coworking space's members in the CRM schema, using Flyway with
 * its own history table there, so restarting the demo neither duplicates rows nor touches doorsync's schema.
 */
@ApplicationScoped
public class DemoCrm {

    private static final Logger LOG = Logger.getLogger(DemoCrm.class);

    void seed(@Observes @Priority(20) StartupEvent event, DataSource dataSource, DoorsyncConfig config) {
        if (!config.demo().enabled()) {
            return;
        }
        String schema = config.crm().schema();
        var result = Flyway.configure()
                .dataSource(dataSource)
                .schemas(schema)
                .table("demo_flyway_history")
                .locations("classpath:crm/contract", "classpath:crm/demo")
                .placeholders(Map.of("crm_schema", schema))
                .load()
                .migrate();
        LOG.infof("demo CRM ready in schema %s (%d migrations applied now)", schema, result.migrationsExecuted);
    }
}
