package io.doorsync.simulator;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The DoorFlow simulator's settings, the same keys embedded (demo mode, tests) and standalone
 * ({@link StandaloneSimulator}). A production build has no simulator to apply them to.
 */
@ConfigMapping(prefix = "doorsync.simulator")
public interface SimulatorConfig {

    /** Serve it inside doorsync (dev, test and demo builds only). */
    @WithDefault("false")
    boolean enabled();

    /** Its own port, so doorsync reaches it over real HTTP exactly as it reaches DoorFlow. */
    @WithDefault("8089")
    int port();

    @WithDefault("127.0.0.1")
    String host();

    /** Personal API keys it accepts (HTTP Basic, key as user name). */
    @WithDefault("demo")
    List<String> apiKeys();

    /** Static Bearer tokens it accepts. */
    Optional<List<String>> accessTokens();

    /** DoorFlow rate-limits POST /api/3/sync; a second call inside this window gets 429 with retry_in. */
    @WithDefault("30s")
    Duration syncRateLimit();

    /** JSON with groups, credential types and hand-made people to start from: a classpath resource or a file. */
    Optional<String> seed();

    Oauth oauth();

    /** The OAuth application registered in the simulated account; off unless a client secret is set. */
    interface Oauth {
        @WithDefault("doorsync-demo")
        String clientId();

        Optional<String> clientSecret();

        @WithDefault("acc_demo01")
        String accountId();

        /** Access token lifetime (DoorFlow: 1 hour). */
        @WithDefault("1h")
        Duration tokenLifetime();

        /** Issue a new refresh token on every refresh and revoke the old one. */
        @WithDefault("true")
        boolean rotateRefreshTokens();
    }

    /** Keep every request and response in memory (tests validate them against openapi.yaml). */
    @WithDefault("false")
    boolean recordExchanges();
}
