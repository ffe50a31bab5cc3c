package io.doorsync.doorflow;

import io.doorsync.doorflow.DoorFlowDtos.Credential;

/** 409 on a credential create: the person already holds one of that type, and DoorFlow says which. */
public class DoorFlowConflictException extends DoorFlowException {

    private final transient Credential existing;

    public DoorFlowConflictException(Credential existing) {
        super(409, "conflict", "DoorFlow answered 409: the person already holds a credential of this type ("
                + existing.id() + ")");
        this.existing = existing;
    }

    public Credential existing() {
        return existing;
    }
}
