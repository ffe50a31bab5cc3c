package io.doorsync;

/**
 * A doorsync account: one DoorFlow account kept in step with one CRM scope. Every row of doorsync's own state
 * belongs to one (the {@code account} column). An installation has one, {@link #DEFAULT}; the DoorFlow account id
 * it is pinned to is another thing (run/guards/AccountPin).
 */
public record Account(String id) {

    /** The account of an installation that declares none: every row from before accounts belongs to it. */
    public static final Account DEFAULT = new Account("default");

    /** The account a page's or request's {@code account} parameter names: none, the installation's own. */
    public static Account named(String parameter) {
        return parameter == null || parameter.isBlank() ? DEFAULT : new Account(parameter.strip());
    }

    @Override
    public String toString() {
        return id;
    }
}
