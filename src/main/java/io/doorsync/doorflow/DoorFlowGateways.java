package io.doorsync.doorflow;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.doorsync.Account;
import io.doorsync.DoorsyncConfig;
import io.doorsync.plan.PersonFields;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;

/**
 * The DoorFlow gateway of each doorsync account: its own REST client and credentials, write limit and 429 pause,
 * so that one account's rate limiting never slows another's. The default account's uses the installation's
 * connection (the one made on /admin, or doorsync.doorflow.api-key); another account's is connected with its API
 * key or its own OAuth connection by the account registry ({@code accounts/AccountRegistry}).
 */
@ApplicationScoped
public class DoorFlowGateways {

    /** A gateway and what it was built with (the key, or "oauth"), so a change makes a new one. */
    private record Connected(DoorFlowGateway gateway, String with) {
        @Override
        public String toString() {
            return "Connected[" + gateway + "]"; // never the key
        }
    }

    private final DoorFlowMetrics metrics;
    private final DoorsyncConfig config;
    private final PersonFields fields;
    private final long connectTimeoutMillis;
    private final long readTimeoutMillis;
    private final DoorFlowGateway defaultAccount;
    private final Map<Account, Connected> others = new ConcurrentHashMap<>();

    DoorFlowGateways(DoorFlowCredentials credentials, DoorFlowMetrics metrics, DoorsyncConfig config,
            PersonFields fields,
            @ConfigProperty(name = "quarkus.rest-client.doorflow.connect-timeout", defaultValue = "5000") long connect,
            @ConfigProperty(name = "quarkus.rest-client.doorflow.read-timeout", defaultValue = "15000") long read) {
        this.metrics = metrics;
        this.config = config;
        this.fields = fields;
        this.connectTimeoutMillis = connect;
        this.readTimeoutMillis = read;
        // Made at start, so its write-concurrency gauge is there from the first scrape.
        this.defaultAccount = gateway(Account.DEFAULT, credentials);
    }

    /** The account's gateway; an account without a DoorFlow connection is refused by name. */
    public DoorFlowGateway of(Account account) {
        if (Account.DEFAULT.equals(account)) {
            return defaultAccount;
        }
        Connected connected = others.get(account);
        if (connected == null) {
            throw new DoorFlowNotConnectedException("doorsync account '" + account + "' has no DoorFlow connection:"
                    + " it is not declared (doorsync.accounts." + account + ".*, or the admin API), or it was removed");
        }
        return connected.gateway();
    }

    /**
     * Connects {@code account} to DoorFlow with its personal API key; a changed key makes a new gateway (its client,
     * its DoorFlow account asked again, and a new mirror: DoorFlowMirrors). The registry calls this from one thread.
     */
    public void connect(Account account, String apiKey) {
        connect(account, new ApiKeyCredentials(apiKey), apiKey);
    }

    /**
     * Connects {@code account} with {@code credentials}, which {@code with} tells apart (an API key, or "oauth" for
     * its OAuth connection, whose tokens are refreshed inside the same credentials); a change makes a new gateway.
     */
    public synchronized void connect(Account account, DoorFlowCredentials credentials, String with) {
        Connected before = others.get(account);
        if (before != null && before.with().equals(with)) {
            return;
        }
        others.put(account, new Connected(gateway(account, credentials), with));
        if (before != null) {
            before.gateway().close();
        }
    }

    /** Forgets a removed account's connection, and closes its client. */
    public synchronized void disconnect(Account account) {
        Connected before = others.remove(account);
        if (before != null) {
            before.gateway().close();
            metrics.forget(account);
        }
    }

    private DoorFlowGateway gateway(Account account, DoorFlowCredentials credentials) {
        DoorFlowApi api = QuarkusRestClientBuilder.newBuilder().baseUri(URI.create(config.doorflow().baseUrl()))
                .connectTimeout(connectTimeoutMillis, TimeUnit.MILLISECONDS)
                .readTimeout(readTimeoutMillis, TimeUnit.MILLISECONDS)
                .register(new DoorFlowAuthFilter(credentials)).build(DoorFlowApi.class);
        DoorFlowGateway gateway = new DoorFlowGateway(account, api, credentials, metrics, config, fields);
        metrics.writeConcurrency(account, gateway.writeLimit());
        return gateway;
    }
}
