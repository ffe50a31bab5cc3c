package io.doorsync.plan;

import java.util.Set;

/**
 * Where a member's DoorFlow groups come from. {@link GroupRules} asks every source what it grants a member and which
 * groups it decides, rather than assuming the CRM's teams are the only one: a source added later (bookings, say)
 * grants its groups without the teams' rules taking them away as drift.
 */
interface GroupSource {

    /** What a source grants one member; {@code unresolved}: it names a group it cannot find, so take nothing away. */
    record Grant(Set<Long> groups, boolean unresolved) {
    }

    Grant grants(CrmMember member);

    /** The groups whose membership this source decides: doorsync takes them from people it does not grant them to. */
    boolean decides(Long group);
}
