package io.doorsync.doorflow.oauth;

import jakarta.ws.rs.core.Response;

/** DoorFlow's OAuth endpoints refused: {@code error} is the OAuth error code (invalid_grant, invalid_client, ...). */
public class OAuthException extends RuntimeException {

    private final int status;
    private final String error;

    public OAuthException(int status, String error, String message) {
        super(message);
        this.status = status;
        this.error = error;
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    /** The refresh token (or code) is revoked, expired or unknown: only a new authorization helps. */
    public boolean invalidGrant() {
        return "invalid_grant".equals(error);
    }

    static OAuthException from(Response response) {
        DoorFlowOAuthApi.ErrorBody body = null;
        try {
            body = response.hasEntity() ? response.readEntity(DoorFlowOAuthApi.ErrorBody.class) : null;
        } catch (RuntimeException notJson) {
            // a proxy's error page: the status must do
        }
        String error = body == null ? null : body.error();
        String description = body == null ? null : body.errorDescription();
        return new OAuthException(response.getStatus(), error, "DoorFlow's OAuth endpoint answered "
                + response.getStatus() + (error == null ? "" : ": " + error)
                + (description == null ? "" : " (" + description + ")"));
    }
}
