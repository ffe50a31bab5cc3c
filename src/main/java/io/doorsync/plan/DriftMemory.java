package io.doorsync.plan;

/**
 * What doorsync remembers of repairing one field of one member: how many times in a row it found DoorFlow
 * back at the same value ({@code seen}, a fingerprint, never the value) and put the CRM's back. Forgotten when
 * the CRM changes; a different DoorFlow value starts the count afresh.
 */
public record DriftMemory(int repairs, String seen) {
}
