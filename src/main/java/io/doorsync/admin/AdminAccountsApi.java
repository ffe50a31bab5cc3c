package io.doorsync.admin;

import java.time.Instant;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.doorsync.Account;
import io.doorsync.accounts.AccountRegistry;
import io.doorsync.admin.AdminApi.Problem;
import io.doorsync.run.RunReport;
import io.doorsync.run.SyncRunner;
import io.doorsync.run.guards.AccountPin;
import io.doorsync.store.RunStore.RunView;

/**
 * The doorsync accounts: listed with their state, and added, paused, resumed and removed at run time (thousands
 * of tenants do not fit a settings file). An API key goes in and is never given back.
 */
@Path("/admin/api/accounts")
@RolesAllowed(AdminIdentityProvider.ROLE)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "doorsync admin")
public class AdminAccountsApi {

    /** One account as an operator sees it: never its API key. */
    public record AccountView(String id, String source, String crmSchema, boolean paused, Instant removedAt,
            boolean synced, String state, String doorflowAccount, RunView lastRun, Instant lastSuccessAt,
            long quarantined) {
    }

    /** A new account: its id, its CRM schema and its DoorFlow personal API key (or none: OAuth on its page). */
    public record NewAccount(String id, String crmSchema, String apiKey) {
        @Override
        public String toString() {
            return "NewAccount[" + id + ", " + crmSchema + "]";
        }
    }

    private final AccountRegistry registry;
    private final SyncRunner sync;
    private final AccountPin pin;

    AdminAccountsApi(AccountRegistry registry, SyncRunner sync, AccountPin pin) {
        this.pin = pin;
        this.registry = registry;
        this.sync = sync;
    }

    @GET
    @Operation(summary = "Every account: where it comes from (installation, settings, api), its CRM schema, whether it"
            + " is paused, removed or synced now, its state in words, the DoorFlow account it is pinned to, its last"
            + " finished run, when a run last ended complete, and how many members it holds back")
    public List<AccountView> list() {
        return registry.states().stream().map(a -> new AccountView(a.id(), a.source(), a.crmSchema(), a.paused(),
                a.removedAt(), a.synced(), a.state(), a.doorflowAccount(), a.lastRun(), a.lastSuccessAt(),
                a.quarantined())).toList();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Add an account (or add a removed one again): synced from the next tick, its API key kept"
            + " encrypted; without apiKey (OAuth configured), it is connected through OAuth on its page, /admin?account=id")
    @APIResponse(responseCode = "201", description = "added")
    @APIResponse(responseCode = "409", description = "an account with this id exists (remove it first)")
    @APIResponse(responseCode = "422", description = "a field is missing or wrong; the message names it")
    public Response add(NewAccount account) {
        if (account == null || account.id() == null) {
            return unprocessable("send {\"id\": ..., \"crmSchema\": ..., \"apiKey\": ...}");
        }
        try {
            registry.add(new Account(account.id()), account.crmSchema(), account.apiKey());
        } catch (AccountRegistry.AccountExists e) {
            return Response.status(409).entity(new Problem("account_exists", e.getMessage())).build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            return unprocessable(e.getMessage());
        }
        return Response.status(201).entity(list().stream().filter(a -> a.id().equals(account.id())).findFirst()
                .orElseThrow()).build();
    }

    @POST
    @Path("/{id}/run")
    @Operation(summary = "Run this account now, here, under its run lock (409 while its run goes on elsewhere);"
            + " allowRevocations=true lets this one run past the revocation guard, an operator's decision after a hold")
    @APIResponse(responseCode = "200", description = "the run's report")
    @APIResponse(responseCode = "404", description = "no such account synced")
    @APIResponse(responseCode = "409", description = "a run of this account is in progress")
    public Response run(@PathParam("id") String id, @QueryParam("allowRevocations") boolean allowRevocations) {
        Account account = new Account(id);
        if (!registry.synced().contains(account)) {
            return unknown(id);
        }
        RunReport report = sync.runOnce(account, "api", allowRevocations);
        return report.outcome() == RunReport.Outcome.SKIPPED ? AdminApi.inProgress(report.message())
                : Response.ok(report).build();
    }

    @POST
    @Path("/{id}/confirm")
    @Operation(summary = "Confirm the DoorFlow account this account reaches now (its key or OAuth sign-in), after its"
            + " runs stopped because it is not the DoorFlow account it was syncing (everyone would be created again)")
    @APIResponse(responseCode = "204", description = "confirmed; its next run syncs that DoorFlow account")
    @APIResponse(responseCode = "404", description = "no such account synced")
    @APIResponse(responseCode = "409", description = "it does not reach that DoorFlow account")
    public Response confirm(@PathParam("id") String id, @QueryParam("accountId") String accountId) {
        Account account = new Account(id);
        if (!registry.synced().contains(account)) {
            return unknown(id);
        }
        String current = pin.current(account);
        if (accountId == null || !accountId.equals(current)) {
            return Response.status(409).entity(new Problem("other_account", "account '" + id + "' reaches DoorFlow"
                    + " account " + current + ", not " + accountId)).build();
        }
        pin.confirm(account, accountId);
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/pause")
    @Operation(summary = "Pause an account: not synced, its DoorFlow left exactly as it is (nobody loses access)")
    @APIResponse(responseCode = "204", description = "paused")
    @APIResponse(responseCode = "404", description = "no such account, or it was removed")
    public Response pause(@PathParam("id") String id) {
        return registry.setPaused(new Account(id), true) ? Response.noContent().build() : unknown(id);
    }

    @POST
    @Path("/{id}/resume")
    @Operation(summary = "Resume a paused account: synced from the next tick")
    @APIResponse(responseCode = "204", description = "resumed")
    @APIResponse(responseCode = "404", description = "no such account, or it was removed")
    public Response resume(@PathParam("id") String id) {
        return registry.setPaused(new Account(id), false) ? Response.noContent().build() : unknown(id);
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Remove an account added through this API: no longer synced, its API key forgotten, its"
            + " DoorFlow left exactly as it is, its history kept for the retention period")
    @APIResponse(responseCode = "204", description = "removed")
    @APIResponse(responseCode = "404", description = "no such account, or it was removed already")
    @APIResponse(responseCode = "422", description = "the installation's own account, or one declared in settings")
    public Response remove(@PathParam("id") String id) {
        try {
            return registry.remove(new Account(id)) ? Response.noContent().build() : unknown(id);
        } catch (IllegalArgumentException e) {
            return unprocessable(e.getMessage());
        }
    }

    private static Response unknown(String id) {
        return Response.status(404).entity(new Problem("unknown_account", "no account '" + id + "' (or it was"
                + " removed)")).build();
    }

    private static Response unprocessable(String message) {
        return Response.status(422).entity(new Problem("invalid_account", message)).build();
    }
}
