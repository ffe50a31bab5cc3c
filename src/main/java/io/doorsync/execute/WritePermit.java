package io.doorsync.execute;

/**
 * Whether the run may still write to DoorFlow, asked before each change: it may not once doorsync is stopping,
 * or once it no longer holds the one-writer lock (another replica may be writing by then).
 */
@FunctionalInterface
public interface WritePermit {

    WritePermit ALWAYS = () -> null;

    /** Null while the run may write; otherwise why it must stop writing (for good). */
    String stopReason();
}
