package io.doorsync.demo;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.doorsync.Account;
import io.doorsync.DoorsyncConfig;
import io.doorsync.admin.AdminApi.Problem;
import io.doorsync.admin.AdminIdentityProvider;
import io.doorsync.doorflow.DoorFlowMirrors;
import io.doorsync.doorflow.oauth.DoorFlowOAuth;
import io.doorsync.run.SyncRunner;
import io.doorsync.simulator.DoorFlowSimulator;
import io.doorsync.simulator.SimulatorConfig;
import io.doorsync.simulator.SimulatorSetup;
import io.quarkus.arc.profile.IfBuildProfile;

/**
 * Demo mode only: puts the demo CRM, the simulated DoorFlow and doorsync's own state back to where the demo
 * starts, so the next run is the demo's first run again. doorsync's state goes too: its links would otherwise
 * name people the simulator no longer has (or, with ids handed out again, other people). Not in a production
 * build at all; outside demo mode it answers 404 like any unknown path.
 */
@IfBuildProfile(anyOf = { "dev", "test", "demo" })
@Path("/admin/api/demo")
@RolesAllowed(AdminIdentityProvider.ROLE)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "doorsync admin")
public class DemoReset {

    private static final Logger LOG = Logger.getLogger(DemoReset.class);
    /** A demo run lasts well under a second: wait for one in progress rather than refuse. */
    private static final int ATTEMPTS = 50;

    /** What the reset answers. */
    public record Done(String message) {
    }

    private final DemoCrm.DemoConfig demo;
    private final DoorsyncConfig config;
    private final SimulatorConfig simulatorConfig;
    private final DoorFlowSimulator simulator;
    private final ObjectMapper json;
    private final DataSource dataSource;
    private final SyncRunner sync;
    private final DoorFlowMirrors mirrors;
    private final DoorFlowOAuth oauth;

    DemoReset(DemoCrm.DemoConfig demo, DoorsyncConfig config, SimulatorConfig simulatorConfig,
            DoorFlowSimulator simulator, ObjectMapper json, DataSource dataSource, SyncRunner sync,
            DoorFlowMirrors mirrors, DoorFlowOAuth oauth) {
        this.demo = demo;
        this.config = config;
        this.simulatorConfig = simulatorConfig;
        this.simulator = simulator;
        this.json = json;
        this.dataSource = dataSource;
        this.sync = sync;
        this.mirrors = mirrors;
        this.oauth = oauth;
    }

    @POST
    @Path("/reset")
    @Operation(summary = "Demo mode only: the demo CRM, the simulated DoorFlow and doorsync's state back to the start")
    @APIResponse(responseCode = "200", description = "reset; the next run is the demo's first again")
    @APIResponse(responseCode = "404", description = "not in demo mode")
    @APIResponse(responseCode = "409", description = "a sync run kept the lock for the whole wait")
    public Response reset() throws InterruptedException {
        if (!demo.enabled() || !simulatorConfig.enabled()) {
            return Response.status(404).entity(new Problem("not_demo_mode",
                    "the demo reset exists in demo mode only (doorsync.demo.enabled with the embedded simulator)"))
                    .build();
        }
        for (int attempt = 1; ; attempt++) {
            try {
                sync.exclusively(this::resetLocked);
                LOG.info("the demo was reset: CRM, simulated DoorFlow and doorsync's state are back at the start");
                return Response.ok(new Done("the demo CRM, the simulated DoorFlow and doorsync's state are back at"
                        + " the start; the next run syncs the demo afresh")).build();
            } catch (SyncRunner.RunInProgressException e) {
                if (attempt == ATTEMPTS) {
                    return Response.status(409).entity(new Problem("run_in_progress",
                            e.getMessage() + "; try again")).build();
                }
                Thread.sleep(100);
            }
        }
    }

    private void resetLocked() {
        // The simulated DoorFlow forgets its tokens, so the OAuth connection goes first (its tokens in memory too).
        oauth.connection().filter(c -> c.exists()).ifPresent(c -> c.disconnect());
        String schema = config.crm().schema();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("drop schema if exists \"" + schema + "\" cascade"); // the schema name is validated by CrmReader
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("select 'doorsync.' || tablename from pg_tables where schemaname ="
                    + " 'doorsync' and tablename not like '%flyway%'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            s.execute("truncate " + String.join(", ", tables) + " restart identity");
            s.execute("insert into doorsync.account (id, source) values ('default', 'installation')");
            s.execute("insert into doorsync.push_state (account, pending) values ('default', false)");
        } catch (SQLException e) {
            throw new IllegalStateException("the demo could not be reset: " + e.getMessage(), e);
        }
        DemoCrm.create(dataSource, schema);
        SimulatorSetup.rearrange(simulator, simulatorConfig, json);
        mirrors.of(Account.DEFAULT).reconcileFullyNextRun("the demo was reset");
    }
}
