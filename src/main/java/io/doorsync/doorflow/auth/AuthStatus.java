package io.doorsync.doorflow.auth;

import java.time.Instant;

/**
 * Which DoorFlow authentication is in use and whether it works: what the admin page, the admin API and the
 * health check all show. Never a secret.
 *
 * @param auth oauth, api-key, access-token or none
 * @param state connected (OAuth usable), configured (a static key or token), reconnect_needed (DoorFlow refused
 *        the OAuth refresh token: writes stopped) or not_connected (no credentials at all)
 */
public record AuthStatus(String auth, String state, String accountId, Instant tokenExpiresAt, String problem) {

    public static final String CONNECTED = "connected";
    public static final String CONFIGURED = "configured";
    public static final String RECONNECT_NEEDED = "reconnect_needed";
    public static final String NOT_CONNECTED = "not_connected";

    /** doorsync can authenticate to DoorFlow. */
    public boolean usable() {
        return CONNECTED.equals(state) || CONFIGURED.equals(state);
    }
}
