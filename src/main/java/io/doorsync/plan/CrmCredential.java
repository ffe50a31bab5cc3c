package io.doorsync.plan;

/**
 * One row of the CRM's member_credentials relation. {@code value} is null for a mobile credential, and for a
 * PIN that DoorFlow should generate. Never printed: the value is a secret that opens doors.
 */
public record CrmCredential(String memberId, String typeSlug, String value) {

    @Override
    public String toString() {
        return "CrmCredential[" + memberId + ", " + typeSlug + (value == null ? ", no value]" : ", value hidden]");
    }
}
