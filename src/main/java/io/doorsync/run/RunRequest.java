package io.doorsync.run;

import java.util.Set;

import io.doorsync.Account;

/**
 * What a run was asked to do: for which doorsync {@code account}, why it runs ({@code trigger}), whether an operator let it past the revocation guard,
 * whether it applies one member's changes only ({@code onlyMember}), the members a CRM wake-up named ({@code named},
 * null: everyone), and why everyone is read all the same ({@code everyoneBecause}, null: no reason).
 */
public record RunRequest(Account account, String trigger, boolean allowRevocations, String onlyMember, Set<String> named,
        String everyoneBecause) {
}
