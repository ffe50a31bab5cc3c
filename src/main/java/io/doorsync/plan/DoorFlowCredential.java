package io.doorsync.plan;

/**
 * A credential DoorFlow holds for a person. {@code status} is set for mobile credentials only (invited,
 * active, revoking, revoked); {@code value} for cards and PINs only.
 */
public record DoorFlowCredential(String id, long personId, long typeId, String value, String status) {

    /** A mobile credential on its way out (or gone) no longer counts as the person's credential of its type. */
    public boolean revoked() {
        return "revoking".equals(status) || "revoked".equals(status);
    }

    @Override
    public String toString() {
        return "DoorFlowCredential[" + id + ", person " + personId + ", type " + typeId
                + (status == null ? "" : ", " + status) + "]";
    }
}
