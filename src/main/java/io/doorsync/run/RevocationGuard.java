package io.doorsync.run;

import jakarta.enterprise.context.ApplicationScoped;

import io.doorsync.DoorsyncConfig;
import io.doorsync.plan.Change;
import io.doorsync.plan.Plan;

/**
 * The accidental-deletion guard of enterprise provisioning: a run that would take access away from more people
 * than allowed (a CRM table emptied by mistake, a wrong schema) is held whole, and nothing is applied until an
 * operator allows it for one run (POST /admin/api/sync?allowRevocations=true).
 */
@ApplicationScoped
public class RevocationGuard {

    private final DoorsyncConfig.Sync.Guard config;

    RevocationGuard(DoorsyncConfig config) {
        this.config = config.sync().revocationGuard();
    }

    /** Why the plan is held, or null when it may be applied. */
    public String holds(Plan plan, long managedPeople) {
        if (!config.enabled()) {
            return null;
        }
        long revocations = plan.changes().stream()
                .filter(Change::revokesAccess).count();
        long limit = Math.max(config.minCount(), (long) Math.floor(config.maxShare() * managedPeople));
        if (revocations <= limit) {
            return null;
        }
        return "the revocation guard held this run: it would remove access from " + revocations + " of "
                + managedPeople + " managed people, more than the limit of " + limit
                + " (doorsync.sync.revocation-guard.max-share " + config.maxShare() + ", min-count " + config.minCount()
                + "). Nothing was applied. If the CRM is right, allow it once: POST /admin/api/sync?allowRevocations=true";
    }
}
