package io.doorsync.run.health;

import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import io.doorsync.Account;
import io.doorsync.DoorsyncConfig;
import io.doorsync.accounts.AccountRegistry;
import io.doorsync.accounts.AccountState;
import io.smallrye.health.api.HealthGroup;

/**
 * Which accounts besides the installation's own are unhealthy, each with why: not synced (its key does not
 * decrypt, its settings went), held by the revocation guard, or without a complete run for
 * doorsync.sync.max-success-age. DOWN while one is, with one data entry per such account; in the "sync" group for
 * alerting only, so one tenant's trouble never takes a pod out of service. (The installation's own account has
 * its own checks: doorsync-last-success, doorsync-doorflow-connection, doorsync-push-to-doors.)
 */
@HealthGroup("sync")
@ApplicationScoped
public class AccountsHealthCheck implements HealthCheck {

    private final AccountRegistry accounts;
    private final Duration maxAge;

    AccountsHealthCheck(AccountRegistry accounts, DoorsyncConfig config) {
        this.accounts = accounts;
        this.maxAge = config.sync().maxSuccessAge();
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder health = HealthCheckResponse.named("doorsync-accounts");
        int synced = 0;
        int unhealthy = 0;
        for (AccountState account : accounts.states()) {
            if (Account.DEFAULT.equals(account.account()) || account.paused() || account.removed()) {
                continue;
            }
            synced += account.synced() ? 1 : 0;
            String why = whyUnhealthy(account);
            if (why != null) {
                unhealthy++;
                health.withData(account.id(), why);
            }
        }
        // Upper-case keys: an account id is lower-case, so no account's entry is overwritten by these.
        health.withData("syncedAccounts", synced).withData("unhealthyAccounts", unhealthy);
        return (unhealthy > 0 ? health.down() : health.up()).build();
    }

    private String whyUnhealthy(AccountState account) {
        if (!account.synced()) {
            return account.state();
        }
        if (account.held()) {
            return "held by the revocation guard: allow it with POST /admin/api/accounts/" + account.id()
                    + "/run?allowRevocations=true if its CRM is right";
        }
        // Never complete: counted from its first run (none yet: it is waiting for it, not failing).
        Instant since = account.lastSuccessAt() != null ? account.lastSuccessAt() : account.firstRunAt();
        if (since == null || Duration.between(since, Instant.now()).compareTo(maxAge) <= 0) {
            return null;
        }
        return (account.lastSuccessAt() == null ? "no complete run yet" : "no complete run since "
                + account.lastSuccessAt()) + (account.lastRun() == null ? "" : "; the last run: "
                        + account.lastRun().outcome() + (account.lastRun().message() == null ? ""
                                : ": " + account.lastRun().message()));
    }
}
