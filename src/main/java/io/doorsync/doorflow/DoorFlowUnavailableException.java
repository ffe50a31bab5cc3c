package io.doorsync.doorflow;

/** DoorFlow could not be reached or failed on its side (5xx): worth retrying, never the member's fault. */
public class DoorFlowUnavailableException extends DoorFlowException {

    public DoorFlowUnavailableException(int status, String error, String message) {
        super(status, error, message);
    }

    public DoorFlowUnavailableException(String message, Throwable cause) {
        super(0, null, message);
        initCause(cause);
    }
}
