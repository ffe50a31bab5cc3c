package io.doorsync.run;

import java.util.Set;

/**
 * Something a DoorFlow person carries beside its fields, groups and credentials (which travel inside each change):
 * planned from what the CRM wants against what doorsync last applied, keyed by member, and carried out after the
 * run's changes by {@link CarriedAlongsidePhase}. The photo is one; a new thing a person carries is another
 * implementation, found by CDI.
 */
interface Carried {

    /** Whether its setting has it synced at all. */
    boolean enabled();

    /**
     * Plans and carries out this run's part for the members that may be written ({@code writable}: null for
     * everyone), stopping when the run's permit does; returns words for the run's summary.
     */
    String carry(RunContext run, Set<String> writable);
}
