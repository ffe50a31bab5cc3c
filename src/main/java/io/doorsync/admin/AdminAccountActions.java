package io.doorsync.admin;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.doorsync.Account;
import io.doorsync.accounts.AccountRegistry;
import io.doorsync.doorflow.oauth.DoorFlowOAuth;
import io.doorsync.doorflow.oauth.OAuthConnection;

/**
 * The page's account forms: connect another DoorFlow account (its id, CRM schema, and its personal API key or an
 * OAuth sign-in at DoorFlow), connect or disconnect its OAuth connection, pause, resume and remove one. The same
 * rules as the admin API ({@link AdminAccountsApi}); a key goes in and never comes back, not even in an error.
 */
@Path("/admin/accounts")
@RolesAllowed(AdminIdentityProvider.ROLE)
@Produces(MediaType.TEXT_HTML)
public class AdminAccountActions {

    private final AccountRegistry registry;
    private final AdminOverview overview;
    private final DoorFlowOAuth oauth;

    AdminAccountActions(AccountRegistry registry, AdminOverview overview, DoorFlowOAuth oauth) {
        this.registry = registry;
        this.overview = overview;
        this.oauth = oauth;
    }

    @POST
    public Response add(@FormParam("id") String id, @FormParam("crmSchema") String crmSchema,
            @FormParam("apiKey") String apiKey) {
        Account account = new Account(id == null ? null : id.strip());
        try {
            registry.add(account, crmSchema == null ? null : crmSchema.strip(), apiKey == null ? null : apiKey.strip());
        } catch (AccountRegistry.AccountExists e) {
            return error(409, e.getMessage());
        } catch (IllegalArgumentException | IllegalStateException e) {
            return error(422, e.getMessage());
        }
        if (apiKey == null || apiKey.isBlank()) {
            return connect(account.id()); // no key: signed in at DoorFlow next, the account's page after
        }
        return AdminPageActions.to(account, "/admin", "account-added", "");
    }

    /** Sends the browser to DoorFlow's authorize page for this account (the state carries the account). */
    @POST
    @Path("/{id}/connect")
    public Response connect(@PathParam("id") String id) {
        Account account = new Account(id);
        if (!registry.connectsThroughOAuth(account)) {
            return error(422, "Account '" + id + "' connects with its API key, not OAuth (or it was removed).");
        }
        return oauth.connection(account).map(c -> Response.seeOther(c.begin()).build())
                .orElseGet(() -> error(409, oauth.whyNotConfigured()));
    }

    /** Revokes this account's refresh token at DoorFlow and deletes its tokens: it is not synced until connected. */
    @POST
    @Path("/{id}/disconnect")
    public Response disconnect(@PathParam("id") String id) {
        Account account = new Account(id);
        if (!registry.connectsThroughOAuth(account) || oauth.connection(account).isEmpty()) {
            return unknown(id);
        }
        OAuthConnection.Disconnected result = oauth.connection(account).get().disconnect();
        registry.refresh();
        return AdminPageActions.to(account, "/admin", result.problem() == null ? "disconnected"
                : "disconnected-unrevoked", "");
    }

    @POST
    @Path("/{id}/pause")
    public Response pause(@PathParam("id") String id) {
        Account account = new Account(id);
        return registry.setPaused(account, true) ? AdminPageActions.to(account, "/admin", "account-paused", "")
                : unknown(id);
    }

    @POST
    @Path("/{id}/resume")
    public Response resume(@PathParam("id") String id) {
        Account account = new Account(id);
        return registry.setPaused(account, false) ? AdminPageActions.to(account, "/admin", "account-resumed", "")
                : unknown(id);
    }

    @POST
    @Path("/{id}/remove")
    public Response remove(@PathParam("id") String id) {
        try {
            return registry.remove(new Account(id)) ? AdminPageActions.to(Account.DEFAULT, "/admin", "account-removed",
                    "#accounts") : unknown(id);
        } catch (IllegalArgumentException e) {
            return error(422, e.getMessage());
        }
    }

    private Response unknown(String id) {
        return error(404, "There is no account '" + id + "' (or it was removed).");
    }

    private Response error(int status, String message) {
        return Response.status(status).entity(overview.render(Account.DEFAULT, null, message)).build();
    }
}
