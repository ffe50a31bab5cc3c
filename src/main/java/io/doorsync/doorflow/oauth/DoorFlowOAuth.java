package io.doorsync.doorflow.oauth;

import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import io.doorsync.Account;
import io.doorsync.DoorsyncConfig.Doorflow.AuthMode;
import io.doorsync.DoorsyncConfig;
import io.doorsync.doorflow.DoorFlowNotConnectedException;
import io.quarkus.runtime.StartupEvent;

/**
 * The OAuth connections when doorsync is configured for them (client id, secret, redirect URI and token key all
 * set): the installation's own, and one per other account connected through OAuth on /admin, all through the one
 * registered application; otherwise the settings that are missing, so the page and the log can say what to
 * provide.
 */
@ApplicationScoped
public class DoorFlowOAuth {

    private static final Logger LOG = Logger.getLogger(DoorFlowOAuth.class);

    private final Optional<OAuthConnection> connection;
    private final List<String> missing = new ArrayList<>();
    private final AuthMode mode;
    private final DataSource dataSource;
    /** Other accounts' connections, made when first asked for. */
    private final Map<Account, OAuthConnection> others = new ConcurrentHashMap<>();
    private final Function<Account, OAuthConnection> make;
    private final ConnectionMetrics metrics;

    DoorFlowOAuth(DoorsyncConfig config, DataSource dataSource, @RestClient DoorFlowOAuthApi api,
            ConnectionMetrics metrics) {
        DoorsyncConfig.Oauth o = config.oauth();
        this.mode = config.doorflow().auth();
        this.dataSource = dataSource;
        this.metrics = metrics;
        require(o.clientId(), "doorsync.oauth.client-id (DOORSYNC_OAUTH_CLIENT_ID)");
        require(o.clientSecret(), "doorsync.oauth.client-secret (DOORSYNC_OAUTH_CLIENT_SECRET)");
        require(o.redirectUri(), "doorsync.oauth.redirect-uri (DOORSYNC_OAUTH_REDIRECT_URI)");
        require(o.tokenEncryptionKey(), "doorsync.oauth.token-encryption-key (DOORSYNC_OAUTH_TOKEN_ENCRYPTION_KEY)");
        if (!missing.isEmpty()) {
            connection = Optional.empty();
            make = null;
            return;
        }
        OAuthConnection.Client client = new OAuthConnection.Client(o.clientId().get(), o.clientSecret().get(),
                o.redirectUri().get(), scopes(o.scopes(), config.checkins().enabled()),
                authorizeUrl(o.authorizeUrl(), config.doorflow().baseUrl()), o.refreshBefore(), o.stateLifetime());
        TokenCipher cipher = new TokenCipher(o.tokenEncryptionKey().get());
        connection = Optional.of(new OAuthConnection(dataSource, cipher, api, client, Clock.systemUTC(),
                metrics.of(Account.DEFAULT)));
        make = account -> new OAuthConnection(account, dataSource, cipher, api, client, Clock.systemUTC(),
                metrics.of(account));
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

    /** The installation's own account's connection. */
    public Optional<OAuthConnection> connection() {
        return connection;
    }

    /** The account's connection (whether or not it is connected), when OAuth is configured. */
    public Optional<OAuthConnection> connection(Account account) {
        if (Account.DEFAULT.equals(account) || connection.isEmpty()) {
            return connection;
        }
        return Optional.of(others.computeIfAbsent(account, make));
    }

    /**
     * Forgets a removed account's connection object and its authorizations in progress, so a late callback finds
     * none (its tokens are deleted by {@link OAuthConnection#disconnect}).
     */
    public void forget(Account account) {
        others.remove(account);
        if (connection.isPresent() && !Account.DEFAULT.equals(account)) {
            TokenStore.forgetPending(dataSource, account);
            metrics.forget(account);
        }
    }

    /** Another replica removed the account: its connection object and series go here too. */
    public void dropped(Account account) {
        if (others.remove(account) != null) {
            metrics.forget(account);
        }
    }

    /**
     * The account an authorization in progress was started for (the state parameter carries it: DoorFlow sends
     * every account's callback to the one redirect URI), or empty for an unknown state.
     */
    public Optional<Account> accountOf(String state) {
        return state == null || connection.isEmpty() ? Optional.empty()
                : Optional.ofNullable(TokenStore.accountOf(dataSource, state));
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

    /** The scopes asked for unless doorsync.oauth.scopes says otherwise: people, groups, types, push to doors. */
    public static final String DEFAULT_SCOPES = "account.person account.person.readonly account.group.readonly"
            + " account.credential_type.readonly account.sync";

    /** Reading DoorFlow's access events, for check-ins. */
    public static final String EVENTS_SCOPE = "account.event.access.readonly";

    /** Real DoorFlow serves the API and tokens here, and the authorization page on its admin host. */
    static final URI REAL_API = URI.create("https://api.doorflow.com");
    static final URI REAL_AUTHORIZE = URI.create("https://admin.doorflow.com/oauth/authorize");

    /** An explicit setting wins; the default asks for the events only when check-ins are on. */
    static String scopes(Optional<String> configured, boolean checkins) {
        return configured.filter(s -> !s.isBlank()).orElse(checkins ? DEFAULT_SCOPES + " " + EVENTS_SCOPE
                : DEFAULT_SCOPES);
    }

    /** Where the admin approves: DoorFlow's admin host for real DoorFlow, else beside the API (the simulator). */
    static URI authorizeUrl(Optional<String> configured, String baseUrl) {
        if (configured.filter(s -> !s.isBlank()).isPresent()) {
            return URI.create(configured.get());
        }
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        return URI.create(base).equals(REAL_API) ? REAL_AUTHORIZE : URI.create(base + "/oauth/authorize");
    }
}
