package io.doorsync.admin;

import java.time.Instant;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.doorsync.Account;
import io.doorsync.accounts.AccountRegistry;
import io.doorsync.admin.AdminApi.Problem;
import io.doorsync.admin.AdminApi.RunDetail;
import io.doorsync.admin.AdminApi.RunPage;
import io.doorsync.store.QuarantineStore;
import io.doorsync.store.RunStore;
import io.doorsync.store.RunStore.RunView;

/**
 * One account's run history with per-change outcomes, and its quarantine with releases and adoption approvals:
 * the installation's own account's, or another's with {@code ?account=<id>}.
 */
@Path("/admin/api")
@RolesAllowed(AdminIdentityProvider.ROLE)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "doorsync admin")
public class AdminHistoryApi {

    /** The query parameter naming the account, on every endpoint here. */
    static final String ACCOUNT = "the doorsync account (default: the installation's own)";

    private final RunStore runs;
    private final QuarantineStore quarantine;
    private final AccountRegistry registry;

    AdminHistoryApi(RunStore runs, QuarantineStore quarantine, AccountRegistry registry) {
        this.runs = runs;
        this.quarantine = quarantine;
        this.registry = registry;
    }

    @GET
    @Path("/runs")
    @Operation(summary = "Run history, newest first")
    public RunPage runs(@Parameter(description = ACCOUNT) @QueryParam("account") String account,
            @QueryParam("page") @DefaultValue("0") int page, @QueryParam("size") @DefaultValue("20") int size) {
        int safeSize = Math.max(1, Math.min(200, size));
        int safePage = Math.max(0, page);
        RunStore.RunsPage result = runs.runs(named(registry, account), safePage, safeSize);
        return new RunPage(result.items(), safePage, safeSize, result.total());
    }

    @GET
    @Path("/runs/{id}")
    @Operation(summary = "One run and the changes it made, with their outcome, a page at a time")
    public RunDetail run(@PathParam("id") long id, @Parameter(description = ACCOUNT) @QueryParam("account")
            String account, @QueryParam("page") @DefaultValue("0") int page,
            @QueryParam("size") @DefaultValue("200") int size) {
        RunView run = runs.run(named(registry, account), id);
        if (run == null) {
            throw new NotFoundException("no sync run " + id);
        }
        RunStore.JournalPage changes = runs.journalOf(id, Math.max(0, page), Math.max(1, Math.min(1000, size)));
        return new RunDetail(run, changes.items(), changes.page(), changes.size(), changes.total());
    }

    @GET
    @Path("/quarantine")
    @Operation(summary = "Members doorsync is holding back, with the reason, by member id, a page at a time"
            + " (X-Total-Count: how many in all)")
    public Response quarantine(@Parameter(description = ACCOUNT) @QueryParam("account") String account,
            @QueryParam("page") @DefaultValue("0") int page, @QueryParam("size") @DefaultValue("1000") int size) {
        Account named = named(registry, account);
        int safeSize = Math.max(1, Math.min(1000, size));
        int safePage = Math.max(0, Math.min(page, Integer.MAX_VALUE / safeSize - 1));
        return Response.ok(quarantine.quarantine(named, safePage, safeSize))
                .header("X-Total-Count", quarantine.quarantinedCount(named)).build();
    }

    @DELETE
    @Path("/quarantine/{memberId}")
    @Operation(summary = "Release a member: the next run looks at it afresh (quarantined again if the cause remains)")
    @APIResponse(responseCode = "204", description = "released")
    @APIResponse(responseCode = "404", description = "not quarantined")
    public Response release(@PathParam("memberId") String memberId,
            @Parameter(description = ACCOUNT) @QueryParam("account") String account) {
        if (!quarantine.release(named(registry, account), memberId)) {
            return Response.status(404).entity(new Problem("not_quarantined", "member " + memberId
                    + " is not in quarantine")).build();
        }
        return Response.noContent().build();
    }

    @POST
    @Path("/adoptions/{memberId}")
    @Operation(summary = "Approve an adoption waiting for approval: the member takes over that DoorFlow person at"
            + " the next run, with the member's groups and credentials (and enabled, if the person was disabled)")
    @APIResponse(responseCode = "204", description = "approved; the next run adopts")
    @APIResponse(responseCode = "409", description = "the member is not waiting to adopt that person")
    public Response approveAdoption(@PathParam("memberId") String memberId,
            @Parameter(description = ACCOUNT) @QueryParam("account") String account,
            @Parameter(description = "the DoorFlow person named in the quarantine reason", required = true)
            @QueryParam("personId") Long personId) {
        if (personId == null || !quarantine.approveWaitingAdoption(named(registry, account), memberId, personId,
                Instant.now())) {
            return Response.status(409).entity(new Problem("no_adoption_waiting", "member " + memberId
                    + " is not waiting to adopt DoorFlow person " + personId + " (see GET /admin/api/quarantine)"))
                    .build();
        }
        return Response.noContent().build();
    }

    /** The account a request's {@code ?account=} names (none: the installation's own); 404 for one there is not. */
    static Account named(AccountRegistry registry, String id) {
        return named(registry::known, id);
    }

    static Account named(java.util.function.Predicate<Account> known, String id) {
        Account account = Account.named(id);
        if (!known.test(account)) {
            throw new WebApplicationException(Response.status(404).type(MediaType.APPLICATION_JSON)
                    .entity(new Problem("unknown_account", "no account '" + account + "'")).build());
        }
        return account;
    }
}
