package io.doorsync.doorflow.oauth;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.locks.ReentrantLock;

import javax.sql.DataSource;

import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Form;

import org.jboss.logging.Logger;

import io.doorsync.doorflow.DoorFlowNotConnectedException;
import io.doorsync.doorflow.DoorFlowUnavailableException;
import io.doorsync.doorflow.oauth.DoorFlowOAuthApi.TokenInfo;
import io.doorsync.doorflow.oauth.DoorFlowOAuthApi.TokenResponse;

/**
 * The DoorFlow OAuth connection: the authorization-code flow with PKCE that an admin starts on /admin, and
 * the token lifecycle after it. Tokens live in doorsync.oauth_connection, encrypted.
 * <p>
 * A refresh is single-flight: one thread of this instance at a time (a lock), and one replica at a time (the
 * connection row is locked FOR UPDATE while DoorFlow is asked). Whoever waited then finds a newer token
 * version in the row and uses it, so a DoorFlow that rotates refresh tokens never sees one twice.
 * <p>
 * Plain JDBC and no CDI inside on purpose: a test builds a second instance over the same database to play a
 * second replica.
 */
public class OAuthConnection {

    private static final Logger LOG = Logger.getLogger(OAuthConnection.class);
    public static final String ID = "default";

    public enum State {
        NOT_CONNECTED, CONNECTED, RECONNECT_NEEDED
    }

    /** What the admin page and the metrics show; never a token. */
    public record Status(State state, String accountId, String scopes, Instant expiresAt, Instant lastRefreshAt,
            String lastRefreshOutcome, String problem) {
        static final Status NONE = new Status(State.NOT_CONNECTED, null, null, null, null, null, null);
    }

    /** An access token and the row version it came from (handed back after a 401). */
    public record Token(String accessToken, long version) {
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

    private final DataSource dataSource;
    private final TokenCipher cipher;
    private final DoorFlowOAuthApi api;
    private final Client client;
    private final Clock clock;
    private final Listener listener;
    private final SecureRandom random = new SecureRandom();
    private final ReentrantLock refreshLock = new ReentrantLock();
    private volatile Cached cached;
    private volatile Instant absentSince;

    /** The token in use here; {@code refreshAt} is when it is due for a refresh. */
    private record Cached(String accessToken, Instant expiresAt, Instant refreshAt, long version) {
    }

    /**
     * A token is due refresh-before ahead of its expiry, or at half its lifetime when that is shorter (so a
     * short-lived token is not refreshed on every use).
     */
    private Cached cache(String accessToken, Instant issuedAt, Instant expiresAt, long version) {
        Duration lifetime = Duration.between(issuedAt, expiresAt);
        Duration before = client.refreshBefore().compareTo(lifetime.dividedBy(2)) < 0 ? client.refreshBefore()
                : lifetime.dividedBy(2);
        return new Cached(accessToken, expiresAt, expiresAt.minus(before), version);
    }

    public OAuthConnection(DataSource dataSource, TokenCipher cipher, DoorFlowOAuthApi api, Client client, Clock clock,
            Listener listener) {
        this.dataSource = dataSource;
        this.cipher = cipher;
        this.api = api;
        this.client = client;
        this.clock = clock;
        this.listener = listener;
    }

    // ---- connecting (the /admin page) ----

    /** Starts an authorization: a single-use state and a PKCE verifier are stored; returns where to send the browser. */
    public URI begin() {
        String state = randomToken(32);
        String verifier = randomToken(48);
        sql(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "insert into doorsync.oauth_pending (state, code_verifier, created_at) values (?, ?, ?)")) {
                ps.setString(1, state);
                ps.setBytes(2, cipher.encrypt(verifier, "pkce:" + state));
                ps.setTimestamp(3, Timestamp.from(clock.instant()));
                ps.executeUpdate();
            }
            // Abandoned authorizations do not pile up.
            try (PreparedStatement ps = c.prepareStatement("delete from doorsync.oauth_pending where created_at < ?")) {
                ps.setTimestamp(1, Timestamp.from(clock.instant().minus(client.stateLifetime())));
                ps.executeUpdate();
            }
            return null;
        });
        String query = "response_type=code"
                + "&client_id=" + encode(client.clientId())
                + "&redirect_uri=" + encode(client.redirectUri())
                + "&scope=" + encode(client.scopes())
                + "&state=" + encode(state)
                + "&code_challenge=" + encode(challenge(verifier))
                + "&code_challenge_method=S256";
        String base = client.authorizeUrl().toString();
        return URI.create(base + (base.contains("?") ? "&" : "?") + query);
    }

    /** The callback refused the authorization; the message is for the admin. */
    public static class AuthorizationRefused extends RuntimeException {
        public AuthorizationRefused(String message) {
            super(message);
        }
    }

    /**
     * Completes an authorization from the callback: the state must be one this doorsync issued, unused and not
     * expired; the code is exchanged (with the PKCE verifier and the client secret) and the tokens stored.
     */
    public Status complete(String state, String code) {
        String verifier = consume(state);
        TokenResponse tokens;
        TokenInfo info;
        try {
            Form form = new Form().param("grant_type", "authorization_code").param("code", code)
                    .param("redirect_uri", client.redirectUri()).param("client_id", client.clientId())
                    .param("client_secret", client.clientSecret()).param("code_verifier", verifier);
            tokens = api.token(form);
            info = api.info("Bearer " + tokens.accessToken());
        } catch (OAuthException e) {
            throw new AuthorizationRefused("DoorFlow did not accept the authorization: " + e.getMessage());
        } catch (ProcessingException e) {
            throw new AuthorizationRefused("DoorFlow could not be reached to complete the authorization: "
                    + e.getMessage());
        }
        if (tokens.refreshToken() == null) {
            throw new AuthorizationRefused("DoorFlow granted no refresh token, so doorsync could not stay connected");
        }
        store(tokens, info);
        LOG.infof("connected to DoorFlow account %s (scopes: %s)", info.accountId(), scopes(tokens, info));
        return status();
    }

    /** The admin (or DoorFlow) refused on the authorize page: the state is used up all the same. */
    public void denied(String state) {
        consume(state);
    }

    private String consume(String state) {
        if (state == null || state.isBlank()) {
            throw new AuthorizationRefused("The answer from DoorFlow carried no state, so it cannot be matched to a"
                    + " Connect started here. Start again with Connect.");
        }
        return sql(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "delete from doorsync.oauth_pending where state = ? returning code_verifier, created_at")) {
                ps.setString(1, state);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new AuthorizationRefused("This answer from DoorFlow does not match a Connect started"
                                + " here, or it was already used. Start again with Connect.");
                    }
                    if (rs.getTimestamp(2).toInstant().plus(client.stateLifetime()).isBefore(clock.instant())) {
                        throw new AuthorizationRefused("This authorization took longer than "
                                + client.stateLifetime().toMinutes() + " minutes and has expired. Start again with"
                                + " Connect.");
                    }
                    return cipher.decrypt(rs.getBytes(1), "pkce:" + state);
                }
            }
        });
    }

    /** Outcome of a disconnect, for the admin page. */
    public record Disconnected(boolean revoked, String problem) {
    }

    /** Revokes the refresh token at DoorFlow and deletes the stored tokens (even when DoorFlow cannot be reached). */
    public Disconnected disconnect() {
        refreshLock.lock();
        try {
            String refreshToken = sql(c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "select refresh_token from doorsync.oauth_connection where id = ?")) {
                    ps.setString(1, ID);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() && rs.getBytes(1) != null ? cipher.decrypt(rs.getBytes(1), "refresh:" + ID)
                                : null;
                    }
                }
            });
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
            sql(c -> {
                try (PreparedStatement ps = c.prepareStatement("delete from doorsync.oauth_connection where id = ?")) {
                    ps.setString(1, ID);
                    ps.executeUpdate();
                }
                return null;
            });
            cached = null;
            listener.status(Status.NONE);
            LOG.info("disconnected from DoorFlow; the stored tokens are deleted");
            return new Disconnected(refreshToken != null && problem == null, problem);
        } finally {
            refreshLock.unlock();
        }
    }

    // ---- using the connection (every DoorFlow call) ----

    /**
     * Whether an OAuth connection exists (connected or waiting for a reconnect). Asked before every DoorFlow call
     * in auto mode, so an absent connection is remembered for a few seconds instead of read each time.
     */
    public boolean exists() {
        if (cached != null) {
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
        Status s = sql(c -> {
            try (PreparedStatement ps = c.prepareStatement("select state, account_id, scopes, expires_at,"
                    + " last_refresh_at, last_refresh_outcome, problem from doorsync.oauth_connection where id = ?")) {
                ps.setString(1, ID);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Status.NONE;
                    }
                    return new Status(State.valueOf(rs.getString(1)), rs.getString(2), rs.getString(3),
                            instant(rs, 4), instant(rs, 5), rs.getString(6), rs.getString(7));
                }
            }
        });
        listener.status(s);
        return s;
    }

    /** A usable access token, refreshed first when it expires within doorsync.oauth.refresh-before. */
    public Token token() {
        Cached c = cached;
        if (c != null && clock.instant().isBefore(c.refreshAt())) {
            return new Token(c.accessToken(), c.version());
        }
        return renew(c == null ? -1 : c.version(), false);
    }

    /** DoorFlow answered 401 to a request made with the token of {@code version}: refresh, unless done since. */
    public Token renewAfterRejection(long version) {
        return renew(version, true);
    }

    private Token renew(long seenVersion, boolean rejected) {
        refreshLock.lock();
        try {
            Cached c = cached;
            if (c != null && c.version() != seenVersion && unexpired(c.expiresAt())) {
                return new Token(c.accessToken(), c.version()); // another thread of this instance renewed it
            }
            return refreshLocked(seenVersion, rejected);
        } finally {
            refreshLock.unlock();
        }
    }

    private Token refreshLocked(long seenVersion, boolean rejected) {
        try (Connection conn = dataSource.getConnection()) {
            conn.setAutoCommit(false);
            try {
                Token token = refreshInTransaction(conn, seenVersion, rejected);
                conn.commit();
                return token;
            } catch (RuntimeException | SQLException e) {
                conn.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new DoorFlowUnavailableException("doorsync's database could not be read for the DoorFlow token: "
                    + e.getMessage(), e);
        }
    }

    private Token refreshInTransaction(Connection conn, long seenVersion, boolean rejected) throws SQLException {
        Row row = lockRow(conn);
        if (row == null) {
            cached = null; // disconnected, perhaps by another replica
            throw new DoorFlowNotConnectedException("doorsync is not connected to DoorFlow: an admin connects it on"
                    + " /admin (or set doorsync.doorflow.api-key)");
        }
        if (row.state == State.RECONNECT_NEEDED) {
            throw new DoorFlowNotConnectedException("DoorFlow connection lost (" + row.problem + "): an admin must"
                    + " reconnect on /admin");
        }
        // A token other than the one this instance holds (refreshed by another replica meanwhile, or the first
        // use here) is used while it is valid; only the holder of the current, stale one refreshes. That keeps a
        // refresh single-flight even when DoorFlow's lifetime is shorter than doorsync.oauth.refresh-before.
        boolean newer = row.version != seenVersion;
        if (newer && row.accessToken != null) {
            Cached stored = cache(cipher.decrypt(row.accessToken, "access:" + ID), row.issuedAt, row.expiresAt,
                    row.version);
            if (seenVersion >= 0 ? unexpired(stored.expiresAt()) : clock.instant().isBefore(stored.refreshAt())) {
                cached = stored;
                return new Token(stored.accessToken(), stored.version());
            }
        }
        TokenResponse tokens;
        try {
            tokens = api.token(new Form().param("grant_type", "refresh_token")
                    .param("refresh_token", cipher.decrypt(row.refreshToken, "refresh:" + ID))
                    .param("client_id", client.clientId()).param("client_secret", client.clientSecret()));
        } catch (OAuthException e) {
            if (e.invalidGrant()) {
                String problem = "DoorFlow refused the refresh token (" + e.getMessage() + ")";
                try (PreparedStatement ps = conn.prepareStatement("update doorsync.oauth_connection set state = ?,"
                        + " access_token = null, problem = ?, last_refresh_at = ?, last_refresh_outcome = 'invalid_grant'"
                        + " where id = ?")) {
                    ps.setString(1, State.RECONNECT_NEEDED.name());
                    ps.setString(2, problem);
                    ps.setTimestamp(3, Timestamp.from(clock.instant()));
                    ps.setString(4, ID);
                    ps.executeUpdate();
                }
                conn.commit();
                cached = null;
                listener.refreshed("invalid_grant");
                LOG.errorf("%s: doorsync stops writing to DoorFlow until an admin reconnects on /admin", problem);
                status();
                throw new DoorFlowNotConnectedException("DoorFlow connection lost (" + problem + "): an admin must"
                        + " reconnect on /admin");
            }
            recordFailure(conn, e.getMessage());
            throw new DoorFlowUnavailableException("refreshing the DoorFlow token failed: " + e.getMessage(), e);
        } catch (ProcessingException e) {
            recordFailure(conn, e.getMessage());
            throw new DoorFlowUnavailableException("refreshing the DoorFlow token failed: DoorFlow could not be"
                    + " reached (" + e.getMessage() + ")", e);
        }
        Instant now = clock.instant();
        Instant expires = now.plusSeconds(tokens.expiresIn() == null ? 3600 : tokens.expiresIn());
        long version = row.version + 1;
        try (PreparedStatement ps = conn.prepareStatement("update doorsync.oauth_connection set access_token = ?,"
                + " refresh_token = coalesce(?, refresh_token), expires_at = ?, version = ?, last_refresh_at = ?,"
                + " last_refresh_outcome = 'success', problem = null where id = ?")) {
            ps.setBytes(1, cipher.encrypt(tokens.accessToken(), "access:" + ID));
            // DoorFlow may rotate the refresh token; without a new one, the old one stays.
            ps.setBytes(2, tokens.refreshToken() == null ? null : cipher.encrypt(tokens.refreshToken(), "refresh:" + ID));
            ps.setTimestamp(3, Timestamp.from(expires));
            ps.setLong(4, version);
            ps.setTimestamp(5, Timestamp.from(now));
            ps.setString(6, ID);
            ps.executeUpdate();
        }
        cached = cache(tokens.accessToken(), now, expires, version);
        listener.refreshed("success");
        LOG.infof("DoorFlow access token refreshed%s; it expires at %s", rejected ? " after a 401" : "", expires);
        return new Token(tokens.accessToken(), version);
    }

    private void recordFailure(Connection conn, String message) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("update doorsync.oauth_connection set last_refresh_at = ?,"
                + " last_refresh_outcome = 'failed', problem = ? where id = ?")) {
            ps.setTimestamp(1, Timestamp.from(clock.instant()));
            ps.setString(2, "last refresh failed: " + message);
            ps.setString(3, ID);
            ps.executeUpdate();
        }
        conn.commit();
        listener.refreshed("failed");
    }

    private record Row(State state, byte[] accessToken, byte[] refreshToken, Instant issuedAt, Instant expiresAt,
            long version, String problem) {
    }

    private Row lockRow(Connection conn) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("select state, access_token, refresh_token,"
                + " coalesce(last_refresh_at, connected_at), expires_at, version, problem from doorsync.oauth_connection"
                + " where id = ? for update")) {
            ps.setString(1, ID);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Row(State.valueOf(rs.getString(1)), rs.getBytes(2), rs.getBytes(3),
                        instant(rs, 4), instant(rs, 5), rs.getLong(6), rs.getString(7)) : null;
            }
        }
    }

    private void store(TokenResponse tokens, TokenInfo info) {
        refreshLock.lock();
        try {
            Instant now = clock.instant();
            Instant expires = now.plusSeconds(tokens.expiresIn() == null ? 3600 : tokens.expiresIn());
            long version = sql(c -> {
                try (PreparedStatement ps = c.prepareStatement("insert into doorsync.oauth_connection as existing (id, state, account_id,"
                        + " resource_owner_id, scopes, access_token, refresh_token, expires_at, version, connected_at,"
                        + " last_refresh_at, last_refresh_outcome, problem) values (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, null,"
                        + " null, null) on conflict (id) do update set state = excluded.state, account_id ="
                        + " excluded.account_id, resource_owner_id = excluded.resource_owner_id, scopes ="
                        + " excluded.scopes, access_token = excluded.access_token, refresh_token ="
                        + " excluded.refresh_token, expires_at = excluded.expires_at, version ="
                        + " existing.version + 1, connected_at = excluded.connected_at, last_refresh_at = null,"
                        + " last_refresh_outcome = null, problem = null returning version")) {
                    ps.setString(1, ID);
                    ps.setString(2, State.CONNECTED.name());
                    ps.setString(3, info.accountId());
                    ps.setObject(4, info.resourceOwnerId());
                    ps.setString(5, scopes(tokens, info));
                    ps.setBytes(6, cipher.encrypt(tokens.accessToken(), "access:" + ID));
                    ps.setBytes(7, cipher.encrypt(tokens.refreshToken(), "refresh:" + ID));
                    ps.setTimestamp(8, Timestamp.from(expires));
                    ps.setTimestamp(9, Timestamp.from(now));
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getLong(1);
                    }
                }
            });
            cached = cache(tokens.accessToken(), now, expires, version);
            absentSince = null;
            status();
        } finally {
            refreshLock.unlock();
        }
    }

    private static String scopes(TokenResponse tokens, TokenInfo info) {
        if (info.scope() != null && !info.scope().isEmpty()) {
            return String.join(" ", info.scope());
        }
        return tokens.scope();
    }

    private boolean unexpired(Instant expiresAt) {
        return expiresAt != null && clock.instant().isBefore(expiresAt);
    }

    private interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T sql(SqlWork<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new IllegalStateException("doorsync's database: " + e.getMessage(), e);
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private String randomToken(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static String challenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
