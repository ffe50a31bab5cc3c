package io.doorsync.admin;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import io.doorsync.Account;
import io.doorsync.checkins.CheckInScheduler;
import io.doorsync.checkins.CheckIns;
import io.doorsync.doorflow.auth.AuthStatus;
import io.doorsync.doorflow.auth.DoorFlowAuth;
import io.doorsync.doorflow.oauth.DoorFlowOAuth;
import io.doorsync.doorflow.oauth.OAuthConnection.AuthorizationRefused;
import io.doorsync.doorflow.oauth.OAuthConnection;
import io.doorsync.explain.MemberExplainer;
import io.doorsync.explain.MemberExplanation;
import io.doorsync.store.RunStore.RunView;
import io.doorsync.store.RunStore;
import io.doorsync.store.QuarantineStore;
import io.doorsync.plan.Plan;
import io.doorsync.run.RunMetrics;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;

/**
 * The page an operator opens first: the DoorFlow connection (Connect / Reconnect / Refresh / Disconnect, and the
 * OAuth callback), a held run, recent runs, the quarantine, a member lookup and recent check-ins. Server-rendered
 * and usable without JavaScript; the client secret and the tokens never reach it. The other forms are in
 * {@link AdminPageActions}, the run and member pages in {@link AdminDetailPages}. Templates are rendered here
 * (not returned as a TemplateInstance) because quarkus-rest-qute does not resolve for our Quarkus version here.
 */
@Path("/admin")
@RolesAllowed(AdminIdentityProvider.ROLE)
@Produces(MediaType.TEXT_HTML)
public class AdminPage {

    private static final Logger LOG = Logger.getLogger(AdminPage.class);
    private static final int RECENT_RUNS = 10;
    private static final int RECENT_CHECK_INS = 10;
    /** A run's changes are shown this many at a time: a first sync of 100,000 members journals 200,000. */
    private static final int CHANGES_PER_PAGE = 200;
    /** The page lists this many quarantined members at most; the JSON API lists them all. */
    private static final int QUARANTINE_SHOWN = 100;
    private static final Pattern ADOPTION = Pattern.compile("^" + Plan.Quarantine.ADOPTION_NEEDS_APPROVAL
            + ": DoorFlow person #(\\d+) ");

    /** Everything the overview shows. */
    public record View(AuthStatus auth, OAuthConnection.Status connection, String notConfigured, String notice,
            String error, List<RunView> runs, RunView held, List<QuarantineRow> quarantine, int quarantined,
            CheckInsView checkIns, List<RefusedRow> refused) {
        public boolean connected() {
            return connection != null && connection.state() == OAuthConnection.State.CONNECTED;
        }

        public boolean reconnectNeeded() {
            return connection != null && connection.state() == OAuthConnection.State.RECONNECT_NEEDED;
        }

        /** Quarantined members beyond those the page lists. */
        public int quarantineNotShown() {
            return quarantined - quarantine.size();
        }

        /** The authentication in use, in words. */
        public String authInUse() {
            return switch (auth.auth()) {
                case "oauth" -> "OAuth (the connection made on this page)";
                case "api-key" -> "personal API key (doorsync.doorflow.api-key)";
                case "access-token" -> "static access token (doorsync.doorflow.access-token)";
                default -> "none: connect below, or set doorsync.doorflow.api-key";
            };
        }
    }

    /** A quarantined member; {@code adoptionOf} is the DoorFlow person it waits to adopt, if that is the reason. */
    public record QuarantineRow(String memberId, String reason, Instant since, Long adoptionOf) {
    }

    /** Recent check-ins, or why there are none. */
    public record CheckInsView(boolean enabled, String problem, List<CheckIns.CheckIn> recent) {
    }

    /** A member whose change DoorFlow refused run after run, and why (the last time). */
    public record RefusedRow(String memberId, int runs, String reason) {
    }

    /** A run's page. */
    public record RunPage(RunView run, RunStore.JournalPage changes, String notice) {
    }

    /** A member's page: the explanation, or the error that stands in for it. */
    public record MemberPage(String memberId, MemberExplanation explanation, String notice, String error) {
    }

    private final RunMetrics runMetrics;
    private final Template page;
    private final Template runPage;
    private final Template memberPage;
    private final MemberExplainer explainer;
    private final DoorFlowOAuth oauth;
    private final DoorFlowAuth auth;
    private final RunStore runs;
    private final QuarantineStore quarantine;
    private final CheckIns checkIns;
    private final CheckInScheduler checkInReads;
    private final boolean checkInsEnabled;

    AdminPage(@Location("admin.html") Template page, @Location("admin-run.html") Template runPage,
            @Location("admin-member.html") Template memberPage, DoorFlowOAuth oauth, DoorFlowAuth auth,
            RunStore runs, QuarantineStore quarantine, CheckIns checkIns, CheckInScheduler checkInReads,
            MemberExplainer explainer, RunMetrics runMetrics) {
        this.runMetrics = runMetrics;
        this.page = page;
        this.runPage = runPage;
        this.memberPage = memberPage;
        this.explainer = explainer;
        this.oauth = oauth;
        this.auth = auth;
        this.runs = runs;
        this.quarantine = quarantine;
        this.checkIns = checkIns;
        this.checkInReads = checkInReads;
        this.checkInsEnabled = checkInReads.enabled();
    }

    @GET
    public String show(@QueryParam("notice") String notice) {
        return render(PageNotices.text(notice), null);
    }

    /** One run and every change it made, with its outcome. */
    @GET
    @Path("/runs/{id}")
    public Response run(@PathParam("id") long id, @QueryParam("page") @DefaultValue("0") int page,
            @QueryParam("notice") String notice) {
        RunView run = runs.run(Account.DEFAULT, id);
        if (run == null) {
            return Response.status(404).entity(render(null, "There is no sync run " + id + " (runs older than"
                    + " doorsync.sync.history-retention are deleted).")).build();
        }
        RunStore.JournalPage changes = runs.journalOf(id, Math.max(0, page), CHANGES_PER_PAGE);
        return Response.ok(runPage.data("page", new RunPage(run, changes, PageNotices.text(notice))).render()).build();
    }

    /** Why one member has, or has not, access (the member lookup's answer). */
    @GET
    @Path("/members")
    public Response member(@QueryParam("id") String memberId, @QueryParam("notice") String notice) {
        if (memberId == null || memberId.isBlank()) {
            return Response.seeOther(URI.create("/admin#member-lookup")).build();
        }
        String id = memberId.strip();
        try {
            return explainer.explain(Account.DEFAULT, id).map(e -> Response.ok(memberPage.data("page", new MemberPage(id, e,
                    PageNotices.text(notice), null)).render()).build())
                    .orElseGet(() -> Response.status(404).entity(memberPage.data("page", new MemberPage(id, null, null,
                            "Member " + id + " is neither in the CRM nor linked or quarantined by doorsync."))
                            .render()).build());
        } catch (RuntimeException e) {
            return Response.status(503).entity(memberPage.data("page", new MemberPage(id, null, null, "Member " + id
                    + " could not be explained: " + e.getMessage())).render()).build();
        }
    }

    /** Sends the browser to DoorFlow's authorize page (state and PKCE verifier kept server-side). */
    @POST
    @Path("/connect")
    public Response connect() {
        if (oauth.connection().isEmpty()) {
            return Response.status(409).entity(render(null, oauth.whyNotConfigured())).build();
        }
        return Response.seeOther(oauth.connection().get().begin()).build();
    }

    /** DoorFlow sends the browser back here with code and state, or error=access_denied. */
    @GET
    @Path("/oauth/callback")
    public Response callback(@QueryParam("code") String code, @QueryParam("state") String state,
            @QueryParam("error") String error, @QueryParam("error_description") String description) {
        if (oauth.connection().isEmpty()) {
            return Response.status(409).entity(render(null, oauth.whyNotConfigured())).build();
        }
        OAuthConnection connection = oauth.connection().get();
        try {
            if (error != null) {
                connection.denied(state);
                String why = "access_denied".equals(error) ? "DoorFlow access was denied on its authorization page,"
                        + " so doorsync is not connected. Connect again and choose Approve to connect it."
                        : "DoorFlow answered '" + error + "'" + (description == null ? "" : ": " + description)
                                + ". doorsync is not connected.";
                return Response.status(400).entity(render(null, why)).build();
            }
            if (code == null || code.isBlank()) {
                return Response.status(400).entity(render(null, "DoorFlow's answer carried no authorization code."))
                        .build();
            }
            connection.complete(state, code);
            return Response.seeOther(URI.create("/admin?notice=connected")).build();
        } catch (AuthorizationRefused e) {
            LOG.warn("OAuth callback refused: " + e.getMessage());
            return Response.status(400).entity(render(null, e.getMessage())).build();
        }
    }

    /** Revokes the refresh token at DoorFlow and deletes the stored tokens. */
    @POST
    @Path("/disconnect")
    public Response disconnect() {
        if (oauth.connection().isEmpty()) {
            return Response.seeOther(URI.create("/admin")).build();
        }
        OAuthConnection.Disconnected result = oauth.connection().get().disconnect();
        return Response.seeOther(URI.create("/admin?notice=" + (result.problem() == null ? "disconnected"
                : "disconnected-unrevoked"))).build();
    }

    /** The forced refresh button: a new access token now (AdminOAuthApi does the same for the JSON API). */
    @POST
    @Path("/refresh")
    public Response refresh() {
        AdminOAuthApi.Outcome outcome = AdminOAuthApi.refreshNow(oauth);
        if (outcome.problem() == null) {
            return Response.seeOther(URI.create("/admin?notice=refreshed")).build();
        }
        return Response.status(outcome.status()).entity(render(null, outcome.problem().message())).build();
    }

    private String render(String notice, String error) {
        OAuthConnection.Status status = oauth.connection().map(OAuthConnection::status).orElse(null);
        List<RunView> recent = runs.runs(Account.DEFAULT, 0, RECENT_RUNS).items();
        RunView last = runs.lastFinishedRun(Account.DEFAULT);
        List<QuarantineStore.QuarantineView> held = quarantine.quarantine(Account.DEFAULT, 0, QUARANTINE_SHOWN);
        List<QuarantineRow> heldRows = held.stream().map(q -> {
            Matcher m = ADOPTION.matcher(q.reason());
            return new QuarantineRow(q.memberId(), q.reason(), q.since(), m.find() ? Long.valueOf(m.group(1)) : null);
        }).toList();
        CheckInScheduler.LastRead read = checkInReads.lastRead();
        CheckInsView checkInsView = new CheckInsView(checkInsEnabled, read == null ? null : read.problem(),
                checkIns.recent(RECENT_CHECK_INS));
        return page.data("view", new View(auth.status(), status, oauth.connection().isEmpty()
                ? oauth.whyNotConfigured() : null, notice, error, recent,
                last != null && "held".equals(last.outcome()) ? last : null, heldRows,
                (int) quarantine.quarantinedCount(Account.DEFAULT),
                checkInsView,
                runMetrics.refusedRunAfterRun().entrySet().stream().limit(QUARANTINE_SHOWN).map(e -> new RefusedRow(
                        e.getKey(), e.getValue().runs(), e.getValue().reason())).toList())).render();
    }
}
