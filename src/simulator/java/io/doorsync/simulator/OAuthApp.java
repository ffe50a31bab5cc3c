package io.doorsync.simulator;

import java.time.Duration;

/** The OAuth application (client) doorsync is registered as in the simulated account. */
public record OAuthApp(String clientId, String clientSecret, String accountId, Duration tokenLifetime,
        boolean rotateRefreshTokens) {
    @Override
    public String toString() {
        return "OAuthApp[" + clientId + "]"; // never the secret
    }
}
