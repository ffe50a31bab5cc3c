package io.doorsync.doorflow.oauth;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Form;

import org.jboss.logging.Logger;

import io.doorsync.doorflow.DoorFlowNotConnectedException;
import io.doorsync.doorflow.DoorFlowUnavailableException;
import io.doorsync.doorflow.oauth.DoorFlowOAuthApi.TokenResponse;
import io.doorsync.doorflow.oauth.OAuthConnection.State;
import io.doorsync.doorflow.oauth.OAuthConnection.Token;

/**
 * Keeps a usable access token, and refreshes it single-flight: one thread of this instance at a time (a
 * lock), and one replica at a time (the connection row is held FOR UPDATE while DoorFlow is asked). Whoever
 * waited then finds a newer token version in the row and uses it, so a DoorFlow that rotates refresh tokens
 * never sees one twice.
 */
final class TokenRefresher {

    private static final Logger LOG = Logger.getLogger(TokenRefresher.class);

    private final TokenStore store;
    private final DoorFlowOAuthApi api;
    private final OAuthConnection.Client client;
    private final Clock clock;
    private final OAuthConnection.Listener listener;
    /** Also taken by connect and disconnect, so no refresh runs across a change of connection. */
    final ReentrantLock lock = new ReentrantLock();
    private volatile Cached cached;

    /** The token in use here; {@code refreshAt} is when it is due for a refresh. */
    private record Cached(String accessToken, Instant expiresAt, Instant refreshAt, long version,
            String doorflowAccount) {
        @Override
        public String toString() {
            return "Cached[version " + version + "]";
        }

        Token token() {
            return new Token(accessToken, version, doorflowAccount);
        }
    }

    TokenRefresher(TokenStore store, DoorFlowOAuthApi api, OAuthConnection.Client client, Clock clock,
            OAuthConnection.Listener listener) {
        this.store = store;
        this.api = api;
        this.client = client;
        this.clock = clock;
        this.listener = listener;
    }

    /** Whether this instance holds a token (then a connection certainly exists). */
    boolean holdsToken() {
        return cached != null;
    }

    /** A usable access token, refreshed first when it is due. */
    Token token() {
        Cached c = cached;
        if (c != null && clock.instant().isBefore(c.refreshAt())) {
            return c.token();
        }
        return renew(c == null ? -1 : c.version(), false);
    }

    /** DoorFlow answered 401 to a request made with the token of {@code version}: refresh, unless done since. */
    Token renewAfterRejection(long version) {
        return renew(version, true);
    }

    /** Tokens just obtained by connecting (the caller holds {@link #lock}). */
    void connected(String accessToken, Instant issuedAt, Instant expiresAt, long version, String doorflowAccount) {
        cached = cache(accessToken, issuedAt, expiresAt, version, doorflowAccount);
    }

    /** The connection is gone (the caller holds {@link #lock}). */
    void forget() {
        cached = null;
    }

    private Token renew(long seenVersion, boolean rejected) {
        lock.lock();
        try {
            Cached c = cached;
            if (c != null && c.version() != seenVersion && unexpired(c.expiresAt())) {
                return c.token(); // another thread of this instance renewed it
            }
            return store.withLockedRow(row -> refreshHoldingRow(row, seenVersion, rejected));
        } catch (SQLException e) {
            throw new DoorFlowUnavailableException("doorsync's database could not be read for the DoorFlow token: "
                    + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Refreshes now, however long the token has left (the admin's forced refresh). Single-flight like every
     * refresh: a sync thread that needs a token meanwhile waits for this one and uses its result.
     */
    Token refreshNow() {
        lock.lock();
        try {
            return store.withLockedRow(locked -> refresh(locked, connectedRow(locked), "on the admin's request"));
        } catch (SQLException e) {
            throw new DoorFlowUnavailableException("doorsync's database could not be read for the DoorFlow token: "
                    + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    private Token refreshHoldingRow(TokenStore.Locked locked, long seenVersion, boolean rejected) throws SQLException {
        TokenStore.Row row = connectedRow(locked);
        // A token other than the one this instance holds (refreshed by another replica meanwhile, or the first
        // use here) is used while it is valid; only the holder of the current, stale one refreshes. That keeps a
        // refresh single-flight even when DoorFlow's lifetime is shorter than doorsync.oauth.refresh-before.
        if (row.version() != seenVersion && row.accessToken() != null) {
            Cached stored = cache(row.accessToken(), row.issuedAt(), row.expiresAt(), row.version(),
                    row.doorflowAccount());
            if (seenVersion >= 0 ? unexpired(stored.expiresAt()) : clock.instant().isBefore(stored.refreshAt())) {
                cached = stored;
                return stored.token();
            }
        }
        return refresh(locked, row, rejected ? "after a 401" : "before it expires");
    }

    /** The stored connection, or why there is none to use. */
    private TokenStore.Row connectedRow(TokenStore.Locked locked) throws SQLException {
        TokenStore.Row row = locked.read();
        if (row == null) {
            cached = null; // disconnected, perhaps by another replica
            throw new DoorFlowNotConnectedException("account " + store.account() + " is not connected to DoorFlow:"
                    + " an admin connects it on " + page() + (io.doorsync.Account.DEFAULT.id().equals(store.account())
                            ? " (or set doorsync.doorflow.api-key)" : ""));
        }
        if (row.state() == State.RECONNECT_NEEDED) {
            throw new DoorFlowNotConnectedException("DoorFlow connection lost (" + row.problem() + "): an admin must"
                    + " reconnect on " + page());
        }
        return row;
    }

    /** Asks DoorFlow for a new token with the stored refresh token (the caller holds the row). */
    private Token refresh(TokenStore.Locked locked, TokenStore.Row row, String why) throws SQLException {
        TokenResponse tokens;
        try {
            tokens = api.token(new Form().param("grant_type", "refresh_token").param("refresh_token", row.refreshToken())
                    .param("client_id", client.clientId()).param("client_secret", client.clientSecret()));
        } catch (OAuthException e) {
            if (e.invalidGrant()) {
                String problem = "DoorFlow refused the refresh token (" + e.getMessage() + ")";
                locked.markReconnectNeeded(problem, clock.instant());
                cached = null;
                listener.refreshed("invalid_grant");
                listener.status(store.status());
                LOG.errorf("account %s: %s: doorsync stops writing to its DoorFlow until an admin reconnects on %s",
                        store.account(), problem, page());
                throw new DoorFlowNotConnectedException("DoorFlow connection lost (" + problem + "): an admin must"
                        + " reconnect on " + page());
            }
            failed(locked, e.getMessage());
            throw new DoorFlowUnavailableException("refreshing the DoorFlow token failed: " + e.getMessage(), e);
        } catch (ProcessingException e) {
            failed(locked, e.getMessage());
            throw new DoorFlowUnavailableException("refreshing the DoorFlow token failed: DoorFlow could not be"
                    + " reached (" + e.getMessage() + ")", e);
        }
        Instant now = clock.instant();
        Instant expires = now.plusSeconds(tokens.expiresIn() == null ? 3600 : tokens.expiresIn());
        long version = row.version() + 1;
        // DoorFlow may rotate the refresh token; without a new one, the old one stays.
        locked.saveRefreshed(tokens.accessToken(), tokens.refreshToken(), expires, version, now);
        cached = cache(tokens.accessToken(), now, expires, version, row.doorflowAccount());
        listener.refreshed("success");
        LOG.infof("DoorFlow access token of account %s refreshed %s; it expires at %s", store.account(), why,
                expires);
        return cached.token();
    }

    private void failed(TokenStore.Locked locked, String message) throws SQLException {
        locked.recordFailure(message, clock.instant());
        listener.refreshed("failed");
    }

    /**
     * A token is due refresh-before ahead of its expiry, or at half its lifetime when that is shorter (so a
     * short-lived token is not refreshed on every use).
     */
    private Cached cache(String accessToken, Instant issuedAt, Instant expiresAt, long version,
            String doorflowAccount) {
        Duration lifetime = Duration.between(issuedAt, expiresAt);
        Duration before = client.refreshBefore().compareTo(lifetime.dividedBy(2)) < 0 ? client.refreshBefore()
                : lifetime.dividedBy(2);
        return new Cached(accessToken, expiresAt, expiresAt.minus(before), version, doorflowAccount);
    }

    /** Where an admin connects this account. */
    private String page() {
        return io.doorsync.Account.DEFAULT.id().equals(store.account()) ? "/admin" : "/admin?account="
                + store.account();
    }

    private boolean unexpired(Instant expiresAt) {
        return expiresAt != null && clock.instant().isBefore(expiresAt);
    }
}
