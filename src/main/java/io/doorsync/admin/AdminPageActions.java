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
import io.doorsync.run.RunReport;
import io.doorsync.run.SyncRunner;
import io.doorsync.store.QuarantineStore;

/**
 * The admin page's forms that change something: run now, allow a held run once, release a quarantined member,
 * approve an adoption, sync one member. Each answers with a redirect to the page that shows the result, with a
 * fixed notice ({@link PageNotices}); the cross-site guard refuses them from another site like every POST here.
 */
@Path("/admin/actions")
@RolesAllowed(AdminIdentityProvider.ROLE)
@Produces(MediaType.TEXT_HTML)
public class AdminPageActions {

    private final SyncRunner sync;
    private final QuarantineStore quarantine;

    AdminPageActions(SyncRunner sync, QuarantineStore quarantine) {
        this.sync = sync;
        this.quarantine = quarantine;
    }

    @POST
    @Path("/sync")
    public Response runNow() {
        return afterRun(sync.runOnce("admin page"));
    }

    /** The operator's decision after a held run: this one run may take that access away. */
    @POST
    @Path("/allow-once")
    public Response allowOnce() {
        return afterRun(sync.runOnce(Account.DEFAULT, "admin page", true));
    }

    @POST
    @Path("/release")
    public Response release(@FormParam("memberId") String memberId) {
        boolean released = memberId != null && quarantine.release(Account.DEFAULT, memberId);
        return to("/admin?notice=" + (released ? "released" : "not-quarantined") + "#quarantine");
    }

    @POST
    @Path("/approve")
    public Response approve(@FormParam("memberId") String memberId, @FormParam("personId") Long personId) {
        boolean approved = personId != null && quarantine.approveWaitingAdoption(Account.DEFAULT, memberId, personId, Instant.now());
        return to("/admin?notice=" + (approved ? "approved" : "no-adoption") + "#quarantine");
    }

    @POST
    @Path("/sync-member")
    public Response syncMember(@FormParam("memberId") String memberId) {
        if (memberId == null || memberId.isBlank()) {
            return to("/admin#member-lookup");
        }
        RunReport report = sync.runMember(memberId);
        String member = "/admin/members?id=" + URLEncoder.encode(memberId, StandardCharsets.UTF_8);
        return to(member + "&notice=" + (report.outcome() == RunReport.Outcome.SKIPPED ? "run-in-progress" : "synced"));
    }

    private static Response afterRun(RunReport report) {
        if (report.outcome() == RunReport.Outcome.SKIPPED) {
            return to("/admin?notice=run-in-progress");
        }
        if (report.runId() == null) {
            return to("/admin?notice=not-run");
        }
        return to("/admin/runs/" + report.runId() + "?notice=ran");
    }

    private static Response to(String location) {
        return Response.seeOther(URI.create(location)).build();
    }
}
