package io.doorsync.simulator;

import java.time.Duration;
import java.util.List;
import java.util.Map;
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

    /**
     * How long DoorFlow takes to finish revoking a phone after answering 202 ("revoking", then "revoked").
     */
    @WithDefault("5s")
    Duration mobileRevocationTime();

    /**
     * Faults to inject, by a name of your choosing, e.g. {@code doorsync.simulator.faults.slow.route=*},
     * {@code ...slow.latency=20ms}, {@code ...flaky.route=WRITE *}, {@code ...flaky.error-rate=0.05}. See
     * {@link FaultRule} for what each does; the control API (GET/PUT/DELETE /_simulator/faults) changes them live.
     */
    Map<String, Fault> faults();

    /** Someone badges at a door this often (a random live person, a random door): the demo's check-ins. Off when unset. */
    Optional<Duration> badgeEvery();

    /** Seed of the faults' random draws, so a run with faults can be repeated; random when unset. */
    Optional<Long> faultSeed();

    interface Fault {
        /** "METHOD /template", either half may be *, method WRITE = POST, PUT, PATCH or DELETE. */
        @WithDefault("*")
        String route();

        @WithDefault("0s")
        Duration latency();

        /** Up to this much more latency, drawn per request. */
        @WithDefault("0s")
        Duration jitter();

        /** Share of requests whose connection is reset before DoorFlow handles them. */
        @WithDefault("0")
        double resetRate();

        /** Share of requests answered 429 with retry_in and Retry-After. */
        @WithDefault("0")
        double rateLimitRate();

        @WithDefault("1")
        int retryIn();

        /** Share of requests answered with {@link #errorStatus()}. */
        @WithDefault("0")
        double errorRate();

        @WithDefault("503")
        int errorStatus();

        /** Share of requests applied whose answer is lost (the connection closes instead). */
        @WithDefault("0")
        double lostAnswerRate();

        default FaultRule rule() {
            return new FaultRule(route(), latency(), jitter(), resetRate(), rateLimitRate(), retryIn(), errorRate(),
                    errorStatus(), lostAnswerRate());
        }
    }

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
