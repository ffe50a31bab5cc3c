package io.doorsync.doorflow;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import jakarta.enterprise.context.ApplicationScoped;

import io.doorsync.Account;
import io.doorsync.DoorsyncConfig;
import io.doorsync.plan.PersonFields;

/**
 * The DoorFlow gateway of each doorsync account: its own client, credentials, write limit and 429 pause, so that
 * one account's rate limiting never slows another's. An installation has its default account's, on the
 * {@code doorflow} REST client and the connection made on /admin or the configured key (docs/connecting.md).
 */
@ApplicationScoped
public class DoorFlowGateways {

    private final DoorFlowGateway defaultAccount;

    DoorFlowGateways(@RestClient DoorFlowApi api, DoorFlowCredentials credentials, DoorFlowMetrics metrics,
            DoorsyncConfig config, PersonFields fields) {
        // Made at start, so its write-concurrency gauge is there from the first scrape.
        this.defaultAccount = new DoorFlowGateway(api, credentials, metrics, config, fields);
    }

    /** The account's gateway; an account without a DoorFlow connection of its own is refused by name. */
    public DoorFlowGateway of(Account account) {
        if (!Account.DEFAULT.equals(account)) {
            throw new DoorFlowNotConnectedException("doorsync account '" + account + "' has no DoorFlow connection"
                    + " of its own; only the default account is connected");
        }
        return defaultAccount;
    }
}
