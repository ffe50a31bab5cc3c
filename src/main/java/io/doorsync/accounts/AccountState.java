package io.doorsync.accounts;

import java.time.Instant;

import io.doorsync.Account;
import io.doorsync.store.RunStore.RunView;

/**
 * One account as an operator sees it, on the admin page and in the admin API: where it comes from, its CRM schema,
 * whether an API key is stored for it (without one, one added on the page connects through OAuth), whether it is
 * synced now (and why not), the DoorFlow account it is pinned to, its last finished run, when a run last ended
 * complete, when its oldest kept run started, and how many members it holds back. Never its key.
 */
public record AccountState(Account account, String source, String crmSchema, boolean hasApiKey, boolean paused,
        Instant removedAt, boolean synced, String problem, String doorflowAccount, RunView lastRun,
        Instant lastSuccessAt, Instant firstRunAt, long quarantined) {

    /** Connected (or to be connected) through OAuth on its page: added there without an API key. */
    public boolean throughOAuth() {
        return "api".equals(source) && !hasApiKey;
    }

    public String id() {
        return account.id();
    }

    public boolean removed() {
        return removedAt != null;
    }

    /** The last run was held by the revocation guard: an operator must look. */
    public boolean held() {
        return lastRun != null && "held".equals(lastRun.outcome());
    }

    /** The last run succeeded and the account is synced. */
    public boolean ok() {
        return synced && lastRun != null && "success".equals(lastRun.outcome());
    }

    /** In a few words: removed, paused, not synced (and why), waiting, held, in step, or the last run's outcome. */
    public String state() {
        if (removed()) {
            return "removed";
        }
        if (paused) {
            return "paused: its DoorFlow is left as it is";
        }
        if (!synced) {
            return "not synced" + (problem == null ? "" : ": " + problem);
        }
        if (lastRun == null) {
            return "waiting for its first run";
        }
        if (held()) {
            return "held by the revocation guard: nothing applied";
        }
        return "success".equals(lastRun.outcome()) ? "in step" : lastRun.outcome();
    }
}
