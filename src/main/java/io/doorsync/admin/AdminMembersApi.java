package io.doorsync.admin;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.doorsync.Account;
import io.doorsync.admin.AdminApi.Problem;
import io.doorsync.accounts.AccountRegistry;
import io.doorsync.crm.CrmReaders;
import io.doorsync.explain.MemberExplainer;
import io.doorsync.run.RunReport;
import io.doorsync.run.SyncRunner;
import io.doorsync.store.QuarantineStore;

/**
 * One member of an account ({@code ?account=}, the installation's own by default): why it has (or has not)
 * access, and syncing it alone, now.
 */
@Path("/admin/api/members")
@RolesAllowed(AdminIdentityProvider.ROLE)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "doorsync admin")
public class AdminMembersApi {

    private final MemberExplainer explainer;
    private final SyncRunner sync;
    private final CrmReaders crm;
    private final QuarantineStore quarantine;
    private final AccountRegistry registry;

    AdminMembersApi(MemberExplainer explainer, SyncRunner sync, CrmReaders crm, QuarantineStore quarantine,
            AccountRegistry registry) {
        this.explainer = explainer;
        this.sync = sync;
        this.crm = crm;
        this.quarantine = quarantine;
        this.registry = registry;
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Why this member has, or has not, access: CRM row, DoorFlow person and groups with the team"
            + " granting each, credentials by type (never a value), quarantine, last journal lines, and what the"
            + " next run would do")
    @APIResponse(responseCode = "200", description = "the explanation")
    @APIResponse(responseCode = "404", description = "neither the CRM nor doorsync knows this member")
    @APIResponse(responseCode = "503", description = "the CRM or DoorFlow could not be read")
    public Response explain(@PathParam("id") String memberId,
            @Parameter(description = AdminHistoryApi.ACCOUNT) @QueryParam("account") String account) {
        Account named = AdminHistoryApi.named(registry, account);
        try {
            return explainer.explain(named, memberId).map(e -> Response.ok(e).build())
                    .orElseGet(() -> unknown(memberId));
        } catch (RuntimeException e) {
            return Response.status(503).entity(new Problem("explain_failed", "member " + memberId + ": "
                    + e.getMessage())).build();
        }
    }

    @POST
    @Path("/{id}/sync")
    @Operation(summary = "Sync this member now: a run that applies only its changes, with the same rules, revocation"
            + " guard and journal as every run")
    @APIResponse(responseCode = "200", description = "the run's report")
    @APIResponse(responseCode = "404", description = "neither the CRM nor doorsync knows this member")
    @APIResponse(responseCode = "409", description = "a run is already in progress (here or on another replica)")
    public Response syncMember(@PathParam("id") String memberId,
            @Parameter(description = AdminHistoryApi.ACCOUNT) @QueryParam("account") String account) {
        Account named = AdminHistoryApi.named(registry, account);
        if (!crm.of(named).hasMember(memberId) && !quarantine.knows(named, memberId)) {
            return unknown(memberId);
        }
        if (!registry.runnable(named)) {
            return Response.status(409).entity(new Problem("account_not_run", "account '" + named + "' is paused or"
                    + " removed, so it is not run: its DoorFlow is left as it is")).build();
        }
        RunReport report = sync.runMember(named, memberId);
        if (report.outcome() == RunReport.Outcome.SKIPPED) {
            return AdminApi.inProgress(report.message());
        }
        return Response.ok(report).build();
    }

    private static Response unknown(String memberId) {
        return Response.status(404).entity(new Problem("unknown_member", "member " + memberId + " is neither in the"
                + " CRM nor linked or quarantined by doorsync")).build();
    }
}
