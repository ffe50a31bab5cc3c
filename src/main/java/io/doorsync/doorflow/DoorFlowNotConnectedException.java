package io.doorsync.doorflow;

/** doorsync has no way to authenticate to DoorFlow; the message says which setting to provide. */
public class DoorFlowNotConnectedException extends RuntimeException {
    public DoorFlowNotConnectedException(String message) {
        super(message);
    }
}
