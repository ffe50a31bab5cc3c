package io.doorsync.doorflow;

import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.jboss.resteasy.reactive.RestResponse;

import io.doorsync.doorflow.DoorFlowDtos.Credential;
import io.doorsync.doorflow.DoorFlowDtos.CredentialInput;
import io.doorsync.doorflow.DoorFlowDtos.CredentialType;
import io.doorsync.doorflow.DoorFlowDtos.CredentialUpdateInput;
import io.doorsync.doorflow.DoorFlowDtos.DisableInput;
import io.doorsync.doorflow.DoorFlowDtos.Group;
import io.doorsync.doorflow.DoorFlowDtos.Person;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;

/**
 * The part of DoorFlow's API (openapi.yaml; a copy is in src/test/resources/doorflow) that doorsync uses.
 * The base URL is {@code doorsync.doorflow.base-url}; each account's client is built by {@link DoorFlowGateways},
 * which adds the account's authentication ({@link DoorFlowAuthFilter}).
 */
@RegisterRestClient(configKey = "doorflow")
@Path("/api/3")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface DoorFlowApi {

    @GET
    @Path("/people")
    RestResponse<List<Person>> listPeople(@QueryParam("page") int page, @QueryParam("per_page") int perPage);

    /** People DoorFlow changed (created or updated, not deleted) at or after {@code sinceUtc}, RFC 3339. */
    @GET
    @Path("/people")
    RestResponse<List<Person>> listPeopleChangedSince(@QueryParam("since_utc") String sinceUtc,
            @QueryParam("page") int page, @QueryParam("per_page") int perPage);

    /** People with exactly this system_id (DoorFlow's system_id filter is exact). */
    @GET
    @Path("/people")
    List<Person> peopleWithSystemId(@QueryParam("system_id") String systemId);

    @GET
    @Path("/people/{id}")
    Person getPerson(@PathParam("id") long id);

    @POST
    @Path("/people")
    Person createPerson(Map<String, Object> input);

    /** DoorFlow answers 201 to an update; group_ids replaces the person's groups wholesale. */
    @PUT
    @Path("/people/{id}")
    Person updatePerson(@PathParam("id") long id, Map<String, Object> input);

    /** Same endpoint as {@link #updatePerson}, sending only the photo. */
    @PUT
    @Path("/people/{id}")
    Person setPersonImage(@PathParam("id") long id, DoorFlowDtos.ImageInput input);

    /** Same endpoint, image_remote_url "": DoorFlow deletes the person's image. */
    @PUT
    @Path("/people/{id}")
    Person removePersonImage(@PathParam("id") long id, DoorFlowDtos.ImageRemoval input);

    /** Same endpoint as {@link #updatePerson}, sending only enabled and group_ids. */
    @PUT
    @Path("/people/{id}")
    Person disablePerson(@PathParam("id") long id, DisableInput input);

    @DELETE
    @Path("/people/{id}")
    Response deletePerson(@PathParam("id") long id);

    /** The account the credentials in use belong to. */
    @GET
    @Path("/account")
    DoorFlowDtos.Account getAccount();

    @GET
    @Path("/groups")
    List<Group> listGroups();

    @GET
    @Path("/credential_types")
    RestResponse<List<CredentialType>> listCredentialTypes(@QueryParam("page") int page,
            @QueryParam("per_page") int perPage);

    /** Every credential of the account, all people at once: one listing per run instead of a read per person. */
    @GET
    @Path("/credentials")
    RestResponse<List<Credential>> listCredentials(@QueryParam("page") int page, @QueryParam("per_page") int perPage);

    /** One person's credentials: the read after a change to that person, instead of the whole account's. */
    @GET
    @Path("/people/{personId}/credentials")
    RestResponse<List<Credential>> listPersonCredentials(@PathParam("personId") long personId,
            @QueryParam("page") int page, @QueryParam("per_page") int perPage);

    /** 201 with the credential; 409 (one per type) carries the existing credential, 422 a validation error. */
    @POST
    @Path("/people/{personId}/credentials")
    Credential createCredential(@PathParam("personId") long personId, CredentialInput input);

    @PUT
    @Path("/people/{personId}/credentials/{id}")
    Credential updateCredential(@PathParam("personId") long personId, @PathParam("id") String credentialId,
            CredentialUpdateInput input);

    /** 200 for cards and PINs; 202 for mobile credentials, which DoorFlow revokes asynchronously. */
    @DELETE
    @Path("/people/{personId}/credentials/{id}")
    @Produces({ MediaType.TEXT_PLAIN, MediaType.APPLICATION_JSON })
    Response deleteCredential(@PathParam("personId") long personId, @PathParam("id") String credentialId);

    /** Push pending changes to door controllers; rate-limited by DoorFlow (429 with retry_in). */
    /** Access events (admits and rejects) created at or after {@code since}, oldest first; {@code n} per page. */
    @GET
    @Path("/events")
    RestResponse<List<DoorFlowDtos.Event>> listEvents(@QueryParam("since") String since,
            @QueryParam("sort") String sort, @QueryParam("n") int perPage, @QueryParam("page") int page);

    @POST
    @Path("/sync")
    Response sync();

    @ClientExceptionMapper
    static DoorFlowException toException(Response response) {
        return DoorFlowException.from(response);
    }
}
