package io.doorsync.plan;

/**
 * One credential step inside a member's change; always applied after the person exists. The value is never
 * part of {@code toString}: it opens doors, and changes end up in logs.
 */
public sealed interface CredentialChange {

    /** DoorFlow's value for "generate a PIN" (CredentialInput.value in openapi.yaml). */
    String GENERATE_PIN = "******";

    String typeSlug();

    /** Low-cardinality name used in the journal and as a metric label. */
    String kind();

    /** Issue a credential; {@code value} is the CRM's, {@link #GENERATE_PIN}, or null for a mobile invitation. */
    record Create(long typeId, String typeSlug, String value) implements CredentialChange {
        public String kind() {
            return "credential_create";
        }

        @Override
        public String toString() {
            return "Create[" + typeSlug + "]";
        }
    }

    /** Re-value an existing card or PIN. */
    record Update(String credentialId, String typeSlug, String value) implements CredentialChange {
        public String kind() {
            return "credential_update";
        }

        @Override
        public String toString() {
            return "Update[" + typeSlug + " " + credentialId + "]";
        }
    }

    /** Remove a credential the CRM no longer lists (or of a member who left). */
    record Delete(String credentialId, String typeSlug) implements CredentialChange {
        public String kind() {
            return "credential_delete";
        }
    }
}
