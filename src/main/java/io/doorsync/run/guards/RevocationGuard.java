package io.doorsync.run.guards;

import jakarta.enterprise.context.ApplicationScoped;

import io.doorsync.DoorsyncConfig;
import io.doorsync.plan.Plan;

/**
 * The accidental-deletion guard of enterprise provisioning: a run that would take access away from more people
 * than allowed (a CRM table emptied by mistake, a team un-mapped, a wrong schema) is held whole, and nothing is
 * applied until an operator allows it for one run (POST /admin/api/sync?allowRevocations=true).
 */
@ApplicationScoped
public class RevocationGuard {

    private final DoorsyncConfig.Sync.Guard config;

    RevocationGuard(DoorsyncConfig config) {
        this.config = config.sync().revocationGuard();
    }

    /**
     * Why the plan is held, or null when it may be applied. It counts the members who would lose any access
     * (disabled, deleted, a group taken while enabled, a credential deleted) against those who have access now.
     */
    public String holds(Plan plan) {
        if (!config.enabled()) {
            return null;
        }
        Plan.AccessRemoval removal = plan.removal();
        long limit = Math.max(config.minCount(), (long) Math.floor(config.maxShare() * removal.base()));
        if (removal.members() <= limit) {
            return null;
        }
        return "the revocation guard held this run: it would take access from " + removal.members() + " of the "
                + removal.base() + " people who have access now (" + removal.people() + " disabled or deleted, "
                + removal.groups() + " group memberships removed, " + removal.credentials() + " credentials deleted),"
                + " more than the limit of " + limit + " (doorsync.sync.revocation-guard.max-share " + config.maxShare()
                + ", min-count " + config.minCount() + "). Nothing was applied. If the CRM is right, allow it once:"
                + " POST /admin/api/sync?allowRevocations=true";
    }
}
