package io.doorsync.doorflow;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.doorsync.DoorsyncConfig;
import io.doorsync.DoorsyncConfig.Doorflow.AuthMode;
import io.doorsync.doorflow.oauth.DoorFlowOAuth;
import io.doorsync.doorflow.oauth.OAuthConnection;

/**
 * Chooses the DoorFlow authentication from doorsync.doorflow.auth. In {@code auto}, an OAuth connection made
 * on /admin wins (even one that needs a reconnect: then doorsync stops writing rather than quietly falling back),
 * otherwise the API key (HTTP Basic, key as user name), otherwise the static Bearer token.
 */
@ApplicationScoped
public class ConfiguredCredentials implements DoorFlowCredentials {

    private final DoorsyncConfig.Doorflow config;
    private final DoorFlowOAuth oauth;

    ConfiguredCredentials(DoorsyncConfig config, DoorFlowOAuth oauth) {
        this.config = config.doorflow();
        this.oauth = oauth;
    }

    @Override
    public Authorization authorization() {
        Optional<OAuthConnection> connection = oauthInUse();
        if (connection.isPresent()) {
            return bearer(connection.get().token());
        }
        if (config.auth() != AuthMode.ACCESS_TOKEN && present(config.apiKey())) {
            String basic = config.apiKey().get() + ":";
            return new Authorization("Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)),
                    0);
        }
        if (config.auth() != AuthMode.API_KEY && present(config.accessToken())) {
            return new Authorization("Bearer " + config.accessToken().get(), 0);
        }
        throw new DoorFlowNotConnectedException(switch (config.auth()) {
            case API_KEY -> "doorsync.doorflow.auth is api-key but doorsync.doorflow.api-key (DOORSYNC_DOORFLOW_API_KEY)"
                    + " is not set";
            case ACCESS_TOKEN -> "doorsync.doorflow.auth is access-token but doorsync.doorflow.access-token"
                    + " (DOORSYNC_DOORFLOW_ACCESS_TOKEN) is not set";
            default -> "no DoorFlow credentials: connect doorsync on /admin (OAuth), or set doorsync.doorflow.api-key"
                    + " (DOORSYNC_DOORFLOW_API_KEY) or doorsync.doorflow.access-token (DOORSYNC_DOORFLOW_ACCESS_TOKEN)";
        });
    }

    /** Which kind is in use now: oauth, api-key, access-token, or none. Never the secret itself. */
    public String describe() {
        if (oauthInUse().isPresent()) {
            return "oauth";
        }
        if (config.auth() != AuthMode.ACCESS_TOKEN && present(config.apiKey())) {
            return "api-key";
        }
        if (config.auth() != AuthMode.API_KEY && present(config.accessToken())) {
            return "access-token";
        }
        return "none";
    }

    @Override
    public Authorization renew(Authorization rejected) {
        Optional<OAuthConnection> connection = oauthInUse();
        return connection.isPresent() ? bearer(connection.get().renewAfterRejection(rejected.version())) : null;
    }

    private Optional<OAuthConnection> oauthInUse() {
        return switch (config.auth()) {
            case OAUTH -> Optional.of(oauth.required());
            case AUTO -> oauth.connection().filter(OAuthConnection::exists);
            default -> Optional.empty();
        };
    }

    private static Authorization bearer(OAuthConnection.Token token) {
        return new Authorization("Bearer " + token.accessToken(), token.version());
    }

    private static boolean present(Optional<String> value) {
        return value.filter(v -> !v.isBlank()).isPresent();
    }
}
