package io.doorsync.plan;

/** A DoorFlow credential type of the account; the CRM names it by {@code slug}. */
public record CredentialType(long id, String slug) {
}
