package io.doorsync.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which DoorFlow people get their member's photo, or lose the one doorsync gave them: a pure function of the
 * CRM's photo keys, the links, what doorsync last applied and who may be written. A photo opens no door, so it is
 * planned apart from access, after the run's other changes, and never counts for the revocation guard.
 * <ul>
 * <li>A member with a photo whose key differs from the one applied to its linked person gets it uploaded.</li>
 * <li>A photo rejected before (too large, not an image, unreachable) waits until its key changes.</li>
 * <li>A photo removed from the CRM is removed from DoorFlow, but only one doorsync set: a photo someone put on
 * the person by hand, before or after, is not doorsync's.</li>
 * <li>Only linked members that may be written now (active, not quarantined) are planned; a new person gets its
 * photo once it is linked.</li>
 * </ul>
 */
public final class PhotoPlanner {

    /** What doorsync last did with a member's photo on DoorFlow person {@code personId}. */
    public record Applied(long personId, String key, boolean rejected) {
    }

    /** Upload {@code key}'s photo to the person, or with a null key remove the image doorsync set. */
    public record PhotoChange(String memberId, long personId, String key) {
        public boolean removes() {
            return key == null;
        }
    }

    private PhotoPlanner() {
    }

    public static List<PhotoChange> plan(Map<String, String> desired, Map<String, Link> links,
            Map<String, Applied> applied, Set<String> writable) {
        List<PhotoChange> changes = new ArrayList<>();
        // Only members with a photo in the CRM or from doorsync can need a change: not every member, at 100,000.
        Set<String> concerned = new java.util.TreeSet<>(desired.keySet());
        concerned.addAll(applied.keySet());
        for (String memberId : concerned) {
            Link link = links.get(memberId);
            if (link == null || !writable.contains(memberId)) {
                continue;
            }
            String want = desired.get(memberId);
            Applied done = applied.get(memberId);
            if (done != null && done.personId() != link.personId()) {
                done = null; // applied to a person the member no longer has: the new one has not got it
            }
            if (want != null && (done == null || !done.key().equals(want))) {
                changes.add(new PhotoChange(memberId, link.personId(), want));
            } else if (want == null && done != null && !done.rejected()) {
                changes.add(new PhotoChange(memberId, link.personId(), null));
            }
        }
        return changes;
    }

    /** The members a photo may be written for: active in the CRM and not quarantined by this plan. */
    public static Set<String> writable(List<CrmMember> members, Plan plan) {
        Set<String> held = new java.util.HashSet<>();
        plan.quarantined().forEach(q -> held.add(q.memberId()));
        Set<String> writable = new java.util.HashSet<>();
        members.stream().filter(CrmMember::active).map(CrmMember::id).filter(id -> !held.contains(id))
                .forEach(writable::add);
        return writable;
    }
}
