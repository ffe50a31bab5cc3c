package io.doorsync.admin;

import java.net.URI;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.doorsync.Account;
import io.doorsync.explain.MemberExplainer;
import io.doorsync.explain.MemberExplanation;
import io.doorsync.store.RunStore.RunView;
import io.doorsync.store.RunStore;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;

/**
 * The pages an operator reads: the overview of an account ({@code /admin?account=...}, {@link AdminOverview}), one
 * run with its changes, and why a member has or has not access. Server-rendered and usable without JavaScript;
 * secrets never reach them. The OAuth connection's forms are in {@link AdminConnectionPage}, the other forms in
 * {@link AdminPageActions} and {@link AdminAccountActions}. Templates are rendered here (not returned as a
 * TemplateInstance) because quarkus-rest-qute does not resolve for our Quarkus version here.
 */
@Path("/admin")
@RolesAllowed(AdminIdentityProvider.ROLE)
@Produces(MediaType.TEXT_HTML)
public class AdminPage {

    /** A run's changes are shown this many at a time: a first sync of 100,000 members journals 200,000. */
    private static final int CHANGES_PER_PAGE = 200;

    /** A run's page. */
    public record RunPage(Account account, RunView run, RunStore.JournalPage changes, String notice) {
        public String at() {
            return AdminOverview.at(account);
        }
    }

    /** A member's page: the explanation, or the error that stands in for it. */
    public record MemberPage(Account account, String memberId, MemberExplanation explanation, String notice,
            String error) {
        public String at() {
            return AdminOverview.at(account);
        }
    }

    private final AdminOverview overview;
    private final Template runPage;
    private final Template memberPage;
    private final MemberExplainer explainer;
    private final RunStore runs;

    AdminPage(AdminOverview overview, @Location("admin-run.html") Template runPage,
            @Location("admin-member.html") Template memberPage, MemberExplainer explainer, RunStore runs) {
        this.overview = overview;
        this.runPage = runPage;
        this.memberPage = memberPage;
        this.explainer = explainer;
        this.runs = runs;
    }

    @GET
    public Response show(@QueryParam("account") String account, @QueryParam("notice") String notice) {
        try {
            return Response.ok(overview.render(overview.account(account), PageNotices.text(notice), null)).build();
        } catch (AdminOverview.NoSuchAccount e) {
            return noSuchAccount(e);
        }
    }

    /** One run and every change it made, with its outcome. */
    @GET
    @Path("/runs/{id}")
    public Response run(@PathParam("id") long id, @QueryParam("account") String accountId,
            @QueryParam("page") @DefaultValue("0") int page, @QueryParam("notice") String notice) {
        Account account;
        try {
            account = overview.account(accountId);
        } catch (AdminOverview.NoSuchAccount e) {
            return noSuchAccount(e);
        }
        RunView run = runs.run(account, id);
        if (run == null) {
            return Response.status(404).entity(overview.render(account, null, "Account " + account + " has no sync"
                    + " run " + id + " (runs older than doorsync.sync.history-retention are deleted).")).build();
        }
        RunStore.JournalPage changes = runs.journalOf(id, Math.max(0, page), CHANGES_PER_PAGE);
        return Response.ok(runPage.data("page", new RunPage(account, run, changes, PageNotices.text(notice)))
                .render()).build();
    }

    /** Why one member has, or has not, access (the member lookup's answer). */
    @GET
    @Path("/members")
    public Response member(@QueryParam("id") String memberId, @QueryParam("account") String accountId,
            @QueryParam("notice") String notice) {
        Account account;
        try {
            account = overview.account(accountId);
        } catch (AdminOverview.NoSuchAccount e) {
            return noSuchAccount(e);
        }
        if (memberId == null || memberId.isBlank()) {
            String at = AdminOverview.at(account);
            return Response.seeOther(URI.create("/admin" + (at.isEmpty() ? "" : "?" + at) + "#member-lookup")).build();
        }
        String id = memberId.strip();
        try {
            return explainer.explain(account, id).map(e -> Response.ok(memberPage.data("page", new MemberPage(account,
                    id, e, PageNotices.text(notice), null)).render()).build())
                    .orElseGet(() -> Response.status(404).entity(memberPage.data("page", new MemberPage(account, id,
                            null, null, "Member " + id + " is neither in the CRM nor linked or quarantined by doorsync"
                                    + (Account.DEFAULT.equals(account) ? "" : " in account " + account) + "."))
                            .render()).build());
        } catch (RuntimeException e) {
            return Response.status(503).entity(memberPage.data("page", new MemberPage(account, id, null, null,
                    "Member " + id + " could not be explained: " + e.getMessage())).render()).build();
        }
    }

    private Response noSuchAccount(AdminOverview.NoSuchAccount e) {
        return Response.status(404).entity(overview.render(Account.DEFAULT, null, e.getMessage())).build();
    }
}
