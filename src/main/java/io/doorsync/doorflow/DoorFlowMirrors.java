package io.doorsync.doorflow;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.doorsync.Account;
import io.doorsync.DoorsyncConfig;

/**
 * The mirror of DoorFlow of each doorsync account, made on first use and kept while the account's gateway is the
 * same: a new key (perhaps another DoorFlow account) starts from a new mirror, listed in full.
 */
@ApplicationScoped
public class DoorFlowMirrors {

    private final DoorFlowGateways doorflow;
    private final DoorsyncConfig config;
    private final Map<Account, DoorFlowMirror> mirrors = new ConcurrentHashMap<>();

    DoorFlowMirrors(DoorFlowGateways doorflow, DoorsyncConfig config) {
        this.doorflow = doorflow;
        this.config = config;
    }

    public DoorFlowMirror of(Account account) {
        DoorFlowGateway gateway = doorflow.of(account);
        return mirrors.compute(account, (a, mirror) -> mirror != null && mirror.gateway() == gateway ? mirror
                : new DoorFlowMirror(gateway, config));
    }
}
