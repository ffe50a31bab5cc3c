package io.doorsync.admin;

/**
 * The page's notices after an action, by key in the redirect's query string. Only these fixed texts are ever
 * shown: nothing from the query string reaches the page.
 */
final class PageNotices {

    private PageNotices() {
    }

    static String text(String key) {
        if (key == null) {
            return null;
        }
        return switch (key) {
            case "connected" -> "Connected to DoorFlow. Syncs now use this connection.";
            case "disconnected" -> "Disconnected: the refresh token was revoked at DoorFlow and the stored tokens"
                    + " deleted.";
            case "disconnected-unrevoked" -> "Disconnected locally, but DoorFlow could not be reached to revoke the"
                    + " refresh token: revoke doorsync's access in DoorFlow by hand.";
            case "refreshed" -> "The access token was refreshed: its new expiry is shown below.";
            case "ran" -> "The run has finished: its outcome and each change are below.";
            case "run-in-progress" -> "A sync run is already in progress (here or on another replica): try again when"
                    + " it has finished.";
            case "not-run" -> "The run could not start: doorsync's own database is unavailable (the log says more).";
            case "released" -> "Released: the next run looks at the member afresh (and quarantines it again if the"
                    + " cause is still there).";
            case "not-quarantined" -> "That member is not in quarantine (any more).";
            case "approved" -> "Adoption approved: the next run adopts that DoorFlow person for the member.";
            case "no-adoption" -> "That member is not waiting to adopt that DoorFlow person (any more).";
            case "synced" -> "The member was synced: the journal below shows what was done.";
            case "account-added" -> "The account was added, its API key kept encrypted: it is synced from the next"
                    + " tick, or now with Run a sync now below.";
            case "account-paused" -> "The account is paused: it is not synced and its DoorFlow is left as it is.";
            case "account-resumed" -> "The account is resumed: it is synced from the next tick.";
            case "account-not-run" -> "That account is paused or removed, so it is not run: its DoorFlow is left as"
                    + " it is. Resume it first.";
            case "account-removed" -> "The account was removed: no longer synced, its API key forgotten, its DoorFlow"
                    + " left as it is.";
            default -> null;
        };
    }
}
