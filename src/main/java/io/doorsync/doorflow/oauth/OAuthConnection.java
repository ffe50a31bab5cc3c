package io.doorsync.doorflow.oauth;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import javax.sql.DataSource;

import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Form;

import org.jboss.logging.Logger;

import io.doorsync.Account;
import io.doorsync.doorflow.oauth.DoorFlowOAuthApi.TokenInfo;
import io.doorsync.doorflow.oauth.DoorFlowOAuthApi.TokenResponse;

/**
 * One doorsync account's DoorFlow OAuth connection, as the rest of doorsync sees it: connect
 * ({@link AuthorizationFlow}), use and refresh the token ({@link TokenRefresher}, single-flight across threads and
 * replicas), status and disconnect. Tokens live in doorsync.oauth_connection, encrypted and bound to the account
 * ({@link TokenStore}).
 * <p>
 * Plain JDBC and no CDI inside on purpose: a test builds a second instance over the same database to play a
 * second replica.
 */
public class OAuthConnection {

    private static final Logger LOG = Logger.getLogger(OAuthConnection.class);

    public enum State {
        NOT_CONNECTED, CONNECTED, RECONNECT_NEEDED
    }

    /** What the admin page and the metrics show; never a token. */
    public record Status(State state, String accountId, String scopes, Instant expiresAt, Instant lastRefreshAt,
            String lastRefreshOutcome, String problem) {
        static final Status NONE = new Status(State.NOT_CONNECTED, null, null, null, null, null, null);
    }

    /**
     * An access token, the row version it came from (handed back after a 401), and the DoorFlow account it was
     * granted for (a reconnect may sign in to another).
     */
    public record Token(String accessToken, long version, String doorflowAccount) {
        @Override
        public String toString() {
            return "Token[version " + version + "]";
        }
    }

    /** Told about refresh outcomes and status changes (metrics). */
    public interface Listener {
        void refreshed(String outcome);

        void status(Status status);
    }

    /** The settings of the OAuth application (client) doorsync is registered as. */
    public record Client(String clientId, String clientSecret, String redirectUri, String scopes, URI authorizeUrl,
            Duration refreshBefore, Duration stateLifetime) {
        @Override
        public String toString() {
            return "Client[" + clientId + ", " + redirectUri + "]";
        }
    }

    /** The callback refused the authorization; the message is for the admin. */
    public static class AuthorizationRefused extends RuntimeException {
        public AuthorizationRefused(String message) {
            super(message);
        }
    }

    /** Outcome of a disconnect, for the admin page. */
    public record Disconnected(boolean revoked, String problem) {
    }

    private final TokenStore store;
    private final DoorFlowOAuthApi api;
    private final Client client;
    private final Clock clock;
    private final Listener listener;
    private final AuthorizationFlow authorization;
    private final TokenRefresher tokens;
    private volatile Instant absentSince;
    private final Account account;

    /** The installation's own account's connection. */
    public OAuthConnection(DataSource dataSource, TokenCipher cipher, DoorFlowOAuthApi api, Client client, Clock clock,
            Listener listener) {
        this(Account.DEFAULT, dataSource, cipher, api, client, clock, listener);
    }

    public OAuthConnection(Account account, DataSource dataSource, TokenCipher cipher, DoorFlowOAuthApi api,
            Client client, Clock clock, Listener listener) {
        this.account = account;
        this.store = new TokenStore(dataSource, cipher, account);
        this.api = api;
        this.client = client;
        this.clock = clock;
        this.listener = listener;
        this.authorization = new AuthorizationFlow(store, api, client, clock);
        this.tokens = new TokenRefresher(store, api, client, clock, listener);
    }

    /** The doorsync account this connection is for. */
    public Account account() {
        return account;
    }

    // ---- connecting (the /admin page) ----

    /** Starts an authorization: a single-use state and a PKCE verifier are stored; returns where to send the browser. */
    public URI begin() {
        return authorization.begin();
    }

    /** Completes an authorization from the callback and stores the tokens. */
    public Status complete(String state, String code) {
        AuthorizationFlow.Granted granted = authorization.complete(state, code);
        TokenResponse response = granted.tokens();
        TokenInfo info = granted.info();
        String scopes = info.scope() != null && !info.scope().isEmpty() ? String.join(" ", info.scope())
                : response.scope();
        tokens.lock.lock();
        try {
            Instant now = clock.instant();
            Instant expires = now.plusSeconds(response.expiresIn() == null ? 3600 : response.expiresIn());
            long version = store.saveConnected(info.accountId(), info.resourceOwnerId(), scopes,
                    response.accessToken(), response.refreshToken(), expires, now);
            tokens.connected(response.accessToken(), now, expires, version, info.accountId());
            absentSince = null;
        } finally {
            tokens.lock.unlock();
        }
        LOG.infof("account %s connected to DoorFlow account %s (scopes: %s)", account, info.accountId(), scopes);
        return status();
    }

    /** The admin (or DoorFlow) refused on the authorize page: the state is used up all the same. */
    public void denied(String state) {
        authorization.denied(state);
    }

    /** Revokes the refresh token at DoorFlow and deletes the stored tokens (even when DoorFlow cannot be reached). */
    public Disconnected disconnect() {
        tokens.lock.lock();
        try {
            String refreshToken = store.refreshToken();
            String problem = null;
            if (refreshToken != null) {
                try {
                    String basic = Base64.getUrlEncoder().encodeToString((client.clientId() + ":"
                            + client.clientSecret()).getBytes(StandardCharsets.UTF_8));
                    api.revoke("Basic " + basic, new Form().param("token", refreshToken)
                            .param("token_type_hint", "refresh_token")).close();
                } catch (OAuthException | ProcessingException e) {
                    problem = "DoorFlow could not revoke the refresh token (" + e.getMessage() + "); revoke doorsync's"
                            + " access in DoorFlow by hand";
                    LOG.warn("disconnect: " + problem);
                }
            }
            store.deleteConnection();
            tokens.forget();
            listener.status(Status.NONE);
            LOG.infof("account %s disconnected from DoorFlow; the stored tokens are deleted", account);
            return new Disconnected(refreshToken != null && problem == null, problem);
        } finally {
            tokens.lock.unlock();
        }
    }

    // ---- using the connection (every DoorFlow call) ----

    /**
     * Whether an OAuth connection exists (connected or waiting for a reconnect). Asked before every DoorFlow call
     * in auto mode, so an absent connection is remembered for a few seconds instead of read each time.
     */
    public boolean exists() {
        if (tokens.holdsToken()) {
            return true;
        }
        Instant checked = absentSince;
        if (checked != null && clock.instant().isBefore(checked.plusSeconds(10))) {
            return false;
        }
        boolean exists = status().state() != State.NOT_CONNECTED;
        absentSince = exists ? null : clock.instant();
        return exists;
    }

    public Status status() {
        Status s = store.status();
        listener.status(s);
        return s;
    }

    /** A usable access token, refreshed first when it expires within doorsync.oauth.refresh-before. */
    public Token token() {
        return tokens.token();
    }

    /** DoorFlow answered 401 to a request made with the token of {@code version}: refresh, unless done since. */
    public Token renewAfterRejection(long version) {
        return tokens.renewAfterRejection(version);
    }

    /** Refreshes the access token now (the admin's button), single-flight like every refresh; the new status. */
    public Status refreshNow() {
        tokens.refreshNow();
        return status();
    }
}
