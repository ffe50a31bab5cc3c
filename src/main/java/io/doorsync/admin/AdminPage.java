package io.doorsync.admin;

import java.net.URI;
import java.time.Instant;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import io.doorsync.doorflow.auth.AuthStatus;
import io.doorsync.doorflow.auth.DoorFlowAuth;
import io.doorsync.doorflow.oauth.DoorFlowOAuth;
import io.doorsync.doorflow.oauth.OAuthConnection.AuthorizationRefused;
import io.doorsync.doorflow.oauth.OAuthConnection;
import io.doorsync.history.RunHistory.RunView;
import io.doorsync.history.RunHistory;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;

/**
 * The one-time bootstrap page: connection state, Connect / Reconnect / Disconnect, and the OAuth callback.
 * Server-rendered; the client secret and the tokens never reach it. The template is rendered here (not
 * returned as a TemplateInstance) because quarkus-rest-qute does not resolve for our Quarkus version here.
 */
@Path("/admin")
@RolesAllowed(AdminIdentityProvider.ROLE)
@Produces(MediaType.TEXT_HTML)
public class AdminPage {

    private static final Logger LOG = Logger.getLogger(AdminPage.class);

    /** Everything the template shows. */
    public record View(AuthStatus auth, OAuthConnection.Status connection, String notConfigured, RunView lastRun,
            String notice, String error, Instant now) {
        public boolean connected() {
            return connection != null && connection.state() == OAuthConnection.State.CONNECTED;
        }

        public boolean reconnectNeeded() {
            return connection != null && connection.state() == OAuthConnection.State.RECONNECT_NEEDED;
        }
    }

    private final Template page;
    private final DoorFlowOAuth oauth;
    private final DoorFlowAuth auth;
    private final RunHistory history;

    AdminPage(@Location("admin.html") Template page, DoorFlowOAuth oauth, DoorFlowAuth auth, RunHistory history) {
        this.page = page;
        this.oauth = oauth;
        this.auth = auth;
        this.history = history;
    }

    @GET
    public String show(@QueryParam("notice") String notice) {
        return render(notices(notice), null);
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
        return page.data("view", new View(auth.status(), status, oauth.connection().isEmpty()
                ? oauth.whyNotConfigured() : null, history.lastFinishedRun(), notice, error, Instant.now())).render();
    }

    /** Only fixed texts: nothing from the query string is shown. */
    private static String notices(String key) {
        if (key == null) {
            return null;
        }
        return switch (key) {
            case "connected" -> "Connected to DoorFlow. Syncs now use this connection.";
            case "refreshed" -> "The access token was refreshed: its new expiry is shown below.";
            case "disconnected" -> "Disconnected: the refresh token was revoked at DoorFlow and the stored tokens"
                    + " deleted.";
            case "disconnected-unrevoked" -> "Disconnected locally, but DoorFlow could not be reached to revoke the"
                    + " refresh token: revoke doorsync's access in DoorFlow by hand.";
            default -> null;
        };
    }
}
