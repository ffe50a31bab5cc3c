package io.doorsync.doorflow.oauth;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

import jakarta.enterprise.context.ApplicationScoped;

import io.doorsync.Account;
import io.doorsync.DoorsyncConfig;
import io.doorsync.doorflow.oauth.OAuthConnection.State;
import io.doorsync.doorflow.oauth.OAuthConnection.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * Metrics of each account's OAuth connection to DoorFlow: state, token expiry, refreshes, with the {@code account}
 * label (doorsync.metrics.account-label; without it, the worst of the accounts). Every replica reads each
 * connection's state at its tick, so each exports the same values. Never a token or a DoorFlow account id.
 */
@ApplicationScoped
public class ConnectionMetrics {

    private static final Status NONE = new Status(State.NOT_CONNECTED, null, null, null, null, null, null);

    /** One account's connection as last seen, and the meters that show it. */
    private final class Watched implements OAuthConnection.Listener {
        final Account account;
        volatile Status status = NONE;
        final List<Meter> meters = new ArrayList<>();

        Watched(Account account) {
            this.account = account;
        }

        @Override
        public void refreshed(String outcome) {
            refreshes(account, outcome).increment();
        }

        @Override
        public void status(Status status) {
            this.status = status;
        }
    }

    private final MeterRegistry registry;
    private final boolean labelled;
    private final Map<Account, Watched> accounts = new ConcurrentHashMap<>();

    ConnectionMetrics(MeterRegistry registry, DoorsyncConfig config) {
        this.registry = registry;
        this.labelled = config.metrics().accountLabel();
        if (!labelled) { // one series each: the worst of the accounts
            gauges(Tags.empty(), new ArrayList<>(), m -> m.worst(w -> connected(w.status), false),
                    m -> m.worst(w -> reconnectNeeded(w.status), true),
                    m -> m.worst(w -> secondsToExpiry(w.status), false));
        }
        of(Account.DEFAULT); // its series exist from the first scrape, connected or not
    }

    /** The listener of the account's connection (its series from now on). */
    OAuthConnection.Listener of(Account account) {
        return accounts.computeIfAbsent(account, a -> {
            Watched watched = new Watched(a);
            if (labelled) {
                gauges(Tags.of("account", a.id()), watched.meters, m -> connected(watched.status),
                        m -> reconnectNeeded(watched.status), m -> secondsToExpiry(watched.status));
            }
            for (String outcome : new String[] { "success", "failed", "invalid_grant" }) {
                Counter refreshes = refreshes(a, outcome);
                if (labelled) {
                    watched.meters.add(refreshes);
                }
            }
            return watched;
        });
    }

    /** The account was removed: its series go. */
    void forget(Account account) {
        Watched gone = accounts.remove(account);
        if (gone != null) {
            gone.meters.forEach(registry::remove);
        }
    }

    private void gauges(Tags tags, List<Meter> meters, ToDoubleFunction<ConnectionMetrics> connected,
            ToDoubleFunction<ConnectionMetrics> reconnect, ToDoubleFunction<ConnectionMetrics> expiry) {
        meters.add(Gauge.builder("doorsync.oauth.connected", this, connected).tags(tags)
                .description("1 when the OAuth connection to DoorFlow is usable, 0 when there is none or it needs"
                        + " an admin to reconnect")
                .register(registry));
        meters.add(Gauge.builder("doorsync.oauth.reconnect.needed", this, reconnect).tags(tags)
                .description("1 when DoorFlow refused the refresh token and doorsync stopped writing until an admin"
                        + " reconnects on /admin")
                .register(registry));
        meters.add(Gauge.builder("doorsync.oauth.token.expiry", this, expiry).tags(tags).baseUnit("seconds")
                .description("Seconds until the stored DoorFlow access token expires (negative: expired)")
                .register(registry));
    }

    /** The highest (or lowest) over the connections watched; NaN while none is. */
    private double worst(ToDoubleFunction<Watched> value, boolean highest) {
        return accounts.values().stream().mapToDouble(value).filter(v -> !Double.isNaN(v))
                .reduce(highest ? Math::max : Math::min).orElse(Double.NaN);
    }

    private static double connected(Status status) {
        return status.state() == State.CONNECTED ? 1 : 0;
    }

    private static double reconnectNeeded(Status status) {
        return status.state() == State.RECONNECT_NEEDED ? 1 : 0;
    }

    private static double secondsToExpiry(Status status) {
        Instant expires = status.expiresAt();
        return expires == null || status.state() != State.CONNECTED ? Double.NaN
                : Duration.between(Instant.now(), expires).toSeconds();
    }

    private Counter refreshes(Account account, String outcome) {
        return Counter.builder("doorsync.oauth.refreshes").description("DoorFlow token refreshes by outcome")
                .tags(labelled ? Tags.of("account", account.id()) : Tags.empty()).tag("outcome", outcome)
                .register(registry);
    }
}
