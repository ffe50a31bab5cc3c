package io.doorsync.doorflow.oauth;

import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import io.doorsync.DoorsyncConfig.Doorflow.AuthMode;
import io.doorsync.DoorsyncConfig;
import io.doorsync.doorflow.DoorFlowNotConnectedException;
import io.quarkus.runtime.StartupEvent;

/**
 * The OAuth connection when doorsync is configured for one (client id, secret, redirect URI and token key all
 * set); otherwise the settings that are missing, so the page and the log can say what to provide.
 */
@ApplicationScoped
public class DoorFlowOAuth {

    private static final Logger LOG = Logger.getLogger(DoorFlowOAuth.class);

    private final Optional<OAuthConnection> connection;
    private final List<String> missing = new ArrayList<>();
    private final AuthMode mode;

    DoorFlowOAuth(DoorsyncConfig config, DataSource dataSource, @RestClient DoorFlowOAuthApi api,
            ConnectionMetrics metrics) {
        DoorsyncConfig.Oauth o = config.oauth();
        this.mode = config.doorflow().auth();
        require(o.clientId(), "doorsync.oauth.client-id (DOORSYNC_OAUTH_CLIENT_ID)");
        require(o.clientSecret(), "doorsync.oauth.client-secret (DOORSYNC_OAUTH_CLIENT_SECRET)");
        require(o.redirectUri(), "doorsync.oauth.redirect-uri (DOORSYNC_OAUTH_REDIRECT_URI)");
        require(o.tokenEncryptionKey(), "doorsync.oauth.token-encryption-key (DOORSYNC_OAUTH_TOKEN_ENCRYPTION_KEY)");
        if (!missing.isEmpty()) {
            connection = Optional.empty();
            return;
        }
        URI authorize = URI.create(o.authorizeUrl().orElse(stripSlash(config.doorflow().baseUrl()) + "/oauth/authorize"));
        OAuthConnection.Client client = new OAuthConnection.Client(o.clientId().get(), o.clientSecret().get(),
                o.redirectUri().get(), o.scopes(), authorize, o.refreshBefore(), o.stateLifetime());
        connection = Optional.of(new OAuthConnection(dataSource, new TokenCipher(o.tokenEncryptionKey().get()), api,
                client, Clock.systemUTC(), metrics));
    }

    void announce(@Observes StartupEvent event) {
        if (connection.isPresent()) {
            connection.get().status(); // metrics and health start from the stored state
        } else if (mode == AuthMode.OAUTH) {
            throw new IllegalStateException("doorsync.doorflow.auth is oauth but " + whyNotConfigured());
        } else {
            LOG.infof("OAuth connection to DoorFlow not configured (%s); using the API key or token", whyNotConfigured());
        }
    }

    public Optional<OAuthConnection> connection() {
        return connection;
    }

    /** The connection, or a clear error naming the settings to provide. */
    public OAuthConnection required() {
        return connection.orElseThrow(() -> new DoorFlowNotConnectedException(whyNotConfigured()));
    }

    public String whyNotConfigured() {
        return missing.isEmpty() ? "" : "OAuth is not configured: set " + String.join(", ", missing);
    }

    private void require(Optional<String> value, String setting) {
        if (value.filter(v -> !v.isBlank()).isEmpty()) {
            missing.add(setting);
        }
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
