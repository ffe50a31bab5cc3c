package io.doorsync.run;

import java.util.Set;

import io.doorsync.execute.Applier;
import io.doorsync.plan.CredentialChange;

/**
 * Whether a run is complete, the freshness the health check and the alert follow: every change that could be
 * applied was, and the push to doors went out. A change DoorFlow refused for its member (a card number another
 * person holds) does not count against it, within limits that keep a blanket refusal from looking fresh: no
 * refused change may take access away (a leaver who keeps access is never "fresh"), and the members refused may
 * not outnumber those applied (beyond a couple), which is what a key that lost write access would look like.
 */
final class Completeness {

    /** Refused members a run may have however few it applied (one or two bad rows on a quiet day). */
    private static final int FEW = 2;

    private Completeness() {
    }

    static boolean of(Applier.Applied done, boolean pushed) {
        if (!pushed || done.otherFailures() > 0) {
            return false;
        }
        Set<String> refused = done.refused().keySet();
        if (refused.isEmpty()) {
            return true;
        }
        boolean revocationRefused = done.results().stream().filter(r -> refused.contains(r.change().memberId()))
                .anyMatch(r -> r.change().revokesAccess() && !r.applied() || r.change().credentials().stream()
                        .anyMatch(c -> c instanceof CredentialChange.Delete) && r.failedCredentials() > 0);
        long applied = done.results().stream().filter(r -> r.applied() && r.failedCredentials() == 0).count();
        return !revocationRefused && refused.size() <= Math.max(FEW, applied);
    }
}
