package io.doorsync.doorflow.oauth;

import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import io.doorsync.doorflow.oauth.OAuthConnection.State;
import io.doorsync.doorflow.oauth.OAuthConnection.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** Metrics of the OAuth connection to DoorFlow: state, token expiry, refreshes. Never a token or an account id. */
@ApplicationScoped
public class ConnectionMetrics implements OAuthConnection.Listener {

    private final MeterRegistry registry;
    private volatile Status status = new Status(State.NOT_CONNECTED, null, null, null, null, null, null);

    ConnectionMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("doorsync.oauth.connected", this, m -> m.status.state() == State.CONNECTED ? 1 : 0)
                .description("1 when the OAuth connection to DoorFlow is usable, 0 when there is none or it needs"
                        + " an admin to reconnect")
                .register(registry);
        Gauge.builder("doorsync.oauth.reconnect.needed", this, m -> m.status.state() == State.RECONNECT_NEEDED ? 1 : 0)
                .description("1 when DoorFlow refused the refresh token and doorsync stopped writing until an admin"
                        + " reconnects on /admin")
                .register(registry);
        Gauge.builder("doorsync.oauth.token.expiry", this, ConnectionMetrics::secondsToExpiry).baseUnit("seconds")
                .description("Seconds until the stored DoorFlow access token expires (negative: expired)")
                .register(registry);
        for (String outcome : new String[] { "success", "failed", "invalid_grant" }) {
            refreshes(outcome);
        }
    }

    @Override
    public void refreshed(String outcome) {
        refreshes(outcome).increment();
    }

    @Override
    public void status(Status status) {
        this.status = status;
    }

    private double secondsToExpiry() {
        Instant expires = status.expiresAt();
        return expires == null || status.state() != State.CONNECTED ? Double.NaN
                : Duration.between(Instant.now(), expires).toSeconds();
    }

    private Counter refreshes(String outcome) {
        return Counter.builder("doorsync.oauth.refreshes").description("DoorFlow token refreshes by outcome")
                .tag("outcome", outcome).register(registry);
    }
}
