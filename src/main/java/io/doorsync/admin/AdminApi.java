package io.doorsync.admin;

import java.time.Instant;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.doorsync.Account;
import io.doorsync.doorflow.auth.AuthStatus;
import io.doorsync.doorflow.auth.DoorFlowAuth;
import io.doorsync.store.RunStore.JournalView;
import io.doorsync.store.QuarantineStore.QuarantineView;
import io.doorsync.store.RunStore.RunView;
import io.doorsync.store.RunStore;
import io.doorsync.plan.Change;
import io.doorsync.plan.Plan;
import io.doorsync.run.guards.AccountPin;
import io.doorsync.run.RunReport;
import io.doorsync.run.SyncRunner;
import io.doorsync.store.RunTotals;
import io.doorsync.store.AccountStore;
import io.doorsync.store.LinkStore;
import io.doorsync.store.QuarantineStore;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.scheduler.Trigger;

/**
 * The operator's JSON API: status, run now or dry run (the installation's own account, or another with
 * {@code ?account=}), and confirming the installation's DoorFlow account. Run history and quarantine are in
 * {@link AdminHistoryApi}, members in {@link AdminMembersApi}, accounts in {@link AdminAccountsApi}.
 */
@Path("/admin/api")
@RolesAllowed(AdminIdentityProvider.ROLE)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "doorsync admin")
// The JSON shapes, for the native image (Jackson reads them reflectively).
@RegisterForReflection(targets = { AdminApi.Status.class, AdminApi.Counts.class,
        AdminApi.RunPage.class, AdminApi.RunDetail.class, AdminApi.PlannedChange.class, AdminApi.DryRun.class,
        AdminApi.Problem.class, RunView.class, JournalView.class, QuarantineView.class, AuthStatus.class,
        Plan.Quarantine.class, Plan.TeamProblem.class, Plan.CredentialProblem.class, Plan.DriftProblem.class,
        Plan.AccessRemoval.class, RunReport.class,
        RunTotals.class })
public class AdminApi {

    public record Counts(long linked, long quarantined, int failedLastRun, boolean pushToDoorsPending) {
    }

    public record Status(AuthStatus connection, RunView lastRun, Instant runningSince, Instant nextRunAt,
            Counts counts) {
    }

    public record RunPage(List<RunView> items, int page, int size, long total) {
    }

    /** A run and one page of its changes ({@code page} from 0 of {@code size}; {@code total} in all). */
    public record RunDetail(RunView run, List<JournalView> changes, int page, int size, long total) {
    }

    /** One planned change; credential steps say type and action, never a value. */
    public record PlannedChange(String memberId, String kind, Long personId, List<String> details) {
    }

    /**
     * What a run would do: its first {@code limit} changes and quarantined members (of {@code changesTotal} and
     * {@code quarantinedTotal}; a first sync of 100,000 members plans 100,000 changes), what it takes away in all.
     */
    public record DryRun(List<PlannedChange> changes, List<Plan.Quarantine> quarantined,
            List<Plan.TeamProblem> teamProblems, List<Plan.CredentialProblem> credentialProblems,
            List<Plan.DriftProblem> driftProblems, Plan.AccessRemoval removal, int unchanged, int changesTotal,
            int quarantinedTotal) {
    }

    public record Problem(String error, String message) {
    }

    private final SyncRunner sync;
    private final AccountStore accounts;
    private final LinkStore links;
    private final QuarantineStore quarantine;
    private final RunStore runs;
    private final DoorFlowAuth auth;
    private final Scheduler scheduler;
    private final AccountPin accountPin;

    AdminApi(SyncRunner sync, AccountStore accounts, LinkStore links, QuarantineStore quarantine,
            RunStore runs, DoorFlowAuth auth, Scheduler scheduler, AccountPin accountPin) {
        this.sync = sync;
        this.accounts = accounts;
        this.links = links;
        this.quarantine = quarantine;
        this.runs = runs;
        this.auth = auth;
        this.scheduler = scheduler;
        this.accountPin = accountPin;
    }

    @GET
    @Path("/status")
    @Operation(summary = "Connection, last and next run, counts (another account's with ?account=; the connection"
            + " and the next run are the installation's own)")
    public Status status(@Parameter(description = AdminHistoryApi.ACCOUNT) @QueryParam("account") String account) {
        Account named = AdminHistoryApi.named(accounts::exists, account);
        RunView last = runs.lastFinishedRun(named);
        Trigger trigger = scheduler.isRunning() ? scheduler.getScheduledJob("doorsync-sync") : null;
        return new Status(auth.status(), last, sync.runningSince(named), trigger == null ? null
                : trigger.getNextFireTime(),
                new Counts(links.linkedCount(named), quarantine.quarantinedCount(named), last == null ? 0
                        : last.failed(), accounts.pushState(named).pending()));
    }

    @POST
    @Path("/sync")
    @Operation(summary = "Run a sync now, or with dryRun=true plan it and write nothing")
    @APIResponse(responseCode = "200", description = "the run's report, or with dryRun the planned changes")
    @APIResponse(responseCode = "409", description = "a run is already in progress (here or on another replica)")
    @APIResponse(responseCode = "503", description = "dry run: the CRM or DoorFlow could not be read")
    public Response runNow(
            @Parameter(description = "plan only: return the planned changes per member, write nothing")
            @QueryParam("dryRun") @DefaultValue("false") boolean dryRun,
            @Parameter(description = "let this run past the revocation guard (after a held run)")
            @QueryParam("allowRevocations") @DefaultValue("false") boolean allowRevocations,
            @Parameter(description = "dry run: at most this many changes and quarantined members in the answer")
            @QueryParam("limit") @DefaultValue("1000") int limit,
            @Parameter(description = AdminHistoryApi.ACCOUNT) @QueryParam("account") String account) {
        Account named = AdminHistoryApi.named(accounts::exists, account);
        if (dryRun) {
            try {
                return Response.ok(dryRunView(sync.dryRun(named), Math.max(1, Math.min(10_000, limit)))).build();
            } catch (SyncRunner.RunInProgressException e) {
                return inProgress(e.getMessage());
            } catch (RuntimeException e) {
                // The CRM or DoorFlow could not be read: the same causes a run would record as failed.
                return Response.status(503).entity(new Problem("dry_run_failed", e.getMessage())).build();
            }
        }
        if (!accounts.active(named)) {
            return Response.status(409).entity(new Problem("account_not_run", "account '" + named + "' is paused"
                    + " or removed, so it is not run: its DoorFlow is left as it is")).build();
        }
        RunReport report = sync.runOnce(named, "api", allowRevocations);
        if (report.outcome() == RunReport.Outcome.SKIPPED) {
            return inProgress(report.message());
        }
        return Response.ok(report).build();
    }

    @POST
    @Path("/account")
    @Operation(summary = "Confirm the DoorFlow account doorsync is connected to now, after runs stopped because it"
            + " is not the account doorsync was syncing (every member would be created again there)")
    @APIResponse(responseCode = "204", description = "confirmed; the next run syncs this account")
    @APIResponse(responseCode = "409", description = "doorsync is not connected to that account")
    public Response confirmAccount(
            @Parameter(description = "the account named in the failed run's message", required = true)
            @QueryParam("accountId") String accountId) {
        String current = accountPin.current(Account.DEFAULT);
        if (accountId == null || !accountId.equals(current)) {
            return Response.status(409).entity(new Problem("other_account", "doorsync is connected to DoorFlow"
                    + " account " + current + ", not " + accountId)).build();
        }
        accountPin.confirm(Account.DEFAULT, accountId);
        return Response.noContent().build();
    }

    static Response inProgress(String why) {
        return Response.status(409).entity(new Problem("run_in_progress", "a sync run is already in progress ("
                + why + "); try again when it has finished")).build();
    }

    private static DryRun dryRunView(Plan plan, int limit) {
        List<Change> all = plan.changes();
        List<PlannedChange> changes = all.stream().limit(limit).map(c -> new PlannedChange(c.memberId(), c.kind(),
                c.doorflowPersonId(), c.details())).toList();
        return new DryRun(changes, plan.quarantined().stream().limit(limit).toList(), plan.teamProblems(),
                plan.credentialProblems().stream().limit(limit).toList(),
                plan.driftProblems().stream().limit(limit).toList(), plan.removal(), plan.unchanged(), all.size(),
                plan.quarantined().size());
    }
}
