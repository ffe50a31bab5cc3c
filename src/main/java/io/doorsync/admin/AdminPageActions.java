package io.doorsync.admin;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.doorsync.Account;
import io.doorsync.accounts.AccountRegistry;
import io.doorsync.run.RunReport;
import io.doorsync.run.SyncRunner;
import io.doorsync.store.QuarantineStore;

/**
 * The admin page's forms that change something in one account (the form's {@code account}, the installation's
 * own when absent): run now, allow a held run once, release a quarantined member, approve an adoption, sync one
 * member. Each answers with a redirect to the page that shows the result, with a fixed notice
 * ({@link PageNotices}); the cross-site guard refuses them from another site like every POST here.
 */
@Path("/admin/actions")
@RolesAllowed(AdminIdentityProvider.ROLE)
@Produces(MediaType.TEXT_HTML)
public class AdminPageActions {

    private final SyncRunner sync;
    private final QuarantineStore quarantine;
    private final AdminOverview overview;
    private final AccountRegistry registry;

    AdminPageActions(SyncRunner sync, QuarantineStore quarantine, AdminOverview overview, AccountRegistry registry) {
        this.sync = sync;
        this.quarantine = quarantine;
        this.overview = overview;
        this.registry = registry;
    }

    @POST
    @Path("/sync")
    public Response runNow(@FormParam("account") String account) {
        return inAccount(account, a -> !registry.runnable(a) ? notRun(a)
                : afterRun(a, sync.runOnce(a, "admin page", false)));
    }

    /** The operator's decision after a held run: this one run may take that access away. */
    @POST
    @Path("/allow-once")
    public Response allowOnce(@FormParam("account") String account) {
        return inAccount(account, a -> !registry.runnable(a) ? notRun(a)
                : afterRun(a, sync.runOnce(a, "admin page", true)));
    }

    @POST
    @Path("/release")
    public Response release(@FormParam("account") String account, @FormParam("memberId") String memberId) {
        return inAccount(account, a -> {
            boolean released = memberId != null && quarantine.release(a, memberId);
            return to(a, "/admin", (released ? "released" : "not-quarantined"), "#quarantine");
        });
    }

    @POST
    @Path("/approve")
    public Response approve(@FormParam("account") String account, @FormParam("memberId") String memberId,
            @FormParam("personId") Long personId) {
        return inAccount(account, a -> {
            boolean approved = personId != null && quarantine.approveWaitingAdoption(a, memberId, personId,
                    Instant.now());
            return to(a, "/admin", (approved ? "approved" : "no-adoption"), "#quarantine");
        });
    }

    @POST
    @Path("/sync-member")
    public Response syncMember(@FormParam("account") String account, @FormParam("memberId") String memberId) {
        return inAccount(account, a -> {
            if (memberId == null || memberId.isBlank()) {
                return to(a, "/admin", null, "#member-lookup");
            }
            if (!registry.runnable(a)) {
                return notRun(a);
            }
            RunReport report = sync.runMember(a, memberId);
            return to(a, "/admin/members?id=" + URLEncoder.encode(memberId, StandardCharsets.UTF_8),
                    report.outcome() == RunReport.Outcome.SKIPPED ? "run-in-progress" : "synced", "");
        });
    }

    private Response inAccount(String id, java.util.function.Function<Account, Response> action) {
        try {
            return action.apply(overview.account(id));
        } catch (AdminOverview.NoSuchAccount e) {
            return Response.status(404).entity(overview.render(Account.DEFAULT, null, e.getMessage())).build();
        }
    }

    /** A paused or removed account is not run, not even by an operator: its DoorFlow is left as it is. */
    private static Response notRun(Account account) {
        return to(account, "/admin", "account-not-run", "");
    }

    private static Response afterRun(Account account, RunReport report) {
        if (report.outcome() == RunReport.Outcome.SKIPPED) {
            return to(account, "/admin", "run-in-progress", "");
        }
        if (report.runId() == null) {
            return to(account, "/admin", "not-run", "");
        }
        return to(account, "/admin/runs/" + report.runId(), "ran", "");
    }

    /** A redirect to {@code path} on {@code account}'s pages, with a notice key (or none) and a fragment. */
    static Response to(Account account, String path, String notice, String fragment) {
        StringBuilder location = new StringBuilder(path);
        String at = AdminOverview.at(account);
        for (String param : new String[] { at, notice == null ? "" : "notice=" + notice }) {
            if (!param.isEmpty()) {
                location.append(location.indexOf("?") < 0 ? '?' : '&').append(param);
            }
        }
        return Response.seeOther(URI.create(location.append(fragment).toString())).build();
    }
}
