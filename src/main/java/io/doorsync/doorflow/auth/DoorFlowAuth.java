package io.doorsync.doorflow.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.doorsync.DoorsyncConfig.Doorflow.AuthMode;
import io.doorsync.DoorsyncConfig;
import io.doorsync.doorflow.DoorFlowCredentials;
import io.doorsync.doorflow.DoorFlowNotConnectedException;
import io.doorsync.doorflow.oauth.DoorFlowOAuth;
import io.doorsync.doorflow.oauth.OAuthConnection;
import io.doorsync.doorflow.oauth.OAuthCredentials;

/**
 * The one place that decides which DoorFlow authentication is in use ({@link #authorization()} for every
 * request, {@link #status()} for the page, the admin API and the health check), from doorsync.doorflow.auth. In {@code auto}, an OAuth connection made
 * on /admin wins (even one that needs a reconnect: then doorsync stops writing rather than quietly falling back),
 * otherwise the API key (HTTP Basic, key as user name), otherwise the static Bearer token.
 */
@ApplicationScoped
public class DoorFlowAuth implements DoorFlowCredentials {

    private final DoorsyncConfig.Doorflow config;
    private final DoorFlowOAuth oauth;

    DoorFlowAuth(DoorsyncConfig config, DoorFlowOAuth oauth) {
        this.config = config.doorflow();
        this.oauth = oauth;
    }

    /** The kinds of authentication, in the order auto mode prefers them. */
    private enum Kind {
        OAUTH("oauth"), API_KEY("api-key"), ACCESS_TOKEN("access-token"), NONE("none");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    /** The one place that decides which kind is in use; authorization() and describe() both follow it. */
    private Kind kind() {
        if (oauthInUse().isPresent()) {
            return Kind.OAUTH;
        }
        if (config.auth() != AuthMode.ACCESS_TOKEN && present(config.apiKey())) {
            return Kind.API_KEY;
        }
        if (config.auth() != AuthMode.API_KEY && present(config.accessToken())) {
            return Kind.ACCESS_TOKEN;
        }
        return Kind.NONE;
    }

    @Override
    public Authorization authorization() {
        return switch (kind()) {
            case OAUTH -> new OAuthCredentials(oauthInUse().orElseThrow()).authorization();
            case API_KEY -> new Authorization("Basic " + Base64.getEncoder()
                    .encodeToString((config.apiKey().get() + ":").getBytes(StandardCharsets.UTF_8)), 0);
            case ACCESS_TOKEN -> new Authorization("Bearer " + config.accessToken().get(), 0);
            case NONE -> throw new DoorFlowNotConnectedException(switch (config.auth()) {
                case API_KEY -> "doorsync.doorflow.auth is api-key but doorsync.doorflow.api-key"
                        + " (DOORSYNC_DOORFLOW_API_KEY) is not set";
                case ACCESS_TOKEN -> "doorsync.doorflow.auth is access-token but doorsync.doorflow.access-token"
                        + " (DOORSYNC_DOORFLOW_ACCESS_TOKEN) is not set";
                default -> "no DoorFlow credentials: connect doorsync on /admin (OAuth), or set"
                        + " doorsync.doorflow.api-key (DOORSYNC_DOORFLOW_API_KEY) or doorsync.doorflow.access-token"
                        + " (DOORSYNC_DOORFLOW_ACCESS_TOKEN)";
            });
        };
    }

    /** Which kind is in use now and whether it works. Never the secret itself. */
    public AuthStatus status() {
        Kind kind = kind();
        if (kind == Kind.OAUTH) {
            OAuthConnection.Status oauthStatus = oauthInUse().orElseThrow().status();
            String state = switch (oauthStatus.state()) {
                case CONNECTED -> AuthStatus.CONNECTED;
                case RECONNECT_NEEDED -> AuthStatus.RECONNECT_NEEDED;
                case NOT_CONNECTED -> AuthStatus.NOT_CONNECTED;
            };
            return new AuthStatus(kind.label, state, oauthStatus.accountId(), oauthStatus.expiresAt(),
                    oauthStatus.problem());
        }
        if (kind == Kind.NONE) {
            return new AuthStatus(kind.label, AuthStatus.NOT_CONNECTED, null, null, "no DoorFlow credentials:"
                    + " connect on /admin, or set doorsync.doorflow.api-key");
        }
        return new AuthStatus(kind.label, AuthStatus.CONFIGURED, null, null, null);
    }

    /**
     * Whether the authentication in use is known not to carry {@code scope}: only an OAuth connection says what it
     * was granted (an API key or a static token carries no scopes doorsync can see, so never "known not to").
     */
    @Override
    public boolean lacksScope(String scope) {
        return kind() == Kind.OAUTH && oauthInUse().map(c -> new OAuthCredentials(c).lacksScope(scope)).orElse(false);
    }

    @Override
    public Authorization renew(Authorization rejected) {
        return oauthInUse().map(c -> new OAuthCredentials(c).renew(rejected)).orElse(null);
    }

    private Optional<OAuthConnection> oauthInUse() {
        return switch (config.auth()) {
            case OAUTH -> Optional.of(oauth.required());
            case AUTO -> oauth.connection().filter(OAuthConnection::exists);
            default -> Optional.empty();
        };
    }

    private static boolean present(Optional<String> value) {
        return value.filter(v -> !v.isBlank()).isPresent();
    }
}
