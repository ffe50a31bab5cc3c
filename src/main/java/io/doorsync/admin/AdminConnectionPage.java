package io.doorsync.admin;

import java.net.URI;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import io.doorsync.Account;
import io.doorsync.accounts.AccountRegistry;
import io.doorsync.doorflow.oauth.DoorFlowOAuth;
import io.doorsync.doorflow.oauth.OAuthConnection;
import io.doorsync.doorflow.oauth.OAuthConnection.AuthorizationRefused;

/**
 * The installation's OAuth connection to DoorFlow, from the page: Connect / Reconnect, Refresh and Disconnect; and
 * the OAuth callback of every account's connection (another account's begins in {@link AdminAccountActions}): the
 * state, kept server-side with the PKCE verifier and the account it was started for, says whose it is. The client
 * secret and the tokens never reach the browser.
 */
@Path("/admin")
@RolesAllowed(AdminIdentityProvider.ROLE)
@Produces(MediaType.TEXT_HTML)
public class AdminConnectionPage {

    private static final Logger LOG = Logger.getLogger(AdminConnectionPage.class);

    private final DoorFlowOAuth oauth;
    private final AdminOverview overview;
    private final AccountRegistry registry;

    AdminConnectionPage(DoorFlowOAuth oauth, AdminOverview overview, AccountRegistry registry) {
        this.oauth = oauth;
        this.overview = overview;
        this.registry = registry;
    }

    /** Sends the browser to DoorFlow's authorize page. */
    @POST
    @Path("/connect")
    public Response connect() {
        if (oauth.connection().isEmpty()) {
            return error(409, oauth.whyNotConfigured());
        }
        return Response.seeOther(oauth.connection().get().begin()).build();
    }

    /** DoorFlow sends the browser back here with code and state, or error=access_denied. */
    @GET
    @Path("/oauth/callback")
    public Response callback(@QueryParam("code") String code, @QueryParam("state") String state,
            @QueryParam("error") String error, @QueryParam("error_description") String description) {
        if (oauth.connection().isEmpty()) {
            return error(409, oauth.whyNotConfigured());
        }
        Account account = oauth.accountOf(state).orElse(Account.DEFAULT); // an unknown state is refused below
        if (!Account.DEFAULT.equals(account) && !registry.connectsThroughOAuth(account)) {
            oauth.connection(account).ifPresent(c -> c.denied(state)); // used up: it cannot come back later
            return error(409, "Account '" + account + "' was removed (or connects with an API key) since this"
                    + " Connect was started: nothing was stored.");
        }
        OAuthConnection connection = oauth.connection(account).orElseThrow();
        try {
            if (error != null) {
                connection.denied(state);
                return error(account, 400, "access_denied".equals(error) ? "DoorFlow access was denied on its authorization"
                        + " page, so doorsync is not connected. Connect again and choose Approve to connect it."
                        : "DoorFlow answered '" + error + "'" + (description == null ? "" : ": " + description)
                                + ". doorsync is not connected.");
            }
            if (code == null || code.isBlank()) {
                return error(account, 400, "DoorFlow's answer carried no authorization code.");
            }
            connection.complete(state, code);
            if (!Account.DEFAULT.equals(account)) {
                registry.refresh(); // its gateway now uses the connection: synced from the next tick
            }
            return AdminPageActions.to(account, "/admin", "connected", "");
        } catch (AuthorizationRefused e) {
            LOG.warnf("OAuth callback for account %s refused: %s", account, e.getMessage());
            return error(account, 400, e.getMessage());
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
        return error(outcome.status(), outcome.problem().message());
    }

    private Response error(int status, String message) {
        return error(Account.DEFAULT, status, message);
    }

    private Response error(Account account, int status, String message) {
        return Response.status(status).entity(overview.render(account, null, message)).build();
    }
}
