package io.doorsync.plan;

import java.util.Set;

/**
 * Which DoorFlow credential types doorsync owns. For a managed person, credentials of a managed type are made
 * to match the CRM exactly (created, re-valued, deleted); credentials of any other type — a card issued by hand
 * at the front desk, say — are never touched. {@code generatedPinTypes} are the types whose missing CRM value
 * means "let DoorFlow generate one" (sent as "******").
 */
public record CredentialPolicy(Set<String> managedTypes, Set<String> generatedPinTypes) {

    /** Credentials switched off: nothing is managed, nothing is touched. */
    public static final CredentialPolicy NONE = new CredentialPolicy(Set.of(), Set.of());

    public CredentialPolicy {
        managedTypes = Set.copyOf(managedTypes);
        generatedPinTypes = Set.copyOf(generatedPinTypes);
    }

    public boolean manages(String slug) {
        return managedTypes.contains(slug);
    }
}
