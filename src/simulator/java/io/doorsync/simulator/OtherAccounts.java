package io.doorsync.simulator;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.doorsync.simulator.Http.Request;

/**
 * The DoorFlow accounts a simulator hosts besides its own, each a whole simulator of its own (people, groups,
 * credentials, faults, calls) reached with its own API key, as a DoorFlow personal API key reaches one account,
 * or with an OAuth access token granted for it (the host's authorization page signs in to each, see
 * {@link OAuthServer}).
 * Nothing is shared: a request carrying one account's key sees and changes that account only, and one account's
 * faults or rate limits never touch another's.
 */
final class OtherAccounts {

    /** The query parameter that points the control API at another account. */
    static final String CONTROL_PARAMETER = "account";

    private final Map<String, DoorFlowSimulator> byKey = new ConcurrentHashMap<>();
    private final Map<String, DoorFlowSimulator> byId = new ConcurrentHashMap<>();
    private final Function<String, DoorFlowSimulator> make;

    /** {@code make}: a new, empty simulator accepting that API key. */
    OtherAccounts(Function<String, DoorFlowSimulator> make) {
        this.make = make;
    }

    /** Adds account {@code id} reached with {@code apiKey}; refused when either is taken. */
    synchronized DoorFlowSimulator add(String id, String apiKey) {
        if (id == null || id.isBlank() || apiKey == null || apiKey.isBlank()) {
            throw new IllegalArgumentException("an account needs an id and an API key");
        }
        if (byId.containsKey(id) || byKey.containsKey(apiKey)) {
            throw new IllegalArgumentException("account " + id + " or its API key is already hosted");
        }
        DoorFlowSimulator account = make.apply(apiKey);
        account.setAccountId(id);
        byKey.put(apiKey, account);
        byId.put(id, account);
        return account;
    }

    DoorFlowSimulator byId(String id) {
        return byId.get(id);
    }

    /** Each hosted account's OAuth server, by account id. */
    Map<String, OAuthServer> oauthServers() {
        Map<String, OAuthServer> servers = new java.util.HashMap<>();
        byId.forEach((id, account) -> servers.put(id, account.oauthServer()));
        return servers;
    }

    List<String> ids() {
        return byId.keySet().stream().sorted().toList();
    }

    void clear() {
        byKey.clear();
        byId.clear();
    }

    /**
     * The account a request is for, when it is another one: DoorFlow's API with that account's API key (HTTP Basic,
     * the key as user name), or the control API with {@code ?account=<id>}. Null: the simulator's own.
     */
    DoorFlowSimulator addressedBy(Request request) {
        if (byId.isEmpty()) {
            return null; // nearly always: one account
        }
        if (request.path().startsWith(SimulatorControl.PREFIX)) {
            String named = request.param(CONTROL_PARAMETER);
            return named == null ? null : byId.get(named);
        }
        String token = request.bearerToken();
        if (token != null) { // an OAuth token granted for another account: that account's server knows it
            return byId.values().stream().filter(a -> a.oauthServer().validAccessToken(token)).findFirst()
                    .orElse(null);
        }
        String key = request.apiKey();
        return key == null ? null : byKey.get(key);
    }
}
