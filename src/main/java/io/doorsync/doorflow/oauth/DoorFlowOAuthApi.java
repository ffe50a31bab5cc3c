package io.doorsync.doorflow.oauth;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Form;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * DoorFlow's OAuth endpoints (the /oauth paths of openapi.yaml). A client of its own: it carries the client
 * secret or a token explicitly per call, never the API authentication of {@code DoorFlowApi}.
 */
@RegisterRestClient(configKey = "doorflow-oauth")
@Path("/oauth")
@Produces(MediaType.APPLICATION_JSON)
public interface DoorFlowOAuthApi {

    /** authorization_code or refresh_token grant, as a form POST with the client credentials in the body. */
    @POST
    @Path("/token")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    TokenResponse token(Form form);

    /** Revokes a token; DoorFlow wants the client credentials as HTTP Basic here. */
    @POST
    @Path("/revoke")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    Response revoke(@HeaderParam(HttpHeaders.AUTHORIZATION) String clientBasic, Form form);

    @GET
    @Path("/token/info")
    TokenInfo info(@HeaderParam(HttpHeaders.AUTHORIZATION) String bearer);

    @ClientExceptionMapper
    static OAuthException toException(Response response) {
        return OAuthException.from(response);
    }

    /** The token endpoint's answer; toString leaves the tokens out. */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonIgnoreProperties(ignoreUnknown = true)
    record TokenResponse(String accessToken, String tokenType, Long expiresIn, String refreshToken, String scope,
            Long createdAt) {
        @Override
        public String toString() {
            return "TokenResponse[expires_in=" + expiresIn + ", scope=" + scope + "]";
        }
    }

    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonIgnoreProperties(ignoreUnknown = true)
    record TokenInfo(Long resourceOwnerId, String accountId, java.util.List<String> scope, Long expiresIn,
            Long createdAt) {
    }

    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonIgnoreProperties(ignoreUnknown = true)
    record ErrorBody(String error, String errorDescription) {
    }
}
