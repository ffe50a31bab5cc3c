package io.doorsync.doorflow;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.doorsync.Account;
import io.doorsync.DoorsyncConfig;

/** The mirror of DoorFlow of each doorsync account, made on first use and kept for the life of the process. */
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
        return mirrors.computeIfAbsent(account, a -> new DoorFlowMirror(doorflow.of(a), config));
    }
}
