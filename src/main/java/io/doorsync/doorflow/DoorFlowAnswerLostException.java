package io.doorsync.doorflow;

/**
 * A write reached DoorFlow, but its answer did not come back (the connection closed, or the read timed out). It
 * may have been applied, so it is not sent again blindly: the next run plans it again from a fresh listing, where
 * a change DoorFlow did apply shows up as done.
 */
public class DoorFlowAnswerLostException extends DoorFlowUnavailableException {

    public DoorFlowAnswerLostException(String message, Throwable cause) {
        super(message, cause);
    }
}
