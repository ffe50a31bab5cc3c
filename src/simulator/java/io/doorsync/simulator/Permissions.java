package io.doorsync.simulator;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.doorsync.simulator.Http.Request;
import io.doorsync.simulator.Http.Response;

/**
 * What DoorFlow refuses with a 403 before it looks at a person write: an OAuth token without the account.person
 * scope (openapi.yaml's security of every person and credential write), and a person the caller's permission
 * does not reach (an admin role scoped to part of the account, as tests arrange it).
 */
final class Permissions {

    /** The OAuth scope of every person and credential write. */
    static final String PERSON_WRITE_SCOPE = "account.person";

    private final OAuthServer oauth;
    private final Set<Long> refusedPeople = ConcurrentHashMap.newKeySet();

    Permissions(OAuthServer oauth) {
        this.oauth = oauth;
    }

    /** The 403 DoorFlow answers to this request, or null when it goes ahead; {@code personId} -1 for none. */
    Response refusal(String route, Request r, long personId) {
        boolean personWrite = !"GET".equals(r.method()) && (personId >= 0 || route.equals("POST /api/3/people"));
        if (!personWrite) {
            return null;
        }
        if (oauth.lacksScope(r.bearerToken(), PERSON_WRITE_SCOPE)) {
            return Http.error(403, "forbidden", "This action requires the " + PERSON_WRITE_SCOPE + " scope");
        }
        if (refusedPeople.contains(personId)) {
            return Http.error(403, "forbidden", "You are not authorized to access this resource");
        }
        return null;
    }

    void refuseWritesTo(long personId) {
        refusedPeople.add(personId);
    }

    void clear() {
        refusedPeople.clear();
    }
}
