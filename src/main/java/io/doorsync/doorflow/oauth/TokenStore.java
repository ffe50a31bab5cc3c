package io.doorsync.doorflow.oauth;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

import javax.sql.DataSource;

import io.doorsync.Account;
import io.doorsync.doorflow.oauth.OAuthConnection.State;
import io.doorsync.doorflow.oauth.OAuthConnection.Status;

/**
 * All SQL of one account's OAuth connection: its connection row (doorsync.oauth_connection, one per account) and
 * its authorizations in progress (doorsync.oauth_pending). Tokens and PKCE verifiers are encrypted here on the
 * way in and decrypted on the way out, so nothing else handles ciphertext. Plain JDBC: the refresh holds the
 * row FOR UPDATE across an HTTP call, in a transaction of its own.
 */
final class TokenStore {

    private final DataSource dataSource;
    private final TokenCipher cipher;
    /** The doorsync account whose connection this is. */
    private final String id;

    TokenStore(DataSource dataSource, TokenCipher cipher, Account account) {
        this.dataSource = dataSource;
        this.cipher = cipher;
        this.id = account.id();
    }

    /** The doorsync account whose connection this is. */
    String account() {
        return id;
    }

    /** Forgets the account's authorizations in progress (it was removed: a late callback finds none). */
    static void forgetPending(DataSource dataSource, Account account) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "delete from oauth_pending where account = ?")) {
            ps.setString(1, account.id());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("the OAuth authorizations in progress could not be deleted: "
                    + e.getMessage(), e);
        }
    }

    /** The account an authorization in progress was started for, or null when {@code state} names none. */
    static Account accountOf(DataSource dataSource, String state) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select account from oauth_pending where state = ?")) {
            ps.setString(1, state);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Account(rs.getString(1)) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the OAuth authorizations in progress could not be read: "
                    + e.getMessage(), e);
        }
    }

    // ---- authorizations in progress ----

    /** Keeps a started authorization, and forgets those abandoned before {@code expiredBefore}. */
    void beginAuthorization(String state, String verifier, Instant now, Instant expiredBefore) {
        sql(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "insert into oauth_pending (account, state, code_verifier, created_at) values (?, ?, ?, ?)")) {
                ps.setString(1, id);
                ps.setString(2, state);
                ps.setBytes(3, cipher.encrypt(verifier, "pkce:" + state));
                ps.setTimestamp(4, Timestamp.from(now));
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("delete from oauth_pending where created_at < ?")) {
                ps.setTimestamp(1, Timestamp.from(expiredBefore));
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** A started authorization, used up by reading it. */
    record Pending(String verifier, Instant createdAt) {
        @Override
        public String toString() {
            return "Pending[" + createdAt + "]";
        }
    }

    /** Takes the authorization started with {@code state} (it can be used once), or null when there is none. */
    Pending consumeAuthorization(String state) {
        return sql(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "delete from oauth_pending where state = ? and account = ? returning code_verifier, created_at")) {
                ps.setString(1, state);
                ps.setString(2, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? new Pending(cipher.decrypt(rs.getBytes(1), "pkce:" + state),
                            rs.getTimestamp(2).toInstant()) : null;
                }
            }
        });
    }

    // ---- the connection row ----

    Status status() {
        return sql(c -> {
            try (PreparedStatement ps = c.prepareStatement("select state, account_id, scopes, expires_at,"
                    + " last_refresh_at, last_refresh_outcome, problem from oauth_connection where account = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Status.NONE;
                    }
                    return new Status(State.valueOf(rs.getString(1)), rs.getString(2), rs.getString(3),
                            instant(rs, 4), instant(rs, 5), rs.getString(6), rs.getString(7));
                }
            }
        });
    }

    /** A fresh connection (or a reconnect): new tokens, state connected; returns the token version. */
    long saveConnected(String accountId, Long resourceOwnerId, String scopes, String accessToken, String refreshToken,
            Instant expiresAt, Instant now) {
        return sql(c -> {
            try (PreparedStatement ps = c.prepareStatement("insert into oauth_connection as existing (account,"
                    + " state, account_id, resource_owner_id, scopes, access_token, refresh_token, expires_at, version,"
                    + " connected_at, last_refresh_at, last_refresh_outcome, problem) values (?, ?, ?, ?, ?, ?, ?, ?, 1,"
                    + " ?, null, null, null) on conflict (account) do update set state = excluded.state, account_id ="
                    + " excluded.account_id, resource_owner_id = excluded.resource_owner_id, scopes ="
                    + " excluded.scopes, access_token = excluded.access_token, refresh_token ="
                    + " excluded.refresh_token, expires_at = excluded.expires_at, version ="
                    + " existing.version + 1, connected_at = excluded.connected_at, last_refresh_at = null,"
                    + " last_refresh_outcome = null, problem = null returning version")) {
                ps.setString(1, id);
                ps.setString(2, State.CONNECTED.name());
                ps.setString(3, accountId);
                ps.setObject(4, resourceOwnerId);
                ps.setString(5, scopes);
                ps.setBytes(6, cipher.encrypt(accessToken, "access:" + id));
                ps.setBytes(7, cipher.encrypt(refreshToken, "refresh:" + id));
                ps.setTimestamp(8, Timestamp.from(expiresAt));
                ps.setTimestamp(9, Timestamp.from(now));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /** The stored refresh token, or null. */
    String refreshToken() {
        return sql(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "select refresh_token from oauth_connection where account = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() && rs.getBytes(1) != null ? cipher.decrypt(rs.getBytes(1), "refresh:" + id)
                            : null;
                }
            }
        });
    }

    void deleteConnection() {
        sql(c -> {
            try (PreparedStatement ps = c.prepareStatement("delete from oauth_connection where account = ?")) {
                ps.setString(1, id);
                ps.executeUpdate();
            }
            return null;
        });
    }

    // ---- the refresh: one transaction holding the row ----

    /** The connection row as the refresh sees it, tokens decrypted. */
    record Row(State state, String accessToken, String refreshToken, Instant issuedAt, Instant expiresAt,
            long version, String problem, String doorflowAccount) {
        @Override
        public String toString() {
            return "Row[" + state + ", version " + version + "]";
        }
    }

    interface LockedWork<T> {
        T run(Locked row) throws SQLException;
    }

    /** Runs {@code work} in one transaction that holds the connection row FOR UPDATE until it ends. */
    <T> T withLockedRow(LockedWork<T> work) throws SQLException {
        try (Connection conn = dataSource.getConnection()) {
            conn.setAutoCommit(false);
            try {
                T result = work.run(new Locked(conn));
                conn.commit();
                return result;
            } catch (RuntimeException | SQLException e) {
                conn.rollback();
                throw e;
            }
        }
    }

    /** The locked row's transaction; the updates that must outlive a failure commit at once. */
    final class Locked {
        private final Connection conn;

        private Locked(Connection conn) {
            this.conn = conn;
        }

        /** The row, or null when there is no connection (perhaps disconnected by another replica). */
        Row read() throws SQLException {
            try (PreparedStatement ps = conn.prepareStatement("select state, access_token, refresh_token,"
                    + " coalesce(last_refresh_at, connected_at), expires_at, version, problem, account_id from"
                    + " oauth_connection where account = ? for update")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    byte[] access = rs.getBytes(2);
                    return new Row(State.valueOf(rs.getString(1)),
                            access == null ? null : cipher.decrypt(access, "access:" + id),
                            cipher.decrypt(rs.getBytes(3), "refresh:" + id), instant(rs, 4), instant(rs, 5),
                            rs.getLong(6), rs.getString(7), rs.getString(8));
                }
            }
        }

        /** DoorFlow refused the refresh token: reconnect needed, the access token forgotten. Committed. */
        void markReconnectNeeded(String problem, Instant at) throws SQLException {
            try (PreparedStatement ps = conn.prepareStatement("update oauth_connection set state = ?,"
                    + " access_token = null, problem = ?, last_refresh_at = ?, last_refresh_outcome = 'invalid_grant'"
                    + " where account = ?")) {
                ps.setString(1, State.RECONNECT_NEEDED.name());
                ps.setString(2, problem);
                ps.setTimestamp(3, Timestamp.from(at));
                ps.setString(4, id);
                ps.executeUpdate();
            }
            conn.commit();
        }

        /** A refresh failed for another reason (DoorFlow down): recorded, the tokens kept. Committed. */
        void recordFailure(String message, Instant at) throws SQLException {
            try (PreparedStatement ps = conn.prepareStatement("update oauth_connection set last_refresh_at"
                    + " = ?, last_refresh_outcome = 'failed', problem = ? where account = ?")) {
                ps.setTimestamp(1, Timestamp.from(at));
                ps.setString(2, "last refresh failed: " + message);
                ps.setString(3, id);
                ps.executeUpdate();
            }
            conn.commit();
        }

        /** New tokens from a refresh; without a new refresh token (no rotation) the old one stays. */
        void saveRefreshed(String accessToken, String refreshToken, Instant expiresAt, long version, Instant at)
                throws SQLException {
            try (PreparedStatement ps = conn.prepareStatement("update oauth_connection set access_token ="
                    + " ?, refresh_token = coalesce(?, refresh_token), expires_at = ?, version = ?, last_refresh_at ="
                    + " ?, last_refresh_outcome = 'success', problem = null where account = ?")) {
                ps.setBytes(1, cipher.encrypt(accessToken, "access:" + id));
                ps.setBytes(2, refreshToken == null ? null : cipher.encrypt(refreshToken, "refresh:" + id));
                ps.setTimestamp(3, Timestamp.from(expiresAt));
                ps.setLong(4, version);
                ps.setTimestamp(5, Timestamp.from(at));
                ps.setString(6, id);
                ps.executeUpdate();
            }
        }
    }

    // ---- plumbing ----

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
}
