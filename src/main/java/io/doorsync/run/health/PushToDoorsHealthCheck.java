package io.doorsync.run.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import io.doorsync.Account;
import io.doorsync.store.AccountStore;
import io.smallrye.health.api.HealthGroup;

/**
 * Do the doors get what DoorFlow holds? DOWN while DoorFlow refuses the push to door controllers for another
 * reason than its rate limit (403 without the account.sync scope, a 5xx): changes sit in DoorFlow without
 * reaching the doors. In the "sync" group for alerting, not readiness.
 */
@HealthGroup("sync")
@ApplicationScoped
public class PushToDoorsHealthCheck implements HealthCheck {

    private final AccountStore accounts;

    PushToDoorsHealthCheck(AccountStore accounts) {
        this.accounts = accounts;
    }

    @Override
    public HealthCheckResponse call() {
        AccountStore.PushState state = accounts.pushState(Account.DEFAULT);
        HealthCheckResponseBuilder health = HealthCheckResponse.named("doorsync-push-to-doors")
                .withData("pending", state.pending());
        if (state.notBefore() != null) {
            health.withData("notBefore", state.notBefore().toString());
        }
        if (state.refused() != null) {
            return health.down().withData("problem", state.refused()).build();
        }
        return health.up().build();
    }
}
