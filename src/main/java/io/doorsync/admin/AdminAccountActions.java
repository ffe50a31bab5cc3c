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

/**
 * The page's account forms: connect another DoorFlow account (its id, CRM schema and personal API key), pause,
 * resume and remove one. The same rules as the admin API ({@link AdminAccountsApi}); the key goes in and never
 * comes back, not even in an error.
 */
@Path("/admin/accounts")
@RolesAllowed(AdminIdentityProvider.ROLE)
@Produces(MediaType.TEXT_HTML)
public class AdminAccountActions {

    private final AccountRegistry registry;
    private final AdminOverview overview;

    AdminAccountActions(AccountRegistry registry, AdminOverview overview) {
        this.registry = registry;
        this.overview = overview;
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
        return AdminPageActions.to(account, "/admin", "account-added", "");
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
