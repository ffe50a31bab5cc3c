package io.doorsync.plan;

import java.util.Set;

/**
 * Where a member's DoorFlow groups come from. {@link GroupRules} asks every source what it grants a member and which
 * groups it decides, rather than assuming the CRM's teams are the only one: a source added later (bookings, say)
 * grants its groups without the teams' rules taking them away as drift.
 */
interface GroupSource {

    /**
     * Adds the groups this source grants {@code member} to {@code groups} (one set for all sources: this runs for
     * every member); false when it names a group it cannot find, so nothing is taken away.
     */
    boolean grantInto(CrmMember member, Set<Long> groups);

    /** The groups whose membership this source decides: doorsync takes them from people it does not grant them to. */
    boolean decides(Long group);
}
