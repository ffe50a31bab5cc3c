package io.doorsync.admin;

import java.time.Instant;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.doorsync.admin.AdminApi.Problem;
import io.doorsync.doorflow.DoorFlowNotConnectedException;
import io.doorsync.doorflow.DoorFlowUnavailableException;
import io.doorsync.doorflow.oauth.DoorFlowOAuth;
import io.doorsync.doorflow.oauth.OAuthConnection;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** The OAuth connection's operator calls on the JSON API: a forced token refresh. */
@Path("/admin/api/oauth")
@RolesAllowed(AdminIdentityProvider.ROLE)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "doorsync admin")
@RegisterForReflection(targets = AdminOAuthApi.Refreshed.class)
public class AdminOAuthApi {

    /** The refreshed token's expiry; never the token. */
    public record Refreshed(Instant expiresAt, Instant refreshedAt, String accountId) {
    }

    private final DoorFlowOAuth oauth;

    AdminOAuthApi(DoorFlowOAuth oauth) {
        this.oauth = oauth;
    }

    @POST
    @Path("/refresh")
    @Operation(summary = "Refresh the OAuth access token now (single-flight like every refresh): the new expiry")
    @APIResponse(responseCode = "200", description = "refreshed")
    @APIResponse(responseCode = "409", description = "OAuth is not configured, not connected, or needs a reconnect")
    @APIResponse(responseCode = "503", description = "DoorFlow could not be reached or refused for another reason")
    public Response refresh() {
        Outcome outcome = refreshNow(oauth);
        return outcome.problem() == null ? Response.ok(outcome.refreshed()).build()
                : Response.status(outcome.status()).entity(outcome.problem()).build();
    }

    /** What a forced refresh came to; shared with the page's button. */
    record Outcome(Refreshed refreshed, int status, Problem problem) {
    }

    static Outcome refreshNow(DoorFlowOAuth oauth) {
        if (oauth.connection().isEmpty()) {
            return new Outcome(null, 409, new Problem("oauth_not_configured", oauth.whyNotConfigured()));
        }
        try {
            OAuthConnection.Status status = oauth.connection().get().refreshNow();
            return new Outcome(new Refreshed(status.expiresAt(), status.lastRefreshAt(), status.accountId()), 200,
                    null);
        } catch (DoorFlowNotConnectedException e) {
            return new Outcome(null, 409, new Problem("not_connected", e.getMessage()));
        } catch (DoorFlowUnavailableException e) {
            return new Outcome(null, 503, new Problem("refresh_failed", e.getMessage()));
        }
    }
}
