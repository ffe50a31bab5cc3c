package io.doorsync.plan;

/** What a member who leaves (status not active, or gone from the CRM) becomes in DoorFlow. */
public enum LeavePolicy {
    /** enabled=false and managed groups removed: reversible, DoorFlow's own guidance. */
    DISABLE,
    /** DoorFlow soft delete: the person disappears from DoorFlow's lists. */
    DELETE,
    /** Leave the person exactly as it is. */
    KEEP
}
